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
from core.remote.tickets import TicketMerge, load_cases, merge_tickets

__all__ = ["CASE_FIELDS", "OPERATION_FIELDS", "apply_page", "pending_fields"]

SYNC_INITIATOR = "sync"


def apply_page(session: Session, connection: Connection, page: RemotePage, now: datetime) -> ChangeSet:
    """Merge ``page`` into the workspace and save its cursor; the change set names what changed."""
    directory = load_directory(session, connection, page)
    ticket_ids = [ticket.remote_id for ticket in page.tickets]
    ticket_ids += [comment.ticket_id for comment in page.comments]
    ticket_ids += list(page.deleted_ticket_ids)
    merged = TicketMerge.of(load_cases(session, connection.kind, ticket_ids))
    merge_tickets(session, connection, page.tickets, directory, merged, now)
    indexed: set[int] = set()
    with events_indexed_once(session.connection(), indexed):
        added = frozenset(merged.added)
        comments = merge_comments(
            session, directory, merged.cases, page.comments, page.deleted_ticket_ids, now, added
        )
        left_scope = note_scope_exits(session, connection.kind, page.left_scope_ticket_ids, now)
        session.flush()
        indexed.update(comments.cases, merged.added, left_scope)
    save_cursor(session, connection, page.resource, page.cursor, now)
    session.flush()
    added = frozenset(merged.added)
    return ChangeSet(
        cases=frozenset(merged.changed | comments.cases | left_scope) - added,
        cases_added=added,
        outbox=frozenset(comments.outbox),
        teams=frozenset(directory.changed_teams),
        initiator=SYNC_INITIATOR,
    )


def pending_fields(session: Session, case_id: int) -> frozenset[str]:
    """The case fields with an undelivered local edit ("stage", "priority", "team", "assignee",
    "tier", "product_area"), read from its pending, in-flight, failed or conflicting outbox entries."""
    edits = pending_edits(session, [case_id]).get(case_id)
    return frozenset(edits.fields) if edits is not None else frozenset()
