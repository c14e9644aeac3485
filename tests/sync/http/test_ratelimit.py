"""Pacing per host: the server's usage headers and the client-side cap slow requests down."""

from __future__ import annotations

import pytest

from sync.http import RateLimits, host_key
from sync.sandbox.runner import LoopbackServer
from tests.sync.http.conftest import API_PREFIX, ClientFactory, FakeTime
from tests.sync.http.scripted_server import Reply, ScriptedServer

ME = f"{API_PREFIX}/users/me.json"


@pytest.mark.asyncio
async def test_no_remaining_requests_waits_for_the_reset(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(
        ME, Reply(headers={"x-rate-limit": "700", "x-rate-limit-remaining": "0", "ratelimit-reset": "12"})
    )
    api = make_api()

    await api.send("GET", "users/me.json")
    await api.send("GET", "users/me.json")

    assert fake_time.sleeps == [12.0]


@pytest.mark.asyncio
async def test_few_remaining_requests_are_spread_until_the_reset(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(ME, Reply(headers={"rate-limit-remaining": "4", "rate-limit-reset": "10"}))
    api = make_api()

    await api.send("GET", "users/me.json")
    await api.send("GET", "users/me.json")

    assert fake_time.sleeps == [2.0]  # 10 s left for 4 more requests (and this one)


@pytest.mark.asyncio
async def test_plenty_remaining_sends_at_once(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on(ME, Reply(headers={"ratelimit-remaining": "612", "ratelimit-reset": "22"}))
    api = make_api()

    for _ in range(3):
        await api.send("GET", "users/me.json")

    assert fake_time.sleeps == []


@pytest.mark.asyncio
async def test_the_client_side_cap_is_shared_by_every_client_of_the_host(
    make_api: ClientFactory,
    scripted: ScriptedServer,
    fake_time: FakeTime,
    rate_limits: RateLimits,
    server: LoopbackServer,
) -> None:
    scripted.on(ME, Reply(body={}))
    rate_limits.configure(server.base_url, requests_per_minute=2)
    first, second = make_api(), make_api()

    await first.send("GET", "users/me.json")
    await second.send("GET", "users/me.json")
    await first.send("GET", "users/me.json")

    assert fake_time.sleeps == [60.0]
    assert len(scripted.seen(ME)) == 3


def test_a_reset_given_as_a_unix_time_counts_from_now(fake_time: FakeTime) -> None:
    limits = RateLimits(clock=fake_time.clock, wall_clock=lambda: 1_700_000_000.0)

    limits.observe("https://api.example", {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000030"})

    assert limits.reserve("https://api.example/conversations") == 30.0


def test_hosts_are_paced_apart(fake_time: FakeTime) -> None:
    limits = RateLimits(clock=fake_time.clock)

    limits.hold("https://acme.zendesk.com/api/v2", 30)

    assert limits.reserve("https://acme.zendesk.com/api/v2/tickets.json") == 30.0
    assert limits.reserve("https://other.zendesk.com/api/v2/tickets.json") == 0.0
    assert host_key("https://acme.zendesk.com/x") == host_key("https://acme.zendesk.com:443/y")


def test_requests_booked_at_the_same_moment_queue_behind_the_cap(fake_time: FakeTime) -> None:
    limits = RateLimits(requests_per_minute=2, clock=fake_time.clock)

    delays = [limits.reserve("https://acme.zendesk.com/api/v2/tickets.json") for _ in range(5)]

    assert delays == [0.0, 0.0, 60.0, 60.0, 120.0]
