"""The transactional outbox: local changes waiting to be delivered to the remote system.

Every use case that changes a case calls :func:`enqueue` in the same session
(so the same transaction) as the change itself: either both are written or
neither is. Entries are never deleted before the server acknowledged them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, OutboxRow
from core.db.types import utc_now
from core.domain.enums import OutboxOperation, OutboxState, SourceSystem

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


@dataclass(frozen=True)
class OutboxEntry:
    """An outbox entry as the UI and the sync engine see it."""

    id: int
    idempotency_key: str
    case_id: int | None
    connection_id: str | None
    remote_id: str | None
    operation: OutboxOperation
    payload: dict[str, JsonValue]
    state: OutboxState
    attempts: int
    last_error: str | None
    created_at: datetime


def enqueue(
    session: Session,
    case: CaseRow,
    operation: OutboxOperation,
    payload: Mapping[str, JsonValue],
    now: datetime | None = None,
) -> OutboxRow:
    """Add a pending entry for ``case`` (flushed, so its id is known); same transaction as the caller.

    ``now`` is the time of the change (the caller's injected clock); the current time by default.
    """
    now = now or utc_now()
    row = OutboxRow(
        idempotency_key=uuid.uuid4().hex,
        connection_id=None if case.source_system == SourceSystem.LOCAL.value else case.source_system,
        case_id=case.id,
        remote_id=case.remote_id,
        operation=operation.value,
        payload_json=json.dumps(dict(payload), sort_keys=True, ensure_ascii=False),
        state=OutboxState.PENDING.value,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def pending_entries(session: Session, case_id: int | None = None) -> list[OutboxEntry]:
    """Entries not yet delivered (pending, in flight, failed or in conflict), oldest first."""
    query = select(OutboxRow).where(OutboxRow.state != OutboxState.DONE.value).order_by(OutboxRow.id)
    if case_id is not None:
        query = query.where(OutboxRow.case_id == case_id)
    return [to_entry(row) for row in session.scalars(query)]


def to_entry(row: OutboxRow) -> OutboxEntry:
    """The DTO of an outbox row."""
    return OutboxEntry(
        id=row.id,
        idempotency_key=row.idempotency_key,
        case_id=row.case_id,
        connection_id=row.connection_id,
        remote_id=row.remote_id,
        operation=OutboxOperation(row.operation),
        payload=json.loads(row.payload_json),
        state=OutboxState(row.state),
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
    )
