"""Pulled pages merged into the workspace by pure, tested rules, with the page's cursor.

CONTRACT (signatures fixed; the core-sync helper implements the bodies).

:func:`apply_page` runs in the caller's transaction: organizations become customers, end users
contacts, agents people, groups teams, tickets cases (``source_system`` = the connection's kind,
``remote_id`` = the ticket id), comments timeline events (customer messages, public replies,
internal notes), each matched by remote id first. Rules:

- a case field with a pending local edit (an undelivered outbox entry that sets it) is never
  overwritten by a pulled value (:func:`pending_fields`);
- a pulled status moves the case only when its current stage does not already map to that status;
- a comment carrying Handoff's idempotency marker is the delivery of that outbox entry: it is
  linked to the local event (no duplicate), and the entry is marked done;
- a deleted ticket keeps its case and everything on it (nothing lost); a timeline event says so;
- the helpdesk's own SLA targets replace the case's earlier ones from that helpdesk;
- the cursor is saved last, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from core.db.bulk import events_indexed_once
from core.domain.changes import ChangeSet
from core.remote.comments import merge_comments
from core.remote.connections import save_cursor
from core.remote.directory import load_directory
from core.remote.dtos import Connection, RemotePage
from core.remote.pending import CASE_FIELDS, OPERATION_FIELDS, pending_edits
from core.remote.scope_exits import note_scope_exits
from core.remote.search_backlog import defers_indexing, note_pulling
from core.remote.tickets import TicketMerge, load_case_ids, load_cases, merge_tickets
from core.sla.write_hook import leave_for_later

__all__ = ["CASE_FIELDS", "OPERATION_FIELDS", "apply_page", "apply_pages", "pending_fields"]

SYNC_INITIATOR = "sync"


def apply_page(session: Session, connection: Connection, page: RemotePage, now: datetime) -> ChangeSet:
    """Merge ``page`` into the workspace and save its cursor; the change set names what changed."""
    return apply_pages(session, connection, (page,), now)


def apply_pages(
    session: Session, connection: Connection, pages: Sequence[RemotePage], now: datetime
) -> ChangeSet:
    """Merge successive ``pages`` in the caller's transaction; the last page's cursor is saved last.

    Each page is merged by the same rules as on its own; the full-text timelines of the cases
    that got events are indexed once for all the pages (a case's comments arrive spread over
    many pages), or during a connection's first pull once after it (:mod:`core.remote.search_backlog`),
    and the write hook refreshes each touched case's SLA deadlines once, at commit.
    """
    if not pages:
        return ChangeSet(initiator=SYNC_INITIATOR)
    last = pages[-1]
    # A first pull leaves timelines to the search backlog, indexed once when the pull is done.
    deferred = defers_indexing(session, connection, last.resource)
    merged = _Merged()
    indexed: set[int] = set()
    with events_indexed_once(session.connection(), indexed):
        for page in pages:
            _merge_page(session, connection, page, now, merged, deferred)
        session.flush()
        # The cases that got events (comments, field changes, deletion notes). A new case without
        # any was indexed by its insert, with an empty timeline.
        if not deferred:
            indexed.update(merged.changed)
    if deferred:
        note_pulling(session, connection, last.end_of_stream, now)
    save_cursor(session, connection, last.resource, last.cursor, now)
    session.flush()
    if deferred:
        leave_for_later(session)  # SLA deadlines too: every open case's at once after the pull
    added = frozenset(merged.added)
    return ChangeSet(
        cases=frozenset(merged.changed) - added,
        cases_added=added,
        outbox=frozenset(merged.outbox),
        teams=frozenset(merged.teams),
        initiator=SYNC_INITIATOR,
    )


@dataclass
class _Merged:
    """What merging a run of pages did so far."""

    added: set[int] = field(default_factory=set)
    changed: set[int] = field(default_factory=set)
    outbox: set[int] = field(default_factory=set)
    teams: set[int] = field(default_factory=set)


def _merge_page(
    session: Session, connection: Connection, page: RemotePage, now: datetime, merged: _Merged, deferred: bool
) -> None:
    directory = load_directory(session, connection, page)
    tickets = TicketMerge.of(load_cases(session, connection.kind, [t.remote_id for t in page.tickets]))
    others = {comment.ticket_id for comment in page.comments} | set(page.deleted_ticket_ids)
    # Comments need only their case's id: no rows loaded for them.
    tickets.cases.update(load_case_ids(session, connection.kind, others - tickets.cases.keys()))
    merge_tickets(session, connection, page.tickets, directory, tickets, now, search_later=deferred)
    comments = merge_comments(
        session,
        directory,
        tickets.cases,
        page.comments,
        page.deleted_ticket_ids,
        now,
        frozenset(tickets.added),
        clocks_later=deferred,  # every open case's deadlines are refreshed once the pull is done
    )
    merged.added |= tickets.added
    merged.changed |= tickets.changed | comments.cases  # new cases with comments among them
    merged.changed |= note_scope_exits(session, connection.kind, page.left_scope_ticket_ids, now)
    merged.outbox |= comments.outbox
    merged.teams |= directory.changed_teams


def pending_fields(session: Session, case_id: int) -> frozenset[str]:
    """The case fields with an undelivered local edit ("stage", "priority", "team", "assignee",
    "tier", "product_area"), read from its pending, in-flight, failed or conflicting outbox entries."""
    edits = pending_edits(session, [case_id]).get(case_id)
    return frozenset(edits.fields) if edits is not None else frozenset()
