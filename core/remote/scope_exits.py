"""Tickets that left a connection's scope: their cases stay, and their timelines say why they went quiet.

A ticket leaves the scope when someone in the helpdesk changes it so it no longer matches
(another group, a tag or custom field value removed). Handoff keeps the case and all local
work on it (nothing is deleted) but stops updating it from the helpdesk; a system note on the
timeline says so, once per departure: a case that came back into the scope (and was updated
from it since the last note) gets a new note when it leaves again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, TimelineEventRow
from core.remote.comments import helpdesk_note_values
from core.remote.connections import helpdesk_name

LEFT_SCOPE_MARK = "left_scope:"  # the remote id of the note, followed by the ticket id


def note_scope_exits(session: Session, kind: str, ticket_ids: Iterable[str], now: datetime) -> set[int]:
    """Note on the cases of ``ticket_ids`` (tickets of ``kind`` now outside the scope) that they no
    longer sync, unless the departure is already noted; the ids of the cases noted."""
    marks = sorted({LEFT_SCOPE_MARK + ticket_id for ticket_id in ticket_ids})
    if not marks:
        return set()
    cases = session.execute(
        select(CaseRow.id, CaseRow.remote_id, CaseRow.remote_updated_at).where(
            CaseRow.source_system == kind,
            CaseRow.remote_id.in_([mark.removeprefix(LEFT_SCOPE_MARK) for mark in marks]),
        )
    ).all()
    if not cases:
        return set()
    last_noted = dict(
        session.execute(
            select(TimelineEventRow.case_id, func.max(TimelineEventRow.occurred_at))
            .where(TimelineEventRow.source_system == kind, TimelineEventRow.remote_id.in_(marks))
            .group_by(TimelineEventRow.case_id)
        ).all()
    )
    due = {
        int(case_id): str(ticket_id)
        for case_id, ticket_id, synced_version in cases
        if _departure_not_noted(last_noted.get(case_id), synced_version)
    }
    if due:
        helpdesk = helpdesk_name(kind)
        notes = [_note(kind, helpdesk, case_id, ticket_id, now) for case_id, ticket_id in due.items()]
        session.execute(insert(TimelineEventRow), notes)
    return set(due)


def _departure_not_noted(noted_at: datetime | None, synced_version: datetime | None) -> bool:
    """Whether a new note is due: none yet, or the case was updated from the helpdesk after it."""
    if noted_at is None:
        return True
    return synced_version is not None and _aware(noted_at) < _aware(synced_version)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC from an aggregate; compare like with like."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _note(kind: str, helpdesk: str, case_id: int, ticket_id: str, now: datetime) -> dict[str, object]:
    text = (
        f"Ticket {ticket_id} no longer matches this connection's scope in {helpdesk}, so Handoff stops "
        "updating this case from it. The case and everything on it stay here; widen the connection's "
        "scope to sync it again."
    )
    meta = {"left_scope_ticket": ticket_id}
    return helpdesk_note_values(kind, case_id, text, meta, LEFT_SCOPE_MARK + ticket_id, now)
