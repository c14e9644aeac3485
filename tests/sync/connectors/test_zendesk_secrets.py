"""The API token never reaches the logs, whatever the connector does (DEBUG logging on)."""

from __future__ import annotations

import logging

import pytest

from core.domain.enums import OutboxOperation
from sync.http import AuthFailed, Credentials
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.connectors.conftest import sandbox_connector
from tests.sync.connectors.entries import entry, reply_payload, target, ticket_with


@pytest.mark.asyncio
async def test_pulls_pushes_and_refusals_never_log_the_token(
    zendesk_sandbox: ZendeskSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    connector = sandbox_connector(zendesk_sandbox, page_size=10)
    page = await connector.pull(None)
    ticket_id = ticket_with(zendesk_sandbox, "open")
    await connector.push(
        entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("Hello")), target(zendesk_sandbox, ticket_id)
    )
    await connector.aclose()
    wrong = sandbox_connector(
        zendesk_sandbox, credentials=Credentials.api_token(zendesk_sandbox.email, "wrong-tok")
    )
    with pytest.raises(AuthFailed):
        await wrong.pull(page.cursor)
    await wrong.aclose()

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # httpx and the HTTP layer did log at DEBUG
    assert zendesk_sandbox.token not in logged
    assert "wrong-tok" not in logged
    assert Credentials.api_token(zendesk_sandbox.email, zendesk_sandbox.token).value not in logged  # base64
