"""Who the sandbox Zendesk lets in: API tokens (Basic) and Bearer tokens; end-users are not agents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sync.sandbox.zendesk.envelope import RateLimit
from sync.sandbox.zendesk.seed import SeedData
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.sandbox.clients import verifying_context

ME = "/api/v2/users/me.json"


@pytest.fixture
def anonymous(zendesk_sandbox: ZendeskSandbox) -> httpx.Client:
    return httpx.Client(base_url=zendesk_sandbox.base_url, verify=verifying_context(zendesk_sandbox))


def test_an_api_token_and_the_same_token_as_bearer_sign_in_the_agent(
    zendesk_sandbox: ZendeskSandbox, anonymous: httpx.Client
) -> None:
    with anonymous:
        basic = anonymous.get(ME, auth=(f"{zendesk_sandbox.email}/token", zendesk_sandbox.token))
        bearer = anonymous.get(ME, headers={"Authorization": f"Bearer {zendesk_sandbox.token}"})

    assert basic.status_code == bearer.status_code == 200
    assert basic.json()["user"]["email"] == zendesk_sandbox.email
    assert basic.json()["user"]["role"] == "agent"
    assert bearer.json()["user"]["id"] == basic.json()["user"]["id"]


Credentials = Callable[[ZendeskSandbox], dict[str, Any]]


@pytest.mark.parametrize(
    "credentials",
    [
        pytest.param(lambda sandbox: {}, id="none"),
        pytest.param(lambda sandbox: {"auth": (f"{sandbox.email}/token", "wrong")}, id="wrong token"),
        pytest.param(lambda sandbox: {"auth": (sandbox.email, sandbox.token)}, id="token as a password"),
        pytest.param(lambda sandbox: {"headers": {"Authorization": "Bearer wrong"}}, id="wrong bearer"),
        pytest.param(lambda sandbox: {"headers": {"Authorization": "Basic !!!"}}, id="garbage"),
    ],
)
def test_anything_else_gets_401_with_zendesks_body(
    zendesk_sandbox: ZendeskSandbox, anonymous: httpx.Client, credentials: Credentials
) -> None:
    with anonymous:
        response = anonymous.get(ME, **credentials(zendesk_sandbox))

    assert response.status_code == 401
    assert response.json() == {"error": "Couldn't authenticate you"}


def test_an_end_user_credential_is_not_an_agent(
    zendesk_sandbox: ZendeskSandbox, anonymous: httpx.Client
) -> None:
    credentials = (f"{zendesk_sandbox.end_user_email}/token", zendesk_sandbox.end_user_token)
    with anonymous:
        me = anonymous.get(ME, auth=credentials)
        export = anonymous.get("/api/v2/incremental/tickets/cursor.json?start_time=0", auth=credentials)

    assert me.status_code == 200 and me.json()["user"]["role"] == "end-user"
    assert export.status_code == 403 and export.json()["error"] == "Forbidden"


def test_every_answer_carries_the_rate_limit_headers(agent: httpx.Client) -> None:
    ok = agent.get(ME)
    missing = agent.get("/api/v2/tickets/1.json")

    for response in (ok, missing):
        assert response.headers["x-rate-limit"] == "700"
        assert int(response.headers["x-rate-limit-remaining"]) < 700
        assert response.headers["ratelimit-limit"] == "700"
        assert 0 < int(response.headers["ratelimit-reset"]) <= 60
    assert int(missing.headers["ratelimit-remaining"]) < int(ok.headers["ratelimit-remaining"])
    assert ok.headers["etag"].startswith('W/"')


def test_requests_seen_logs_method_and_path(zendesk_sandbox: ZendeskSandbox, agent: httpx.Client) -> None:
    agent.get(ME)
    agent.put("/api/v2/tickets/1.json", json={"ticket": {}})

    assert list(zendesk_sandbox.store.requests_seen)[-2:] == [
        ("GET", ME),
        ("PUT", "/api/v2/tickets/1.json"),
    ]


def test_an_enforced_rate_limit_answers_429_with_the_seconds_left_in_the_minute(
    zendesk_seed: SeedData,
) -> None:
    with (
        ZendeskSandbox(
            seed_data=zendesk_seed, http=True, rate_limit=RateLimit(per_minute=3, enforce=True)
        ) as sandbox,
        httpx.Client(base_url=sandbox.base_url, auth=(f"{sandbox.email}/token", sandbox.token)) as client,
    ):
        responses = [client.get(ME) for _ in range(7)]  # 7 > 2 x 3: over the limit even if a minute turns

    refused = [response for response in responses if response.status_code == 429]
    assert refused and responses[0].status_code == 200
    assert len(responses) - len(refused) >= 3
    for response in refused:
        assert 0 < int(response.headers["retry-after"]) <= 60
        assert response.headers["x-rate-limit-remaining"] == "0"


def test_the_advertised_limit_can_be_raised_for_benchmarks(zendesk_seed: SeedData) -> None:
    with (
        ZendeskSandbox(
            seed_data=zendesk_seed, http=True, rate_limit=RateLimit(per_minute=1_000_000)
        ) as sandbox,
        httpx.Client(base_url=sandbox.base_url, auth=(f"{sandbox.email}/token", sandbox.token)) as client,
    ):
        response = client.get(ME)

    assert response.headers["x-rate-limit"] == "1000000"
    assert int(response.headers["ratelimit-remaining"]) > 999_000
