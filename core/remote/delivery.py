"""The outbox's delivery states as the sync engine moves them, and what the Outbox view shows.

CONTRACT (signatures fixed; the core-sync helper implements the bodies).

Entries are delivered in order per case: a case's next entry waits while an earlier one is
failed or in conflict. ``in_flight`` with ``sent_at`` set means the entry may have reached the
server: before sending it again the engine asks the connector whether it landed (exactly once).
Every function runs in the caller's transaction and returns the change set the views need.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.communication.attachments import workspace_attachments_dir
from core.communication.errors import AttachmentError
from core.db.models import CaseRow, OutboxRow, TimelineEventRow
from core.db.types import utc_now
from core.domain.changes import ChangeSet
from core.domain.enums import EventKind, OutboxState, Visibility
from core.outbox import JsonValue, OutboxEntry, to_entry
from core.remote.conflicts import apply_resolution, conflict_from_json, conflict_to_json, rebase
from core.remote.connections import helpdesk_name
from core.remote.dtos import Conflict, PushResult
from core.remote.linking import link_comment
from core.remote.outbox_text import conflict_message, payload_summary
from core.remote.pending import UNDELIVERED_STATES
from core.remote.versions import version_moment, version_text

SENDABLE_STATES = (OutboxState.PENDING.value, OutboxState.IN_FLIGHT.value)
BLOCKING_STATES = (OutboxState.FAILED.value, OutboxState.CONFLICT.value)
DELIVERY_INITIATOR = "sync"


class EntryStateError(ValueError):
    """The entry is not in a state that allows what the user asked (a message for the user)."""


@dataclass(frozen=True)
class DeliveryTarget:
    """Where an entry goes: the case's ticket and the version its push must be based on.

    ``attachments_dir`` is the workspace folder holding attached files under their SHA-256 (the
    ``attachments`` of a reply's or note's payload name them); None when the workspace has no
    folder on disk.
    """

    case_id: int
    remote_id: str | None  # None: the case has no ticket yet (a local case: not delivered)
    version: str | None  # the ticket version last seen (safe_update's updated_stamp)
    attachments_dir: Path | None = None


@dataclass(frozen=True)
class OutboxItem:
    """One row of the Outbox view: the entry, its case, and its error or conflict."""

    entry: OutboxEntry
    case_number: int | None
    case_subject: str
    conflict: Conflict | None
    sent_at: datetime | None


@dataclass(frozen=True)
class OutboxCounts:
    """What the sync status area counts."""

    pending: int
    failed: int
    conflict: int


def deliverable(
    session: Session, kind: str, now: datetime, limit: int = 50
) -> list[tuple[OutboxEntry, DeliveryTarget]]:
    """The next entries to push for connections of ``kind``: per case its oldest undelivered entry
    (pending and due, or in flight after an interruption), unless an earlier one of the case is
    failed or in conflict; oldest first."""
    oldest_per_case = (
        select(func.min(OutboxRow.id))
        .where(
            OutboxRow.connection_id == kind,
            OutboxRow.case_id.is_not(None),
            OutboxRow.state.in_(UNDELIVERED_STATES),
        )
        .group_by(OutboxRow.case_id)
    )
    rows = session.execute(
        select(OutboxRow, CaseRow.remote_id, CaseRow.remote_updated_at)
        .join(CaseRow, CaseRow.id == OutboxRow.case_id)
        .where(
            OutboxRow.id.in_(oldest_per_case),
            OutboxRow.state.in_(SENDABLE_STATES),
            (OutboxRow.next_attempt_at.is_(None)) | (OutboxRow.next_attempt_at <= now),
        )
        .order_by(OutboxRow.id)
        .limit(limit)
    )
    attachments_dir = _attachments_dir(session)
    return [
        (
            to_entry(row),
            DeliveryTarget(
                case_id=row.case_id,
                remote_id=remote_id,
                version=version_text(moment),
                attachments_dir=attachments_dir,
            ),
        )
        for row, remote_id, moment in rows
        if row.case_id is not None
    ]


def _attachments_dir(session: Session) -> Path | None:
    """Where the workspace of ``session`` keeps attached files (None: an in-memory database)."""
    try:
        return workspace_attachments_dir(session)
    except AttachmentError:
        return None


def mark_sending(session: Session, entry_id: int, now: datetime) -> ChangeSet:
    """The entry is about to go on the network: ``in_flight``, ``sent_at`` = now, one more attempt."""
    row = _undelivered(session, entry_id)
    if row is None:
        return ChangeSet()
    row.state = OutboxState.IN_FLIGHT.value
    row.sent_at = now
    row.next_attempt_at = None
    row.attempts += 1
    row.updated_at = now
    return _changed(session, row)


def mark_delivered(session: Session, entry_id: int, result: PushResult, now: datetime) -> ChangeSet:
    """The helpdesk acknowledged it: ``done``; remote ids onto the local events; the case's version."""
    row = _entry(session, entry_id)
    row.state = OutboxState.DONE.value
    row.last_error = None
    row.next_attempt_at = None
    row.conflict_json = None
    row.updated_at = now
    row.remote_result = json.dumps(
        {"remote_ids": dict(result.remote_ids), "ticket_version": result.ticket_version}, sort_keys=True
    )
    case = session.get(CaseRow, row.case_id) if row.case_id is not None else None
    comment_id = result.remote_ids.get("comment")
    if case is not None and comment_id:
        link_comment(session, row, case, comment_id)
    moment = version_moment(result.ticket_version)
    if case is not None and moment is not None:
        case.remote_updated_at = moment
    return _changed(session, row)


def mark_retry(session: Session, entry_id: int, message: str, next_attempt_at: datetime) -> ChangeSet:
    """A retryable failure (offline, 429, 5xx): ``pending`` again, not before ``next_attempt_at``."""
    return _settle(session, entry_id, OutboxState.PENDING, lambda _row: message, next_attempt_at)


def mark_failed(session: Session, entry_id: int, message: str) -> ChangeSet:
    """The helpdesk refused it (422/400): ``failed`` with its message for the user."""
    return _settle(session, entry_id, OutboxState.FAILED, lambda _row: message)


def mark_conflict(session: Session, entry_id: int, conflict: Conflict) -> ChangeSet:
    """The ticket changed meanwhile: ``conflict`` with both values kept until the user decides."""

    def explained(row: OutboxRow) -> str:
        row.conflict_json = conflict_to_json(conflict)
        return conflict_message(conflict, helpdesk_name(_kind(row)))

    return _settle(session, entry_id, OutboxState.CONFLICT, explained)


def _settle(
    session: Session,
    entry_id: int,
    state: OutboxState,
    message: Callable[[OutboxRow], str],
    next_attempt_at: datetime | None = None,
) -> ChangeSet:
    """An undelivered entry's outcome: its new state, the message for the user, when to retry."""
    row = _undelivered(session, entry_id)
    if row is None:
        return ChangeSet()
    row.state = state.value
    row.last_error = message(row)
    row.next_attempt_at = next_attempt_at
    row.updated_at = utc_now()
    return _changed(session, row)


def retry_entry(session: Session, entry_id: int, payload: Mapping[str, JsonValue] | None = None) -> ChangeSet:
    """The user retries a failed or conflicting entry (with an edited payload): ``pending`` now.

    Retrying a conflict keeps Handoff's values: the push is based on the helpdesk's newer version.
    """
    row = _entry(session, entry_id)
    if row.state == OutboxState.DONE.value:
        raise EntryStateError("This change was already delivered or discarded; there is nothing to retry.")
    if row.state == OutboxState.IN_FLIGHT.value:
        raise EntryStateError("This change is being sent right now; wait a moment before retrying it.")
    conflict = conflict_from_json(row.conflict_json) if row.state == OutboxState.CONFLICT.value else None
    if payload is not None:
        row.payload_json = json.dumps(dict(payload), sort_keys=True, ensure_ascii=False)
        _show_edited_text(session, row, payload)
    if conflict is not None:
        rebase(session, row, conflict)
    _requeue(row)
    return _changed(session, row)


def resolve_conflict(session: Session, entry_id: int, chosen: Mapping[str, str | None]) -> ChangeSet:
    """The user chose per field (the value to keep): local values are pushed again on the remote
    version, remote values are applied to the case; the choice is written to the timeline.

    Raises :class:`EntryStateError` when the entry is not in conflict, and
    :class:`core.remote.conflicts.UnknownValueError` when a value names nothing known.
    """
    row = _entry(session, entry_id)
    conflict = conflict_from_json(row.conflict_json)
    if row.state != OutboxState.CONFLICT.value or conflict is None:
        raise EntryStateError("This change is not in conflict any more; there is nothing to resolve.")
    case = session.get(CaseRow, row.case_id) if row.case_id is not None else None
    if case is None:
        raise EntryStateError("The case of this change no longer exists.")
    apply_resolution(session, row, case, conflict, chosen, helpdesk_name(_kind(row)))
    _requeue(row)
    return _changed(session, row)


def discard_entry(session: Session, entry_id: int, actor_name: str) -> ChangeSet:
    """The user gives up an entry: it is not delivered, and a copy stays in the case's timeline.

    The entry is kept (never deleted) as ``done`` with ``last_error`` "discarded by <actor>";
    the copy is an internal note the helpdesk never receives (no outbox entry).
    """
    row = _entry(session, entry_id)
    if row.state == OutboxState.DONE.value:
        raise EntryStateError("This change was already delivered or discarded.")
    if row.state == OutboxState.IN_FLIGHT.value:
        raise EntryStateError(
            "This change is being sent right now; wait a moment, then discard it if it failed."
        )
    now = utc_now()
    helpdesk = helpdesk_name(_kind(row))
    row.state = OutboxState.DONE.value
    row.last_error = f"discarded by {actor_name}"
    row.next_attempt_at = None
    row.updated_at = now
    if row.case_id is not None:
        session.add(
            TimelineEventRow(
                case_id=row.case_id,
                kind=EventKind.INTERNAL_NOTE.value,
                visibility=Visibility.INTERNAL.value,
                occurred_at=now,
                author_name=actor_name,
                body_text=f"Not sent to {helpdesk}: {payload_summary(to_entry(row))}",
                meta_json=json.dumps({"discarded_outbox_id": row.id}, sort_keys=True),
            )
        )
    return _changed(session, row)


def outbox_items(session: Session) -> list[OutboxItem]:
    """Every undelivered entry (pending, in flight, failed, conflict), oldest first.

    Entries of local cases (no helpdesk to deliver them to) are not listed.
    """
    rows = session.execute(
        select(OutboxRow, CaseRow.number, CaseRow.subject)
        .outerjoin(CaseRow, CaseRow.id == OutboxRow.case_id)
        .where(OutboxRow.state.in_(UNDELIVERED_STATES), OutboxRow.connection_id.is_not(None))
        .order_by(OutboxRow.id)
    )
    return [
        OutboxItem(
            entry=to_entry(row),
            case_number=number,
            case_subject=subject or "",
            conflict=conflict_from_json(row.conflict_json),
            sent_at=row.sent_at,
        )
        for row, number, subject in rows
    ]


def outbox_counts(session: Session) -> OutboxCounts:
    """How many entries are pending (or in flight), failed and in conflict (local cases' aside)."""
    rows = session.execute(
        select(OutboxRow.state, func.count())
        .where(OutboxRow.state.in_(UNDELIVERED_STATES), OutboxRow.connection_id.is_not(None))
        .group_by(OutboxRow.state)
    )
    counts: dict[str, int] = {state: count for state, count in rows}
    return OutboxCounts(
        pending=counts.get(OutboxState.PENDING.value, 0) + counts.get(OutboxState.IN_FLIGHT.value, 0),
        failed=counts.get(OutboxState.FAILED.value, 0),
        conflict=counts.get(OutboxState.CONFLICT.value, 0),
    )


def _entry(session: Session, entry_id: int) -> OutboxRow:
    row = session.get(OutboxRow, entry_id)
    if row is None:
        raise EntryStateError(f"There is no outbox entry {entry_id} in this workspace.")
    return row


def _undelivered(session: Session, entry_id: int) -> OutboxRow | None:
    """The entry, unless it is done: delivered (a pull found its marker) or discarded meanwhile,
    it stays done whatever a late answer of the helpdesk says."""
    row = _entry(session, entry_id)
    return None if row.state == OutboxState.DONE.value else row


def _show_edited_text(session: Session, row: OutboxRow, payload: Mapping[str, JsonValue]) -> None:
    """The timeline shows what will be sent: a corrected reply's or note's text replaces the refused
    one on its event, which keeps the refused text in its details (nothing typed is lost)."""
    text, html = payload.get("body_text"), payload.get("body_html")
    if not isinstance(text, str):
        return
    event = session.scalars(select(TimelineEventRow).where(TimelineEventRow.outbox_id == row.id)).first()
    if event is None or event.body_text == text:
        return
    meta = json.loads(event.meta_json) if event.meta_json else {}
    meta.setdefault("text_before_edit", event.body_text or "")  # the first version the user wrote
    event.meta_json = json.dumps(meta, sort_keys=True, ensure_ascii=False)
    event.body_text = text
    if isinstance(html, str):
        event.body_html = html


def _kind(row: OutboxRow) -> str:
    return row.connection_id or ""


def _changed(session: Session, row: OutboxRow) -> ChangeSet:
    session.flush()
    cases = frozenset({row.case_id}) if row.case_id is not None else frozenset()
    return ChangeSet(cases=cases, outbox=frozenset({row.id}), initiator=DELIVERY_INITIATOR)


def _requeue(row: OutboxRow) -> None:
    row.state = OutboxState.PENDING.value
    row.conflict_json = None
    row.last_error = None
    row.next_attempt_at = None
    row.updated_at = utc_now()
