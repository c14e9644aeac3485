"""Pulling the sandbox Zendesk over real HTTPS: first sync, incremental sync, deletions, scope."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from core.remote.dtos import ConnectionScope, RemoteComment, RemotePage
from sync.connectors.zendesk import ZendeskConnector
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.connectors.conftest import sandbox_connector
from tests.sync.connectors.entries import ticket_with

EXPORT = "/api/v2/incremental/tickets/cursor.json"


async def pull_all(connector: ZendeskConnector, cursor: str | None = None) -> tuple[list[RemotePage], str]:
    """Pull pages until the end of the stream; the pages and the cursor to save."""
    pages: list[RemotePage] = []
    for _ in range(1000):
        page = await connector.pull(cursor)
        pages.append(page)
        cursor = page.cursor
        if page.end_of_stream:
            return pages, cursor
    raise AssertionError("the pull never reached the end of the stream")


def comments_of(pages: Iterable[RemotePage]) -> dict[str, RemoteComment]:
    return {comment.remote_id: comment for page in pages for comment in page.comments}


@pytest.mark.asyncio
async def test_the_first_sync_brings_every_ticket_and_every_comment_over_several_pages(
    zendesk_sandbox: ZendeskSandbox,
) -> None:
    connector = sandbox_connector(zendesk_sandbox, page_size=7)
    store = zendesk_sandbox.store

    pages, _ = await pull_all(connector)
    await connector.aclose()

    tickets = {ticket.remote_id: ticket for page in pages for ticket in page.tickets}
    assert sorted(int(remote_id) for remote_id in tickets) == store.ticket_ids
    expected = {str(c["id"]): c for ticket_id in store.ticket_ids for c in store.comments(ticket_id)}
    comments = comments_of(pages)
    assert comments.keys() == expected.keys()
    some_id = next(iter(expected))
    assert comments[some_id].body_text == expected[some_id]["body"]
    assert comments[some_id].public is expected[some_id]["public"]
    assert sum(1 for method, path in store.requests_seen if path == EXPORT) >= 5  # 30 tickets, 7 a page
    one = store.ticket(store.ticket_ids[0])
    pulled = tickets[str(one["id"])]
    assert (pulled.subject, pulled.status, pulled.version) == (
        one["subject"],
        one["status"],
        one["updated_at"],
    )
    requesters = {user.remote_id: user for page in pages for user in page.users}
    assert requesters[str(one["requester_id"])].is_agent is False


@pytest.mark.asyncio
async def test_an_incremental_sync_brings_only_the_customer_reply_that_arrived(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    first, cursor = await pull_all(connector)
    seen = comments_of(first)
    ticket_id = ticket_with(zendesk_sandbox, "pending")
    zendesk_sandbox.store.add_customer_reply(ticket_id, "Still failing after the update, see attached log.")

    later, _ = await pull_all(connector, cursor)

    assert [ticket.remote_id for page in later for ticket in page.tickets] == [str(ticket_id)]
    changed = next(ticket for page in later for ticket in page.tickets)
    assert changed.status == "open"  # the customer's answer reopened it
    new = [comment for remote_id, comment in comments_of(later).items() if remote_id not in seen]
    assert [(c.ticket_id, c.body_text, c.public) for c in new] == [
        (str(ticket_id), "Still failing after the update, see attached log.", True)
    ]


@pytest.mark.asyncio
async def test_a_sync_with_nothing_new_brings_no_ticket(connector: ZendeskConnector) -> None:
    _, cursor = await pull_all(connector)

    again, _ = await pull_all(connector, cursor)

    assert [ticket for page in again for ticket in page.tickets] == []


@pytest.mark.asyncio
async def test_a_deleted_ticket_is_reported_as_deleted(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    _, cursor = await pull_all(connector)
    ticket_id = ticket_with(zendesk_sandbox, "open")
    zendesk_sandbox.store.delete_ticket(ticket_id)

    later, _ = await pull_all(connector, cursor)

    assert [d for page in later for d in page.deleted_ticket_ids] == [str(ticket_id)]
    assert [ticket for page in later for ticket in page.tickets] == []


@pytest.mark.asyncio
async def test_comment_authors_not_on_any_ticket_are_fetched(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    _, cursor = await pull_all(connector)
    ticket_id = ticket_with(zendesk_sandbox, "open")
    zendesk_sandbox.store.edit_as_other_agent(ticket_id, comment={"body": "Looked at it", "public": False})

    later, _ = await pull_all(connector, cursor)

    users = {user.name: user for page in later for user in page.users}
    assert users["Another Agent"].is_agent is True
    note = next(c for c in comments_of(later).values() if c.body_text == "Looked at it")
    assert (note.public, note.author_id) == (False, users["Another Agent"].remote_id)


@pytest.mark.asyncio
async def test_a_scoped_connection_pulls_only_its_groups_tickets_and_their_comments(
    zendesk_sandbox: ZendeskSandbox,
) -> None:
    store = zendesk_sandbox.store
    group_id = store.ticket(store.ticket_ids[0])["group_id"]
    in_group = {i for i in store.ticket_ids if store.ticket(i)["group_id"] == group_id}
    connector = sandbox_connector(zendesk_sandbox, scope=ConnectionScope(group_ids=(str(group_id),)))

    pages, _ = await pull_all(connector)
    await connector.aclose()

    assert {int(ticket.remote_id) for page in pages for ticket in page.tickets} == in_group
    assert len(in_group) < len(store.ticket_ids)
    assert {int(comment.ticket_id) for comment in comments_of(pages).values()} == in_group
    assert {group.remote_id for page in pages for group in page.groups} == {str(group_id)}


@pytest.mark.asyncio
async def test_each_page_is_requested_once_though_the_next_one_is_fetched_ahead(
    zendesk_sandbox: ZendeskSandbox,
) -> None:
    connector = sandbox_connector(zendesk_sandbox, page_size=7)
    store = zendesk_sandbox.store

    pages, _ = await pull_all(connector)
    await connector.aclose()

    requested = [path for method, path in store.requests_seen if method == "GET" and "/incremental/" in path]
    ticket_pages = sum(1 for page in pages if page.tickets or page.deleted_ticket_ids)
    assert requested.count(EXPORT) == ticket_pages
    assert len(requested) == len(pages)


@pytest.mark.asyncio
async def test_starting_over_gives_the_first_page_again_and_closing_stops_the_fetch_ahead(
    zendesk_sandbox: ZendeskSandbox,
) -> None:
    connector = sandbox_connector(zendesk_sandbox, page_size=7)

    first = await connector.pull(None)
    again = await connector.pull(None)  # not the page fetched ahead
    await connector.pull(again.cursor)
    await connector.aclose()  # a page is being fetched ahead: it is cancelled quietly

    assert [t.remote_id for t in again.tickets] == [t.remote_id for t in first.tickets]
    assert first.cursor == again.cursor


@pytest.mark.asyncio
async def test_a_ticket_moved_into_the_scope_brings_its_earlier_comments(
    zendesk_sandbox: ZendeskSandbox,
) -> None:
    store = zendesk_sandbox.store
    group_id = store.ticket(store.ticket_ids[0])["group_id"]
    outside = next(
        i
        for i in store.ticket_ids
        if store.ticket(i)["group_id"] != group_id and store.ticket(i)["status"] == "open"
    )
    connector = sandbox_connector(zendesk_sandbox, scope=ConnectionScope(group_ids=(str(group_id),)))
    first, cursor = await pull_all(connector)
    assert str(outside) not in {c.ticket_id for c in comments_of(first).values()}

    store.edit_as_other_agent(outside, group_id=group_id)
    later, _ = await pull_all(connector, cursor)
    await connector.aclose()

    assert [ticket.remote_id for page in later for ticket in page.tickets] == [str(outside)]
    brought = sorted(c.remote_id for c in comments_of(later).values() if c.ticket_id == str(outside))
    assert brought == sorted(str(c["id"]) for c in store.comments(outside))
    assert len(brought) >= 1
