"""Test helper: give a case a stored next SLA deadline, as the SLA write hook would."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.db.types import format_utc


def set_deadline(
    session: Session, case_id: int, due_at: datetime | None, warning_at: datetime | None, metric: str = ""
) -> None:
    """Store ``case_id``'s next deadline with plain SQL (so no write hook recomputes it)."""
    session.execute(
        text(
            "UPDATE cases SET sla_due_at = :due, sla_warning_at = :warning, sla_metric = :metric "
            "WHERE id = :id"
        ),
        {
            "due": None if due_at is None else format_utc(due_at),
            "warning": None if warning_at is None else format_utc(warning_at),
            "metric": metric or None,
            "id": case_id,
        },
    )
