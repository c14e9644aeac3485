"""Fault injection, as a client of the sandbox Zendesk notices it, and the fault spec's grammar."""

from __future__ import annotations

import time

import httpx
import pytest

from sync.sandbox.faults import FaultInjector, FaultSpec
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.sandbox.clients import ticket_with_status

ME = "/api/v2/users/me.json"


def test_the_documented_example_parses() -> None:
    spec = FaultSpec.parse("429=0.1,500=0.05,slow=0.1:2.0,drop=0.02,conflict=0.05,seed=7")

    assert (spec.rate_429, spec.rate_500, spec.drop_rate, spec.conflict_rate) == (0.1, 0.05, 0.02, 0.05)
    assert (spec.slow_rate, spec.slow_seconds, spec.seed) == (0.1, 2.0, 7)
    assert FaultSpec.parse(str(spec)) == spec
    assert not FaultSpec.parse("").active


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("404=0.1", "unknown fault '404'"),
        ("429", "needs a value"),
        ("500=lots", "must be a number from 0 to 1"),
        ("500=1.5", "must be from 0 to 1"),
        ("slow=0.1:soon", "must be a number of seconds"),
        ("seed=x", "seed must be a whole number"),
        ("500=0.1,500=0.2", "given twice"),
        ("429=0.6,500=0.6", "add up to 1.2"),
        ("drop=0.1:3", "takes only a rate"),
    ],
)
def test_bad_specs_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FaultSpec.parse(text)


def test_the_same_seed_gives_the_same_faults() -> None:
    spec = FaultSpec.parse("429=0.2,500=0.2,drop=0.1,slow=0.3:1,conflict=0.5,seed=11")
    first, second = FaultInjector(spec), FaultInjector(spec)
    other = FaultInjector(FaultSpec.parse(str(spec).replace("seed=11", "seed=12")))

    run = [first.fate("PUT") for _ in range(200)]

    assert run == [second.fate("PUT") for _ in range(200)]
    assert run != [other.fate("PUT") for _ in range(200)]
    assert {fate.response for fate in run} == {None, "429", "500", "drop"}


def test_429_carries_retry_after(zendesk_sandbox: ZendeskSandbox, agent: httpx.Client) -> None:
    zendesk_sandbox.set_faults("429=1:7")

    response = agent.get(ME)

    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.headers["x-rate-limit"] == "700"  # Zendesk's usage headers come with every answer


def test_server_errors_answer_500_and_503(zendesk_sandbox: ZendeskSandbox, agent: httpx.Client) -> None:
    zendesk_sandbox.set_faults("500=1")
    first = agent.get(ME)
    zendesk_sandbox.set_faults("503=1")
    second = agent.get(ME)

    assert (first.status_code, second.status_code) == (500, 503)


def test_a_dropped_connection_is_a_transport_error_and_the_next_request_works(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    assert agent.get(ME).status_code == 200  # a kept-alive connection, as a real client has
    zendesk_sandbox.set_faults("drop=1")

    with pytest.raises(httpx.TransportError):
        agent.get(ME)
    zendesk_sandbox.set_faults(None)

    assert agent.get(ME).status_code == 200
    assert [fault for fault, _, _ in zendesk_sandbox.faults.injected] == ["drop"]
    assert list(zendesk_sandbox.store.requests_seen)[-3:] == [("GET", ME)] * 3  # the dropped one counts too


def test_a_slow_answer_takes_at_least_the_delay(zendesk_sandbox: ZendeskSandbox, agent: httpx.Client) -> None:
    zendesk_sandbox.set_faults("slow=1:0.6")

    started = time.monotonic()
    response = agent.get(ME)

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.6


def test_a_conflict_fault_makes_a_safe_update_fail_with_409(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    read = agent.get(f"/api/v2/tickets/{ticket_id}.json").json()["ticket"]
    zendesk_sandbox.set_faults("conflict=1")

    response = agent.put(
        f"/api/v2/tickets/{ticket_id}.json",
        json={"ticket": {"status": "solved", "safe_update": True, "updated_stamp": read["updated_at"]}},
    )
    reads_still_work = agent.get(f"/api/v2/tickets/{ticket_id}.json")

    assert response.status_code == 409
    assert reads_still_work.status_code == 200
    assert "edited_by_other_agent" in reads_still_work.json()["ticket"]["tags"]
    assert reads_still_work.json()["ticket"]["status"] == "open"


def test_faults_switch_off_at_run_time(zendesk_sandbox: ZendeskSandbox, agent: httpx.Client) -> None:
    zendesk_sandbox.set_faults(FaultSpec.parse("500=1"))
    assert agent.get(ME).status_code == 500

    zendesk_sandbox.set_faults("")

    assert agent.get(ME).status_code == 200


def test_a_fault_rate_hits_about_that_share_of_requests(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    zendesk_sandbox.set_faults("500=0.3,seed=3")

    statuses = [agent.get(ME).status_code for _ in range(100)]

    assert 15 <= statuses.count(500) <= 45
    assert statuses.count(500) + statuses.count(200) == 100
