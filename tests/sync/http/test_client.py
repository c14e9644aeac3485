"""ApiClient against a real HTTPS server on 127.0.0.1: what the sync engine and the user notice."""

from __future__ import annotations

import asyncio
import base64
import socket

import pytest

from sync.http import (
    NO_RETRY,
    AuthFailed,
    BadResponse,
    Conflict,
    Credentials,
    HttpTimeouts,
    NotFound,
    RateLimited,
    RateLimits,
    Rejected,
    Retryable,
    RetryPolicy,
    Unreachable,
)
from sync.sandbox.runner import LoopbackServer
from tests.sync.http.conftest import API_PREFIX, EMAIL, TOKEN, ClientFactory, FakeTime
from tests.sync.http.scripted_server import Reply, ScriptedServer

PATH = "tickets/7.json"
TICKET = f"{API_PREFIX}/{PATH}"
ZENDESK_422 = {
    "error": "RecordInvalid",
    "description": "Record validation errors",
    "details": {"base": [{"description": "Status: closed prevents ticket update", "error": "InvalidValue"}]},
}


@pytest.mark.asyncio
async def test_a_success_is_returned_with_basic_api_token_auth(
    make_api: ClientFactory, scripted: ScriptedServer
) -> None:
    scripted.on(TICKET, Reply(body={"ticket": {"id": 7}}))

    response = await make_api().send("GET", "tickets/7.json", params={"include": "users"})

    assert response.json() == {"ticket": {"id": 7}}
    (seen,) = scripted.seen(TICKET)
    expected = base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
    assert seen.headers["authorization"] == f"Basic {expected}"
    assert seen.query == "include=users"


@pytest.mark.asyncio
async def test_bearer_tokens_and_json_bodies_are_sent(
    make_api: ClientFactory, scripted: ScriptedServer
) -> None:
    scripted.on(TICKET, Reply(body={"ticket": {"id": 7}, "audit": {"events": []}}))

    await make_api(credentials=Credentials.bearer("oauth-access-abc123")).send(
        "PUT", "/tickets/7.json", json={"ticket": {"status": "open"}}
    )

    (seen,) = scripted.seen(TICKET)
    assert seen.headers["authorization"] == "Bearer oauth-access-abc123"
    assert seen.body == b'{"ticket":{"status":"open"}}'


@pytest.mark.asyncio
async def test_429_waits_exactly_as_told_then_sends_again(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(TICKET, Reply(429, text="Too Many Requests", headers={"Retry-After": "7"}), Reply(body={}))

    response = await make_api().send("PUT", PATH, json={"ticket": {}})

    assert response.status_code == 200
    assert fake_time.sleeps == [7.0]
    assert len(scripted.seen(TICKET)) == 2


@pytest.mark.asyncio
async def test_a_429_asking_for_too_long_is_handed_back_and_holds_back_the_whole_host(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(TICKET, Reply(429, headers={"Retry-After": "600"}), Reply(body={}))
    scripted.on(f"{API_PREFIX}/users/me.json", Reply(body={"user": {}}))
    patient = RetryPolicy(max_rate_limit_wait=1000)

    with pytest.raises(RateLimited) as raised:
        await make_api(retry=RetryPolicy(max_rate_limit_wait=60)).send("GET", PATH)
    await make_api(retry=patient).send("GET", "users/me.json")

    assert raised.value.retry_after == 600
    assert raised.value.retryable and isinstance(raised.value, Retryable)
    assert "slow down" in raised.value.user_message
    assert fake_time.sleeps == [600.0]  # only the other client waited, for the host's hold
    assert len(scripted.seen(TICKET)) == 1


@pytest.mark.asyncio
async def test_a_500_is_retried_after_a_jittered_backoff(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(TICKET, Reply(500, body={"error": "InternalError"}), Reply(body={"ticket": {"id": 7}}))

    response = await make_api().send("GET", PATH)

    assert response.json() == {"ticket": {"id": 7}}
    assert fake_time.sleeps == [0.375]  # base 0.5, jitter into the upper half (random 0.5)
    assert len(scripted.seen(TICKET)) == 2


@pytest.mark.asyncio
async def test_a_lasting_5xx_gives_up_after_the_attempts_with_a_retryable_error(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(TICKET, Reply(503, text="Service Unavailable"))

    with pytest.raises(Retryable) as raised:
        await make_api(retry=RetryPolicy(max_attempts=4, base_delay=1.0)).send("GET", PATH)

    assert len(scripted.seen(TICKET)) == 4
    assert fake_time.sleeps == [0.75, 1.5, 3.0]
    assert raised.value.status == 503
    assert "HTTP 503" in raised.value.user_message and "tries again later" in raised.value.user_message


@pytest.mark.asyncio
async def test_a_write_that_may_have_landed_is_not_resent_blindly(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(TICKET, Reply(502), Reply(body={}))

    with pytest.raises(Retryable) as raised:
        await make_api().send("PUT", PATH, json={"ticket": {"comment": {"body": "hi"}}})

    assert raised.value.may_have_landed
    assert len(scripted.seen(TICKET)) == 1
    assert fake_time.sleeps == []


@pytest.mark.asyncio
async def test_a_write_the_caller_declares_repeatable_is_retried(
    make_api: ClientFactory, scripted: ScriptedServer
) -> None:
    scripted.on(TICKET, Reply(502), Reply(body={"ticket": {"priority": "high"}}))

    response = await make_api(retry=RetryPolicy(retry_ambiguous=True)).send(
        "PUT", PATH, json={"ticket": {"priority": "high"}}
    )

    assert response.status_code == 200
    assert len(scripted.seen(TICKET)) == 2


@pytest.mark.asyncio
async def test_a_dropped_connection_is_retried(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(TICKET, Reply(drop=True), Reply(body={"ticket": {"id": 7}}))

    response = await make_api().send("GET", PATH)

    assert response.json() == {"ticket": {"id": 7}}
    assert len(scripted.seen(TICKET)) == 2
    assert fake_time.sleeps == [0.375]


@pytest.mark.asyncio
async def test_a_write_whose_connection_dropped_may_have_landed(
    make_api: ClientFactory, scripted: ScriptedServer
) -> None:
    scripted.on(TICKET, Reply(drop=True))

    with pytest.raises(Retryable) as raised:
        await make_api().send("PUT", PATH, json={"ticket": {}})

    assert raised.value.may_have_landed
    assert "dropped" in raised.value.user_message


@pytest.mark.asyncio
async def test_a_slow_answer_times_out_and_is_retried_then_given_up(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(TICKET, Reply(delay=1.0, body={}))
    quick = HttpTimeouts(connect=5, read=0.2, write=5, pool=5)

    with pytest.raises(Retryable) as raised:
        await make_api(timeouts=quick, retry=RetryPolicy(max_attempts=2)).send("GET", PATH)

    assert len(scripted.seen(TICKET)) == 2
    assert len(fake_time.sleeps) == 1
    assert "did not answer in time" in raised.value.user_message


@pytest.mark.asyncio
async def test_an_unreachable_host_is_retried_then_reported_and_marked_offline(
    make_api: ClientFactory, fake_time: FakeTime
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    api = make_api(base_url=f"https://127.0.0.1:{closed_port}/api/v2")

    with pytest.raises(Unreachable) as raised:
        await api.send("PUT", "tickets/7.json", json={"ticket": {}})

    assert fake_time.sleeps == [0.375, 0.75]  # not sent at all, so even a write is retried
    assert not raised.value.may_have_landed
    assert "cannot be reached" in raised.value.user_message
    assert api.is_online() is False


@pytest.mark.asyncio
async def test_the_online_hint_follows_the_last_outcome(
    make_api: ClientFactory, scripted: ScriptedServer, server: LoopbackServer
) -> None:
    scripted.on(TICKET, Reply(body={}))
    api = make_api()
    assert api.is_online() is None

    await api.send("GET", PATH)
    assert api.is_online() is True

    server.stop()
    with pytest.raises(Unreachable):
        await api.send("GET", PATH)
    assert api.is_online() is False


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [401, 403])
async def test_refused_credentials_stop_at_once_and_ask_to_sign_in_again(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime, status: int
) -> None:
    scripted.on(TICKET, Reply(status, body={"error": "Couldn't authenticate you"}))

    with pytest.raises(AuthFailed) as raised:
        await make_api().send("GET", PATH)

    assert len(scripted.seen(TICKET)) == 1 and fake_time.sleeps == []
    assert not raised.value.retryable
    assert "Sign in again" in raised.value.user_message
    assert raised.value.server_message == "Couldn't authenticate you"


@pytest.mark.asyncio
async def test_a_409_keeps_the_servers_body_for_the_conflict(
    make_api: ClientFactory, scripted: ScriptedServer
) -> None:
    body = {
        "error": "UpdateConflict",
        "description": "Safe Update prevented the update due to outdated ticket data.",
    }
    scripted.on(TICKET, Reply(409, body=body))

    with pytest.raises(Conflict) as raised:
        await make_api().send("PUT", PATH, json={"ticket": {"safe_update": True}})

    assert raised.value.body == body
    assert "changed by someone else" in raised.value.user_message
    assert len(scripted.seen(TICKET)) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (422, ZENDESK_422, "Status: closed prevents ticket update"),
        (
            400,
            {"error": "TooManyValues", "description": "Parameter cannot specify more than 100 values"},
            "100",
        ),
    ],
)
async def test_a_rejected_request_carries_the_servers_reason(
    make_api: ClientFactory, scripted: ScriptedServer, status: int, body: object, message: str
) -> None:
    scripted.on(TICKET, Reply(status, body=body))

    with pytest.raises(Rejected) as raised:
        await make_api().send("PUT", PATH, json={"ticket": {"status": "open"}})

    assert raised.value.status == status and not raised.value.retryable
    assert message in raised.value.server_message
    assert message in raised.value.user_message


@pytest.mark.asyncio
async def test_a_missing_record_is_not_found(make_api: ClientFactory, scripted: ScriptedServer) -> None:
    scripted.on(TICKET, Reply(404, body={"error": "RecordNotFound", "description": "Not found"}))

    with pytest.raises(NotFound) as raised:
        await make_api().send("GET", PATH)

    assert raised.value.path == TICKET
    assert not raised.value.retryable


@pytest.mark.asyncio
async def test_next_page_urls_on_the_same_host_are_followed_but_never_another_host(
    make_api: ClientFactory, scripted: ScriptedServer, server: LoopbackServer
) -> None:
    scripted.on(f"{API_PREFIX}/incremental/tickets/cursor.json", Reply(body={"end_of_stream": True}))
    api = make_api()

    response = await api.send(
        "GET", f"{server.base_url}{API_PREFIX}/incremental/tickets/cursor.json?cursor=abc"
    )
    with pytest.raises(ValueError, match="refusing to send credentials"):
        await api.send("GET", "https://elsewhere.example/api/v2/tickets.json")

    assert response.json() == {"end_of_stream": True}
    assert scripted.requests[-1].query == "cursor=abc"


@pytest.mark.asyncio
async def test_send_json_decodes_the_body_and_names_an_unreadable_one(
    make_api: ClientFactory, scripted: ScriptedServer
) -> None:
    scripted.on(f"{API_PREFIX}/users/me.json", Reply(body={"user": {"role": "agent"}}))
    scripted.on(TICKET, Reply(text="<html>maintenance</html>"))
    api = make_api()

    me = await api.send_json("GET", "users/me.json")
    with pytest.raises(BadResponse) as raised:
        await api.send_json("GET", PATH)

    assert me == {"user": {"role": "agent"}}
    assert TICKET in raised.value.user_message and not raised.value.retryable


@pytest.mark.asyncio
async def test_a_429_without_retry_after_backs_off_and_gives_up_after_the_allowed_tries(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(TICKET, Reply(429, text="Too Many Requests"))

    with pytest.raises(RateLimited):
        await make_api(retry=RetryPolicy(base_delay=1.0, max_rate_limited_tries=3)).send("GET", PATH)

    assert fake_time.sleeps == [0.75, 1.5, 3.0]
    assert len(scripted.seen(TICKET)) == 4


@pytest.mark.asyncio
async def test_a_host_held_back_longer_than_the_policy_allows_raises_before_sending(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime, rate_limits: RateLimits
) -> None:
    scripted.on(TICKET, Reply(body={}))
    rate_limits.hold(make_api().base_url, 300)  # another client of the host was told Retry-After: 300

    with pytest.raises(RateLimited) as raised:
        await make_api(retry=RetryPolicy(max_rate_limit_wait=120)).send("GET", PATH)
    with pytest.raises(RateLimited):
        await make_api(retry=NO_RETRY).send("GET", PATH)

    assert raised.value.retry_after == 300
    assert scripted.requests == [] and fake_time.sleeps == []


@pytest.mark.asyncio
async def test_concurrent_requests_over_one_client_all_arrive(
    make_api: ClientFactory, scripted: ScriptedServer
) -> None:
    scripted.on(TICKET, Reply(body={"ticket": {"id": 7}}))
    api = make_api()

    responses = await asyncio.gather(*(api.send_json("GET", PATH) for _ in range(20)))

    assert responses == [{"ticket": {"id": 7}}] * 20
    assert len(scripted.seen(TICKET)) == 20
