"""Update checks against a real HTTPS server on 127.0.0.1: only the good signed manifest is offered.

The server (Starlette, served by :class:`sync.sandbox.runner.LoopbackServer` with a throwaway
certificate, trusted through the CA bundle a policy would name) has a channel per case: a good
signed manifest, a tampered one (changed after signing), an unsigned one, redirects, an
oversized body, a server error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from core.updates import UpdateFailed, UpdateOffer, UpdateOutcome, UpdateSource, UpToDate, load_state
from sync.sandbox.runner import LoopbackServer
from sync.sandbox.tls import LocalCertificate, make_certificate
from sync.updates import MAX_MANIFEST_BYTES, check_for_update, check_if_due
from tests.core.updates.manifests import PLATFORM, PUBLIC_KEY, manifest_bytes, signed, tampered

pytestmark = pytest.mark.asyncio

GOOD, GOOD_SIGNATURE = signed(manifest_bytes("9.1.0"))
FILES: dict[str, bytes] = {
    "good/manifest.json": GOOD,
    "good/manifest.json.sig": GOOD_SIGNATURE,
    "tampered/manifest.json": tampered(GOOD),
    "tampered/manifest.json.sig": GOOD_SIGNATURE,
    "unsigned/manifest.json": GOOD,
    "huge/manifest.json": b" " * (MAX_MANIFEST_BYTES + 1),
}
REQUESTS: list[str] = []  # every path the server was asked for


async def serve_file(request: Request) -> Response:
    path = request.path_params["path"]
    REQUESTS.append(path)
    if path.startswith("broken/"):
        return PlainTextResponse("boom", status_code=500)
    if path.startswith("moved/"):
        return RedirectResponse(f"/good/{path.removeprefix('moved/')}", status_code=302)
    if path.startswith("loop/"):
        return RedirectResponse(f"/{path}", status_code=302)
    if path.startswith("downgrade/"):
        return RedirectResponse(f"http://example.com/{path}", status_code=302)
    body = FILES.get(path)
    if body is None:
        return PlainTextResponse("not found", status_code=404)
    return Response(body, media_type="application/octet-stream")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> LocalCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def server(certificate: LocalCertificate) -> Iterator[LoopbackServer]:
    app = Starlette(routes=[Route("/{path:path}", serve_file)])
    with LoopbackServer(app, certificate) as running:
        yield running


def source(server: LoopbackServer, channel_dir: str) -> UpdateSource:
    return UpdateSource(channel="stable", manifest_url=f"{server.base_url}/{channel_dir}/manifest.json")


async def check(
    server: LoopbackServer, certificate: LocalCertificate, channel_dir: str, current: str = "1.0"
) -> UpdateOutcome:
    return await check_for_update(
        source(server, channel_dir),
        current_version=current,
        ca_bundle=certificate.cert_path,
        public_key=PUBLIC_KEY,
        platform_key=PLATFORM,
    )


async def test_the_good_manifest_is_offered(server: LoopbackServer, certificate: LocalCertificate) -> None:
    outcome = await check(server, certificate, "good")
    assert isinstance(outcome, UpdateOffer)
    assert outcome.version == "9.1.0"
    assert outcome.download.url.endswith("handoff-9.1.0-linux-x86_64.tar.gz")


async def test_tampered_and_unsigned_manifests_are_reported_not_followed(
    server: LoopbackServer, certificate: LocalCertificate
) -> None:
    assert await check(server, certificate, "tampered") == UpdateFailed("signature invalid")
    assert await check(server, certificate, "unsigned") == UpdateFailed("signature missing")


async def test_the_same_version_is_up_to_date(server: LoopbackServer, certificate: LocalCertificate) -> None:
    assert await check(server, certificate, "good", current="9.1.0") == UpToDate("9.1.0", "9.1.0")


async def test_redirects_are_followed_a_few_times_on_https_only(
    server: LoopbackServer, certificate: LocalCertificate
) -> None:
    assert isinstance(await check(server, certificate, "moved"), UpdateOffer)
    assert await check(server, certificate, "loop") == UpdateFailed("more than 3 redirects")
    downgrade = await check(server, certificate, "downgrade")
    assert isinstance(downgrade, UpdateFailed) and "(HTTPS only)" in downgrade.reason


async def test_bad_answers_fail_with_a_short_reason(
    server: LoopbackServer, certificate: LocalCertificate
) -> None:
    assert await check(server, certificate, "huge") == UpdateFailed(
        f"the response is larger than {MAX_MANIFEST_BYTES} bytes"
    )
    assert await check(server, certificate, "broken") == UpdateFailed("the update server answered 500")
    assert await check(server, certificate, "absent") == UpdateFailed("no manifest at the update URL")


async def test_tls_is_verified_without_the_ca_bundle(server: LoopbackServer) -> None:
    outcome = await check_for_update(
        source(server, "good"), current_version="1.0", public_key=PUBLIC_KEY, platform_key=PLATFORM
    )
    assert outcome == UpdateFailed("the update server cannot be reached (ConnectError)")


async def test_at_most_one_check_a_day_and_failures_are_logged(
    server: LoopbackServer, certificate: LocalCertificate, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = tmp_path / "updates.json"
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)

    async def due(channel_dir: str, at: datetime) -> UpdateOutcome | None:
        return await check_if_due(
            source(server, channel_dir),
            state,
            now=at,
            current_version="1.0",
            ca_bundle=certificate.cert_path,
            public_key=PUBLIC_KEY,
            platform_key=PLATFORM,
        )

    with caplog.at_level(logging.WARNING, logger="handoff.updates"):
        assert await due("tampered", now) == UpdateFailed("signature invalid")
    assert "update check failed: signature invalid" in caplog.text
    assert load_state(state).last_check_at == now
    asked = len(REQUESTS)
    assert await due("good", now + timedelta(hours=20)) is None
    assert len(REQUESTS) == asked  # nothing was fetched
    assert isinstance(await due("good", now + timedelta(days=1)), UpdateOffer)
