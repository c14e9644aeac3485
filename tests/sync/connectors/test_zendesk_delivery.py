"""Exactly once: a push whose answer was lost is found on the ticket instead of being sent twice."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from core.domain.enums import OutboxOperation
from core.remote.delivery import DeliveryTarget
from sync.connectors.zendesk import ZendeskConnector
from sync.http import Credentials, RateLimits, Retryable, ssl_context
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.connectors.conftest import sandbox_connection
from tests.sync.connectors.entries import entry, reply_payload, stage_payload, target, ticket_with
from tests.sync.connectors.recorded_shapes import offline_connector


class LosesTheFirstAnswer(httpx.AsyncHTTPTransport):
    """Sends every request; the answer to the first PUT is lost as if the connection dropped."""

    def __init__(self, sandbox: ZendeskSandbox) -> None:
        assert sandbox.ca_bundle is not None
        super().__init__(verify=ssl_context(sandbox.ca_bundle))
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if request.method == "PUT" and self.lost == 0:
            self.lost += 1
            await response.aclose()
            raise httpx.ReadError("the connection dropped", request=request)
        return response


@pytest_asyncio.fixture
async def flaky(zendesk_sandbox: ZendeskSandbox) -> AsyncIterator[ZendeskConnector]:
    """A connector to the sandbox whose first write lands on the server but whose answer is lost."""
    client = httpx.AsyncClient(transport=LosesTheFirstAnswer(zendesk_sandbox))
    connector = ZendeskConnector(
        sandbox_connection(zendesk_sandbox),
        Credentials.api_token(zendesk_sandbox.email, zendesk_sandbox.token),
        client=client,
        rate_limits=RateLimits(requests_per_minute=100_000),
    )
    yield connector
    await client.aclose()


@pytest.mark.asyncio
async def test_every_push_is_a_safe_update_carrying_the_entry_key() -> None:
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(
            200, json={"ticket": {"updated_at": "2026-11-02T09:05:00Z"}, "audit": {"id": 8}}
        )

    connector = offline_connector(handle)
    reply = entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("Hi"), ticket_id=4101)
    result = await connector.push(
        reply, DeliveryTarget(case_id=1, remote_id="4101", version="2026-11-02T09:00:00Z")
    )
    await connector.aclose()

    body = json.loads(sent[0].content)["ticket"]
    assert sent[0].method == "PUT"
    assert sent[0].url.path == "/api/v2/tickets/4101.json"
    assert (body["safe_update"], body["updated_stamp"]) == (True, "2026-11-02T09:00:00Z")
    assert body["metadata"] == {"custom": {"handoff_key": reply.idempotency_key}}
    assert (result.remote_ids, result.ticket_version) == ({"audit": "8"}, "2026-11-02T09:05:00Z")


@pytest.mark.asyncio
async def test_the_key_is_looked_for_on_every_page_of_the_ticket_audits() -> None:
    reply = entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("Hi"), ticket_id=4101)
    mine = {
        "id": 9002,
        "ticket_id": 4101,
        "created_at": "2026-11-02T09:05:00Z",
        "author_id": 360000000011,
        "metadata": {"system": {}, "custom": {"handoff_key": reply.idempotency_key}},
        "events": [{"id": 7002, "type": "Comment", "body": "Hi", "public": True}],
    }
    other = mine | {"id": 9001, "metadata": {"system": {}, "custom": {}}, "events": []}
    pages = {
        None: {"audits": [other], "meta": {"has_more": True, "after_cursor": "c1"}},
        "c1": {"audits": [mine], "meta": {"has_more": False, "after_cursor": "c2"}},
    }

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/audits.json"):
            return httpx.Response(200, json=pages[request.url.params.get("page[after]")])
        return httpx.Response(200, json={"ticket": {"id": 4101, "updated_at": "2026-11-02T09:05:00Z"}})

    connector = offline_connector(handle)
    found = await connector.find_delivered(reply, DeliveryTarget(case_id=1, remote_id="4101", version=None))
    await connector.aclose()

    assert found is not None
    assert found.remote_ids == {"audit": "9002", "comment": "7002"}
    assert found.ticket_version == "2026-11-02T09:05:00Z"  # its audit is the ticket's latest change


@pytest.mark.asyncio
async def test_an_entry_never_sent_is_not_found(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    reply = entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("Never sent"))

    assert await connector.find_delivered(reply, target(zendesk_sandbox, ticket_id)) is None


@pytest.mark.asyncio
async def test_a_delivered_reply_is_found_by_its_key(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    reply = entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("Found later"))
    pushed = await connector.push(reply, target(zendesk_sandbox, ticket_id))

    found = await connector.find_delivered(reply, target(zendesk_sandbox, ticket_id))

    assert found is not None
    assert found.remote_ids == pushed.remote_ids
    assert found.ticket_version == pushed.ticket_version


@pytest.mark.asyncio
async def test_a_reply_whose_answer_was_lost_lands_exactly_once(
    zendesk_sandbox: ZendeskSandbox, flaky: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    pulled = target(zendesk_sandbox, ticket_id)
    reply = entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("Only once, please"))

    with pytest.raises(Retryable) as lost:
        await flaky.push(reply, pulled)
    assert lost.value.may_have_landed is True

    found = await flaky.find_delivered(reply, pulled)

    assert found is not None
    bodies = [c["body"] for c in zendesk_sandbox.store.comments(ticket_id)]
    assert bodies.count("Only once, please") == 1
    assert found.remote_ids["comment"] == str(zendesk_sandbox.store.comments(ticket_id)[-1]["id"])


@pytest.mark.asyncio
async def test_a_pulled_comment_carries_the_key_of_the_entry_that_wrote_it(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    cursor: str | None = None
    while True:
        page = await connector.pull(cursor)
        cursor = page.cursor
        if page.end_of_stream:
            break
    reply = entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("Marked reply"))
    await connector.push(reply, target(zendesk_sandbox, ticket_id))

    markers = {}
    while True:
        page = await connector.pull(cursor)
        markers.update({c.body_text: c.marker for c in page.comments})
        cursor = page.cursor
        if page.end_of_stream:
            break

    assert markers["Marked reply"] == reply.idempotency_key


@pytest.mark.asyncio
async def test_a_status_change_whose_answer_was_lost_counts_as_delivered_when_the_ticket_shows_it(
    zendesk_sandbox: ZendeskSandbox, flaky: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    pulled = target(zendesk_sandbox, ticket_id)
    change = entry(OutboxOperation.CHANGE_STAGE, stage_payload("investigating", "awaiting_engineering"))

    with pytest.raises(Retryable):
        await flaky.push(change, pulled)

    assert zendesk_sandbox.store.ticket(ticket_id)["status"] == "hold"
    assert await flaky.find_delivered(change, pulled) is not None


@pytest.mark.asyncio
async def test_a_status_change_that_did_not_land_is_not_found(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    change = entry(OutboxOperation.CHANGE_STAGE, stage_payload("investigating", "awaiting_engineering"))

    assert await connector.find_delivered(change, target(zendesk_sandbox, ticket_id)) is None


@pytest.mark.asyncio
async def test_a_long_ticket_history_is_searched_from_its_newest_audits(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    store = zendesk_sandbox.store
    ticket_id = ticket_with(zendesk_sandbox, "open")
    for number in range(120):  # more than one page of audits
        store.edit_as_other_agent(ticket_id, tags=[f"step{number}"])
    reply = entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("Recent reply"))
    pushed = await connector.push(reply, target(zendesk_sandbox, ticket_id))
    audits_path = f"/api/v2/tickets/{ticket_id}/audits.json"
    before = store.requests_seen.count(("GET", audits_path))

    found = await connector.find_delivered(reply, target(zendesk_sandbox, ticket_id))

    assert found is not None
    assert found.remote_ids == pushed.remote_ids
    assert store.requests_seen.count(("GET", audits_path)) - before == 1
