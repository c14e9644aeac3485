"""TLS is always verified: an untrusted certificate fails at once, an extra CA bundle makes it trusted."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from sync.http import CaBundleUnreadable, TlsFailure, make_client
from sync.sandbox.runner import LoopbackServer
from sync.sandbox.tls import make_certificate
from tests.sync.http.conftest import ClientFactory, FakeTime
from tests.sync.http.scripted_server import Reply, ScriptedServer


@pytest.mark.asyncio
async def test_a_certificate_nobody_trusts_fails_without_retrying(
    make_api: ClientFactory, scripted: ScriptedServer, fake_time: FakeTime
) -> None:
    scripted.on("/api/v2/users/me.json", Reply(body={"user": {}}))
    api = make_api(ca_bundle=None)

    with pytest.raises(TlsFailure) as raised:
        await api.send("GET", "users/me.json")

    assert raised.value.certificate_untrusted and not raised.value.retryable
    assert "is not trusted" in raised.value.user_message
    assert "Extra CA bundle" in raised.value.user_message
    assert scripted.requests == [] and fake_time.sleeps == []
    assert api.is_online() is True  # the host is there; only its certificate is refused


@pytest.mark.asyncio
async def test_trusting_another_authority_does_not_help(
    make_api: ClientFactory, scripted: ScriptedServer, tmp_path: Path
) -> None:
    other = make_certificate(tmp_path / "other")

    with pytest.raises(TlsFailure):
        await make_api(ca_bundle=other.cert_path).send("GET", "users/me.json")

    assert scripted.requests == []


@pytest.mark.asyncio
async def test_the_extra_ca_bundle_makes_the_certificate_trusted(
    make_api: ClientFactory, scripted: ScriptedServer
) -> None:
    scripted.on("/api/v2/users/me.json", Reply(body={"user": {"role": "agent"}}))

    response = await make_api().send("GET", "users/me.json")  # the fixture trusts the server's certificate

    assert response.json() == {"user": {"role": "agent"}}


@pytest.mark.asyncio
async def test_https_to_a_plain_http_server_is_a_tls_failure(make_api: ClientFactory) -> None:
    with LoopbackServer(ScriptedServer().app) as plain:
        api = make_api(base_url=plain.base_url.replace("http://", "https://") + "/api/v2")

        with pytest.raises(TlsFailure) as raised:
            await api.send("GET", "users/me.json")

    assert not raised.value.certificate_untrusted
    assert "No secure connection" in raised.value.user_message


@pytest.mark.parametrize("content", [None, "this is not a certificate"], ids=["missing", "not-pem"])
def test_an_unreadable_ca_bundle_is_named_in_the_error(tmp_path: Path, content: str | None) -> None:
    bundle = tmp_path / "corporate-ca.pem"
    if content is not None:
        bundle.write_text(content)

    with pytest.raises(CaBundleUnreadable) as raised:
        make_client(ca_bundle=bundle)

    assert str(bundle) in raised.value.user_message


def test_there_is_no_switch_to_turn_verification_off() -> None:
    assert list(inspect.signature(make_client).parameters) == ["ca_bundle", "timeout"]
