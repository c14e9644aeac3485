"""Hand-written Zendesk answers in the recorded shapes, served to a connector by httpx's MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from core.remote.dtos import AuthMethod, Connection, ConnectionScope, ConnectionStatus, FieldMapping
from sync.connectors.zendesk import ZendeskConnector
from sync.http import NO_RETRY, Credentials, RateLimits

EVERY_TICKET = ConnectionScope()
FIXTURES = Path(__file__).parent / "fixtures"
BASE_URL = "https://acme.zendesk.com"
TIER_FIELD = "360001000004"
AREA_FIELD = "360001000001"
MAPPING = FieldMapping(tier_field_id=TIER_FIELD, product_area_field_id=AREA_FIELD)

Handler = Callable[[httpx.Request], httpx.Response]


def fixture(name: str) -> dict[str, Any]:
    """A fixture file's JSON body."""
    body: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return body


def connection(scope: ConnectionScope = EVERY_TICKET, mapping: FieldMapping = MAPPING) -> Connection:
    """A connection to acme.zendesk.com."""
    return Connection(
        id=7,
        name="Acme",
        kind="zendesk",
        base_url=BASE_URL,
        auth_method=AuthMethod.API_TOKEN,
        account_email="lead@acme.example",
        ca_bundle=None,
        scope=scope,
        mapping=mapping,
        enabled=True,
        status=ConnectionStatus.CONNECTED,
        status_message=None,
        last_synced_at=None,
    )


def offline_connector(
    handler: Handler, scope: ConnectionScope = EVERY_TICKET, mapping: FieldMapping = MAPPING
) -> ZendeskConnector:
    """A connector whose requests are answered by ``handler`` (no network)."""
    return ZendeskConnector(
        connection(scope, mapping),
        Credentials.api_token("lead@acme.example", "unit-test-token"),
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        retry=NO_RETRY,
        rate_limits=RateLimits(requests_per_minute=100_000),
    )


def serve(routes: dict[str, dict[str, Any]], seen: list[httpx.Request] | None = None) -> Handler:
    """A handler answering each path in ``routes`` with its body (404 for others)."""

    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        body = routes.get(request.url.path)
        if body is None:
            return httpx.Response(404, json={"error": "RecordNotFound", "description": "Not found"})
        return httpx.Response(200, json=body)

    return handle
