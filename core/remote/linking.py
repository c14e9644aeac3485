"""Which local timeline event a delivered comment is (the entry's own event, found by its payload)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, OutboxRow, TimelineEventRow
from core.domain.enums import EventKind, OutboxOperation

# Operations whose comment the customer sees (a public reply); the others post an internal note.
PUBLIC_OPERATIONS = frozenset({OutboxOperation.ADD_PUBLIC_REPLY, OutboxOperation.PROPOSE_RESOLUTION})


def comment_event(
    events: Sequence[TimelineEventRow], payload: Mapping[str, object], public: bool
) -> TimelineEventRow | None:
    """The event the payload names (``event_id``), else the first reply (``public``) or internal
    note of ``events`` that has no remote id yet."""
    event_id = payload.get("event_id")
    for event in events:
        if event.id == event_id:
            return event
    wanted = EventKind.AGENT_REPLY.value if public else EventKind.INTERNAL_NOTE.value
    for event in events:
        if event.kind == wanted and event.remote_id is None:
            return event
    return None


def link_comment(session: Session, row: OutboxRow, case: CaseRow, comment_id: str) -> None:
    """The delivered comment's id onto the entry's local event (a later pull then skips it)."""
    events = list(
        session.scalars(
            select(TimelineEventRow).where(TimelineEventRow.outbox_id == row.id).order_by(TimelineEventRow.id)
        )
    )
    payload = json.loads(row.payload_json)
    public = OutboxOperation(row.operation) in PUBLIC_OPERATIONS
    event = comment_event(events, payload if isinstance(payload, dict) else {}, public)
    if event is not None:
        event.remote_id = comment_id
        event.source_system = case.source_system
