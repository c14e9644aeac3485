"""Writing an event on a case's timeline together with the outbox entry that will deliver it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.db.models import CaseRow, OutboxRow, PersonRow, TimelineEventRow
from core.domain.enums import DEFAULT_VISIBILITY, EventKind, OutboxOperation
from core.outbox import JsonValue, enqueue
from core.queries.case_detail import CaseNotFoundError


@dataclass(frozen=True)
class RecordedEvent:
    """A timeline event just written and the outbox entry that delivers it."""

    event: TimelineEventRow
    outbox: OutboxRow


def case_for_update(session: Session, case_id: int) -> CaseRow:
    """The case row ``case_id``; raises :class:`CaseNotFoundError` with a message for the user."""
    case = session.get(CaseRow, case_id)
    if case is None:
        raise CaseNotFoundError(f"There is no case with id {case_id} in this workspace.")
    return case


def record_event(
    session: Session,
    case: CaseRow,
    *,
    kind: EventKind,
    author_id: int | None,
    body_text: str,
    body_html: str | None,
    meta: Mapping[str, str] | None,
    operation: OutboxOperation,
    payload: Mapping[str, JsonValue],
    now: datetime,
) -> RecordedEvent:
    """Add a local timeline event and its outbox entry (linked, so the event shows as pending)."""
    author = session.get(PersonRow, author_id) if author_id is not None else None
    event = TimelineEventRow(
        case_id=case.id,
        kind=kind.value,
        visibility=DEFAULT_VISIBILITY[kind].value,
        occurred_at=now,
        author_name=author.name if author else "",
        author_person_id=author_id,
        body_text=body_text,
        body_html=body_html,
        meta_json=json.dumps(dict(meta), sort_keys=True, ensure_ascii=False) if meta else None,
    )
    session.add(event)
    session.flush()
    outbox = enqueue(session, case, operation, {"event_id": event.id, **payload}, now)
    event.outbox_id = outbox.id
    case.updated_at = now
    session.flush()
    return RecordedEvent(event=event, outbox=outbox)
