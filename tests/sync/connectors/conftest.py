"""Fixtures for the connector tests: a connection to the sandbox Zendesk and a connector signed in to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from core.remote.dtos import AuthMethod, Connection, ConnectionScope, ConnectionStatus, FieldMapping
from sync.connectors.zendesk import ZendeskConnector
from sync.http import Credentials, RateLimits
from sync.sandbox.zendesk.seed import FIELD_ESCALATION_TIER, FIELD_PRODUCT_AREA
from sync.sandbox.zendesk.server import ZendeskSandbox

EVERY_TICKET = ConnectionScope()
SANDBOX_MAPPING = FieldMapping(
    tier_field_id=str(FIELD_ESCALATION_TIER), product_area_field_id=str(FIELD_PRODUCT_AREA)
)


def sandbox_connection(
    sandbox: ZendeskSandbox,
    scope: ConnectionScope = EVERY_TICKET,
    mapping: FieldMapping = SANDBOX_MAPPING,
) -> Connection:
    """A connection to the sandbox account, trusting its certificate as the extra CA bundle."""
    return Connection(
        id=1,
        name="Sandbox",
        kind="zendesk",
        base_url=sandbox.base_url,
        auth_method=AuthMethod.API_TOKEN,
        account_email=sandbox.email,
        ca_bundle=str(sandbox.ca_bundle),
        scope=scope,
        mapping=mapping,
        enabled=True,
        status=ConnectionStatus.NEVER_SYNCED,
        status_message=None,
        last_synced_at=None,
    )


def sandbox_connector(
    sandbox: ZendeskSandbox,
    *,
    credentials: Credentials | None = None,
    scope: ConnectionScope = EVERY_TICKET,
    page_size: int | None = None,
) -> ZendeskConnector:
    """A connector to the sandbox (the agent's API token unless ``credentials`` say otherwise)."""
    return ZendeskConnector(
        sandbox_connection(sandbox, scope),
        credentials or Credentials.api_token(sandbox.email, sandbox.token),
        rate_limits=RateLimits(requests_per_minute=100_000),
        page_size=page_size,
    )


@pytest_asyncio.fixture
async def connector(zendesk_sandbox: ZendeskSandbox) -> AsyncIterator[ZendeskConnector]:
    """The sandbox agent's connector, closed after the test."""
    connector = sandbox_connector(zendesk_sandbox)
    yield connector
    await connector.aclose()
