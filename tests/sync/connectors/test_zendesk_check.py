"""'Test connection' against the sandbox Zendesk over real HTTPS."""

from __future__ import annotations

import dataclasses

import pytest

from sync.connectors.zendesk import ZendeskConnector
from sync.http import AuthFailed, Credentials, RateLimits, TlsFailure
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.connectors.conftest import sandbox_connection, sandbox_connector


@pytest.mark.asyncio
async def test_an_agent_token_reports_the_agent(
    connector: ZendeskConnector, zendesk_sandbox: ZendeskSandbox
) -> None:
    account = await connector.check()

    assert (account.user_name, account.user_email, account.is_agent) == (
        "Sandbox API Agent",
        zendesk_sandbox.email,
        True,
    )


@pytest.mark.asyncio
async def test_an_oauth_bearer_token_works_too(zendesk_sandbox: ZendeskSandbox) -> None:
    connector = sandbox_connector(zendesk_sandbox, credentials=Credentials.bearer(zendesk_sandbox.token))

    account = await connector.check()
    await connector.aclose()

    assert account.user_email == zendesk_sandbox.email


@pytest.mark.asyncio
async def test_an_end_user_token_is_not_an_agent(zendesk_sandbox: ZendeskSandbox) -> None:
    credentials = Credentials.api_token(zendesk_sandbox.end_user_email, zendesk_sandbox.end_user_token)
    connector = sandbox_connector(zendesk_sandbox, credentials=credentials)

    account = await connector.check()
    await connector.aclose()

    assert (account.user_name, account.is_agent) == ("Sandbox Customer", False)


@pytest.mark.asyncio
async def test_a_wrong_token_is_refused(zendesk_sandbox: ZendeskSandbox) -> None:
    credentials = Credentials.api_token(zendesk_sandbox.email, "not-the-token")
    connector = sandbox_connector(zendesk_sandbox, credentials=credentials)

    with pytest.raises(AuthFailed) as refused:
        await connector.check()
    await connector.aclose()

    assert refused.value.status == 401
    assert "Sign in again" in refused.value.user_message


@pytest.mark.asyncio
async def test_the_sandbox_certificate_is_refused_without_its_ca_bundle(
    zendesk_sandbox: ZendeskSandbox,
) -> None:
    connection = dataclasses.replace(sandbox_connection(zendesk_sandbox), ca_bundle=None)
    connector = ZendeskConnector(
        connection,
        Credentials.api_token(zendesk_sandbox.email, zendesk_sandbox.token),
        rate_limits=RateLimits(requests_per_minute=100_000),
    )

    with pytest.raises(TlsFailure) as refused:
        await connector.check()
    await connector.aclose()

    assert refused.value.certificate_untrusted is True
    assert zendesk_sandbox.store.requests_seen.count(("GET", "/api/v2/users/me.json")) == 0
