"""Connectors built from saved connections and their keychain secrets; "Test connection"."""

from __future__ import annotations

import pytest

from core.remote.connections import ConnectionDraft
from core.remote.dtos import AuthMethod, Connection
from sync.credentials import store_secret
from sync.engine import SignInRequired
from sync.factory import check_sign_in, connector_for, draft_connection, sign_in_problem
from sync.http import AuthFailed
from sync.sandbox.zendesk.server import ZendeskSandbox


def sandbox_draft(sandbox: ZendeskSandbox, email: str | None = None) -> Connection:
    draft = ConnectionDraft(
        name="Sandbox",
        kind="zendesk",
        base_url=sandbox.base_url,
        auth_method=AuthMethod.API_TOKEN,
        account_email=email or sandbox.email,
        ca_bundle=str(sandbox.ca_bundle),
    )
    return draft_connection(draft)


@pytest.mark.asyncio
async def test_check_sign_in_names_the_agent(zendesk_sandbox: ZendeskSandbox) -> None:
    connection = sandbox_draft(zendesk_sandbox)

    account = await check_sign_in(connection, zendesk_sandbox.token)

    assert account.user_name == "Sandbox API Agent" and account.is_agent
    assert sign_in_problem(account, connection) is None


@pytest.mark.asyncio
async def test_a_refused_token_and_an_end_user_are_explained(zendesk_sandbox: ZendeskSandbox) -> None:
    connection = sandbox_draft(zendesk_sandbox)
    with pytest.raises(AuthFailed) as refused:
        await check_sign_in(connection, "wrong")
    assert (sign_in_problem(refused.value, connection) or "").startswith("Bad credentials:")

    customer = sandbox_draft(zendesk_sandbox, zendesk_sandbox.end_user_email)
    account = await check_sign_in(customer, zendesk_sandbox.end_user_token)
    assert "is not an agent" in (sign_in_problem(account, customer) or "")


def test_a_bug_is_not_passed_off_as_a_sign_in_problem(zendesk_sandbox: ZendeskSandbox) -> None:
    with pytest.raises(KeyError):
        sign_in_problem(KeyError("bug"), sandbox_draft(zendesk_sandbox))


@pytest.mark.asyncio
async def test_the_engine_connector_takes_the_secret_from_the_keychain(
    zendesk_sandbox: ZendeskSandbox,
) -> None:
    connection = sandbox_draft(zendesk_sandbox)
    with pytest.raises(SignInRequired):
        connector_for(connection)

    store_secret("Sandbox", zendesk_sandbox.token)
    connector = connector_for(connection)
    try:
        assert (await connector.check()).is_agent
    finally:
        await connector.aclose()
