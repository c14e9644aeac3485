"""Fixtures for the HTTP layer: a scripted HTTPS server on 127.0.0.1, a fake clock, client builders."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from sync.http import ApiClient, Credentials, HttpTimeouts, RateLimits, RetryPolicy, make_client
from sync.sandbox.runner import LoopbackServer
from sync.sandbox.tls import LocalCertificate, make_certificate
from tests.sync.http.scripted_server import ScriptedServer

EMAIL = "agent@acme.example"
TOKEN = "zd-test-token-5f1c9e2b7a"
API_PREFIX = "/api/v2"
TEST_TIMEOUTS = HttpTimeouts(connect=5, read=5, write=5, pool=5)


@dataclass
class FakeTime:
    """A clock that moves only when the code under test sleeps; every sleep is recorded."""

    now: float = 1_000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> LocalCertificate:
    """A self-signed certificate for 127.0.0.1 (its file is the extra CA bundle clients trust)."""
    return make_certificate(tmp_path_factory.mktemp("http-tls"))


@pytest.fixture
def scripted() -> ScriptedServer:
    """The replies and the record of requests of the server of this test."""
    return ScriptedServer()


@pytest.fixture
def server(scripted: ScriptedServer, certificate: LocalCertificate) -> Iterator[LoopbackServer]:
    """The scripted app served over HTTPS on 127.0.0.1."""
    with LoopbackServer(scripted.app, certificate) as running:
        yield running


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def rate_limits(fake_time: FakeTime) -> RateLimits:
    """A pacing registry of this test only, on the fake clock."""
    return RateLimits(clock=fake_time.clock, wall_clock=lambda: 1_700_000_000.0)


ClientFactory = Callable[..., ApiClient]


@pytest_asyncio.fixture
async def make_api(
    server: LoopbackServer, certificate: LocalCertificate, fake_time: FakeTime, rate_limits: RateLimits
) -> AsyncIterator[ClientFactory]:
    """Builds ApiClients for the scripted server (trusting its certificate); closes them afterwards."""
    opened: list[httpx.AsyncClient] = []

    def build(
        *,
        credentials: Credentials | None = None,
        retry: RetryPolicy | None = None,
        timeouts: HttpTimeouts = TEST_TIMEOUTS,
        ca_bundle: Path | None = certificate.cert_path,
        base_url: str | None = None,
    ) -> ApiClient:
        http = make_client(ca_bundle=ca_bundle, timeout=timeouts)
        opened.append(http)
        return ApiClient(
            http,
            base_url or server.base_url + API_PREFIX,
            credentials or Credentials.api_token(EMAIL, TOKEN),
            retry=retry or RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=8.0),
            rate_limits=rate_limits,
            sleep=fake_time.sleep,
            random=lambda: 0.5,
        )

    yield build
    for http in opened:
        await http.aclose()
