"""The next export page is asked for before this one is decoded; a wrong guess costs a request, not a page."""

from __future__ import annotations

import orjson
import pytest

import sync.connectors.zendesk.connector as connector_module
from core.remote.dtos import RemotePage
from sync.connectors.zendesk.cursor import Phase, SyncCursor
from sync.connectors.zendesk.peek import peek_paging
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.connectors.conftest import sandbox_connector
from tests.sync.connectors.test_zendesk_pull import comments_of, pull_all

EVENTS = "/api/v2/incremental/ticket_events.json"


def _event_pages(pages: list[RemotePage]) -> int:
    """How many of ``pages`` were read from the ticket events export."""
    positions = [None, *(page.cursor for page in pages[:-1])]
    return sum(1 for cursor in positions if SyncCursor.decode(cursor).phase is Phase.EVENTS)


def _events_requests(sandbox: ZendeskSandbox) -> int:
    return sum(1 for _method, path in sandbox.store.requests_seen if path == EVENTS)


def test_the_paging_values_are_read_from_the_raw_page_as_decoding_would_read_them() -> None:
    page = {
        "ticket_events": [
            # A comment quoting paging keys: inside a JSON string its quotes are escaped.
            {
                "id": 1,
                "body": 'see "end_time": 5 and "end_of_stream": true',
                "created_at": "2026-11-01T09:00:00Z",
            }
        ],
        "next_page": "https://example.zendesk.com/api/v2/incremental/ticket_events.json?start_time=1761987600",
        "count": 1,
        "end_of_stream": False,
        "end_time": 1761987600,
    }
    assert peek_paging(orjson.dumps(page)) == {"end_of_stream": False, "end_time": 1761987600}
    tickets = {"tickets": [], "after_cursor": 'MTU3NjYxMzUzOS4wfHw0Njd8 "quoted"', "end_of_stream": True}
    assert peek_paging(orjson.dumps(tickets)) == {
        "end_of_stream": True,
        "after_cursor": 'MTU3NjYxMzUzOS4wfHw0Njd8 "quoted"',
    }
    assert peek_paging(b'{"tickets": [], "after_cursor": null}') == {"after_cursor": None}
    assert peek_paging(b"not json at all") == {}


@pytest.mark.asyncio
async def test_the_next_page_is_asked_for_from_the_raw_bytes(zendesk_sandbox: ZendeskSandbox) -> None:
    connector = sandbox_connector(zendesk_sandbox, page_size=7)
    pages, _ = await pull_all(connector)
    await connector.aclose()
    store = zendesk_sandbox.store
    expected = {str(c["id"]) for ticket_id in store.ticket_ids for c in store.comments(ticket_id)}
    assert comments_of(pages).keys() == expected
    # Each events page was asked for once: every guess was right, none fetched twice.
    assert _events_requests(zendesk_sandbox) == _event_pages(pages) > 2


@pytest.mark.asyncio
async def test_a_wrong_guess_is_asked_again_and_no_page_is_lost(
    zendesk_sandbox: ZendeskSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every guess says the next events page starts at the very beginning: always wrong.
    monkeypatch.setattr(
        connector_module, "peek_paging", lambda _content: {"end_of_stream": False, "end_time": 1}
    )
    connector = sandbox_connector(zendesk_sandbox, page_size=7)
    pages, _ = await pull_all(connector)
    await connector.aclose()
    store = zendesk_sandbox.store
    expected = {str(c["id"]) for ticket_id in store.ticket_ids for c in store.comments(ticket_id)}
    tickets = {ticket.remote_id for page in pages for ticket in page.tickets}
    assert comments_of(pages).keys() == expected
    assert sorted(int(remote_id) for remote_id in tickets) == store.ticket_ids
    assert _events_requests(zendesk_sandbox) > _event_pages(pages)  # the wrong guesses were asked for too
