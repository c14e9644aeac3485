"""Pulled comments merged into case timelines, and deleted tickets noted on their cases.

A comment becomes a customer message (its author is not an agent), a public agent reply or an
internal note, with the comment's remote id; a comment already known by its id is skipped. A
comment carrying Handoff's idempotency marker is the delivery of that outbox entry: its local
event gets the comment's id (no duplicate) and the entry is done.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.bulk import insert_rows, insert_values, table_of
from core.db.lookups import json_list, rows_by_remote_id
from core.db.models import OutboxRow, TimelineEventRow
from core.db.types import column_text
from core.domain.enums import DONE_STAGES, EventKind, OutboxState, Visibility
from core.remote.connections import helpdesk_name
from core.remote.directory import Directory
from core.remote.dtos import RemoteComment
from core.remote.linking import comment_event
from core.sla.write_hook import note_touched

_CLOCK_KINDS = frozenset({EventKind.CUSTOMER_MESSAGE.value, EventKind.AGENT_REPLY.value})
DELETED_MARK = "deleted:"  # the remote id of the event that says a ticket was deleted


@dataclass
class CommentMerge:
    """What merging comments did: the cases that got events, the outbox entries now delivered."""

    cases: set[int] = field(default_factory=set)
    outbox: set[int] = field(default_factory=set)


def merge_comments(
    session: Session,
    directory: Directory,
    cases: dict[str, int],
    comments: Iterable[RemoteComment],
    deleted_ticket_ids: Iterable[str],
    now: datetime,
    new_cases: frozenset[int] = frozenset(),
    *,
    clocks_later: bool = False,
) -> CommentMerge:
    """Add the new comments (and the deletion notes) to the timelines of ``cases`` (by ticket id).

    ``new_cases`` were added by this page: their comments cannot be known yet (not looked up).
    ``clocks_later``: the caller refreshes every open case's SLA deadlines itself afterwards (a
    first pull), so the cases whose clocks the comments move are not noted.
    """
    merged = CommentMerge()
    listed = [comment for comment in comments if comment.ticket_id in cases]
    deleted = [ticket_id for ticket_id in dict.fromkeys(deleted_ticket_ids) if ticket_id in cases]
    earlier = [c.remote_id for c in listed if cases[c.ticket_id] not in new_cases]
    known = _known_remote_ids(session, directory.kind, earlier + [DELETED_MARK + t for t in deleted])
    deliveries = _deliveries(session, {comment.marker for comment in listed if comment.marker})
    rows: list[tuple[object, ...]] = []  # the pulled comments' events, in _EVENT_COLUMNS order
    notes: list[dict[str, object]] = []
    for comment in sorted(listed, key=lambda item: (item.created_at, item.remote_id)):
        if comment.remote_id in known:
            continue
        known.add(comment.remote_id)
        case_id = cases[comment.ticket_id]
        delivery = deliveries.get(comment.marker) if comment.marker else None
        if delivery is not None and delivery.entry.case_id == case_id:
            linked = _link_delivery(delivery, comment, directory.kind, now)
            merged.outbox.add(delivery.entry.id)
            merged.cases.add(case_id)
            if linked:
                continue
        rows.append(_event_row(directory, case_id, comment))
        merged.cases.add(case_id)
    for ticket_id in deleted:
        if DELETED_MARK + ticket_id not in known:
            notes.append(_deleted_event_values(directory.kind, cases[ticket_id], ticket_id, now))
            merged.cases.add(cases[ticket_id])
    events = table_of(TimelineEventRow)
    # Straight to the driver, 2,000 rows a statement: a 100,000-ticket sync adds hundreds of
    # thousands (no ORM objects, no dictionaries, no per-value processing).
    insert_values(session.connection(), events, _EVENT_COLUMNS, rows)
    insert_rows(session.connection(), events, notes)
    if rows and not clocks_later:
        clocked = {int(str(row[0])) for row in rows if row[1] in _CLOCK_KINDS}
        note_touched(session, _still_open(session, clocked))
    return merged


@dataclass
class _Delivery:
    """An outbox entry whose marker a pulled comment carries, with the local events it delivers."""

    entry: OutboxRow
    events: list[TimelineEventRow]

    def event_for(self, comment: RemoteComment) -> TimelineEventRow | None:
        """The local event the comment is: the one the payload names, else the first of its kind."""
        payload = json.loads(self.entry.payload_json)
        return comment_event(self.events, payload if isinstance(payload, dict) else {}, comment.public)


def _still_open(session: Session, case_ids: set[int]) -> set[int]:
    """The cases among ``case_ids`` not resolved or closed (one query).

    A message or reply never moves a done case's clock (it shows no deadline, whatever its log),
    so only open cases need their deadlines refreshed; a first sync pulls years of comments on
    cases closed long ago. A case the same transaction reopens is refreshed for its stage change.
    """
    if not case_ids:
        return set()
    done = json_list(stage.value for stage in DONE_STAGES)
    found = session.connection().exec_driver_sql(
        "SELECT id FROM cases WHERE id IN (SELECT value FROM json_each(?))"
        " AND stage NOT IN (SELECT value FROM json_each(?))",
        (json_list(sorted(case_ids)), done),
    )
    return {int(case_id) for (case_id,) in found}


def _known_remote_ids(session: Session, kind: str, remote_ids: list[str]) -> set[str]:
    found = rows_by_remote_id(session.connection(), table_of(TimelineEventRow), kind, remote_ids, ())
    return {str(remote_id) for (remote_id,) in found}


def _deliveries(session: Session, markers: set[str | None]) -> dict[str, _Delivery]:
    keys = sorted(marker for marker in markers if marker)
    if not keys:
        return {}
    entries = {
        row.id: row for row in session.scalars(select(OutboxRow).where(OutboxRow.idempotency_key.in_(keys)))
    }
    if not entries:
        return {}
    events: dict[int, list[TimelineEventRow]] = {entry_id: [] for entry_id in entries}
    for event in session.scalars(
        select(TimelineEventRow)
        .where(TimelineEventRow.outbox_id.in_(sorted(entries)))
        .order_by(TimelineEventRow.id)
    ):
        if event.outbox_id is not None:
            events[event.outbox_id].append(event)
    return {entry.idempotency_key: _Delivery(entry, events[entry.id]) for entry in entries.values()}


def _link_delivery(delivery: _Delivery, comment: RemoteComment, kind: str, now: datetime) -> bool:
    """The comment is the entry's delivery: its event gets the remote id; the entry is done.

    Returns whether a local event stands for the comment (otherwise it is added like any other).
    """
    event = delivery.event_for(comment)
    if event is not None:
        event.remote_id = comment.remote_id
        event.source_system = kind
    entry = delivery.entry
    if entry.state != OutboxState.DONE.value:
        entry.state = OutboxState.DONE.value
        entry.last_error = None
        entry.next_attempt_at = None
        entry.updated_at = now
        entry.remote_result = json.dumps({"comment": comment.remote_id, "found_by": "pull"}, sort_keys=True)
    return event is not None


# The columns of a pulled comment's event, in the order :func:`_event_row` gives their values.
_EVENT_COLUMNS = (
    "case_id",
    "kind",
    "visibility",
    "occurred_at",
    "author_name",
    "author_person_id",
    "author_contact_id",
    "body_text",
    "body_html",
    "meta_json",
    "source_system",
    "remote_id",
)


def _event_row(directory: Directory, case_id: int, comment: RemoteComment) -> tuple[object, ...]:
    """The event of a pulled comment, ready for the driver (:data:`_EVENT_COLUMNS`)."""
    person = directory.people.get(comment.author_id)
    contact = directory.contacts.get(comment.author_id) if person is None else None
    if person is None:
        kind, visibility = EventKind.CUSTOMER_MESSAGE, Visibility.CUSTOMER
    elif comment.public:
        kind, visibility = EventKind.AGENT_REPLY, Visibility.CUSTOMER
    else:
        kind, visibility = EventKind.INTERNAL_NOTE, Visibility.INTERNAL
    if person is not None:
        author = person.name
    elif contact is not None:
        author = contact.name
    else:
        author = f"{helpdesk_name(directory.kind)} user {comment.author_id}"  # not side-loaded
    return (
        case_id,
        kind.value,
        visibility.value,
        column_text(comment.created_at),
        author,
        person.id if person is not None else None,
        contact.id if contact is not None else None,
        comment.body_text,
        comment.body_html,
        None,
        directory.kind,
        comment.remote_id,
    )


def _deleted_event_values(kind: str, case_id: int, ticket_id: str, now: datetime) -> dict[str, object]:
    text = f"Ticket {ticket_id} was deleted in {helpdesk_name(kind)}. The case and its history stay here."
    meta = {"deleted_ticket": ticket_id}
    return helpdesk_note_values(kind, case_id, text, meta, DELETED_MARK + ticket_id, now)


def helpdesk_note_values(
    kind: str, case_id: int, text: str, meta: dict[str, str], remote_id: str, now: datetime
) -> dict[str, object]:
    """The values of a system note the helpdesk ``kind`` leaves on a case (a deleted ticket, one
    that left the scope): ``remote_id`` marks it so that it is written once."""
    return {
        "case_id": case_id,
        "kind": EventKind.SYSTEM_LOG.value,
        "visibility": Visibility.SYSTEM.value,
        "occurred_at": now,
        "author_name": helpdesk_name(kind),
        "author_person_id": None,
        "author_contact_id": None,
        "body_text": text,
        "body_html": None,
        "meta_json": json.dumps({"source": kind, **meta}),
        "source_system": kind,
        "remote_id": remote_id,
    }
