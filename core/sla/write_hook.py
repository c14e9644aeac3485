"""Deadlines recomputed in the transaction that changes a case: never by a periodic job that can be late.

:func:`install_write_hook` hooks a writer session: each flush notes the cases whose clocks may
have moved (a case's routing facts or stage, a new message or reply, a stage transition, an
escalation), and just before the transaction commits their ``sla_due_at``/``sla_warning_at``/
``sla_metric`` are recomputed with :func:`core.sla.store.refresh_deadlines`. The refresh writes
with plain SQL, so it flushes no ORM objects and cannot trigger itself. If the SLA settings
cannot be used (a calendar the engine refuses), the deadlines stay as they were and the
problem is logged: the user's change still commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from core.config.errors import ConfigError
from core.db.models import CaseRow, EscalationRow, StageTransitionRow, TimelineEventRow
from core.db.types import utc_now
from core.domain.enums import EventKind
from core.sla.calendar import CalendarError
from core.sla.store import refresh_deadlines

_log = logging.getLogger(__name__)

_TOUCHED = "handoff.sla.touched"
_RUNNING = "handoff.sla.refreshing"
_INSTALLED = "handoff.sla.hook"
# The case columns a clock depends on (policy conditions, stage, creation); others leave deadlines alone.
_CASE_FIELDS = (
    "stage",
    "priority",
    "tier",
    "customer_id",
    "product_area_id",
    "source_system",
    "created_at",
)
_CLOCK_EVENTS = frozenset({EventKind.CUSTOMER_MESSAGE.value, EventKind.AGENT_REPLY.value})


def install_write_hook(session: Session) -> None:
    """Recompute the deadlines of the cases ``session`` touches before each of its commits (idempotent)."""
    if session.info.get(_INSTALLED):
        return
    session.info[_INSTALLED] = True
    event.listen(session, "after_flush", _note_touched_cases)
    event.listen(session, "before_commit", _refresh_touched_cases)


def touched_cases(objects: Iterable[object]) -> set[int]:
    """The ids of the cases whose clocks ``objects`` (new, changed or deleted rows) may move."""
    touched: set[int] = set()
    for obj in objects:
        if isinstance(obj, CaseRow):
            if obj.id is not None and _clock_fields_changed(obj):
                touched.add(obj.id)
        elif isinstance(obj, TimelineEventRow):
            if obj.kind in _CLOCK_EVENTS and obj.case_id is not None:
                touched.add(obj.case_id)
        elif isinstance(obj, StageTransitionRow | EscalationRow) and obj.case_id is not None:
            touched.add(obj.case_id)
    return touched


def _clock_fields_changed(case: CaseRow) -> bool:
    state = inspect(case)
    if state.pending or not state.has_identity:
        return True
    attrs = state.attrs
    return any(attrs[name].history.has_changes() for name in _CASE_FIELDS)


def _note_touched_cases(session: Session, _flush: UOWTransaction) -> None:
    touched = touched_cases([*session.new, *session.dirty, *session.deleted])
    if touched:
        session.info.setdefault(_TOUCHED, set()).update(touched)


def _refresh_touched_cases(session: Session, *_: Any) -> None:
    if session.info.get(_RUNNING):
        return
    session.info[_RUNNING] = True
    try:
        session.flush()
        touched: set[int] = session.info.pop(_TOUCHED, set())
        if touched:
            _refresh(session, touched)
    finally:
        session.info[_RUNNING] = False


def _refresh(session: Session, touched: set[int]) -> None:
    """Refresh the deadlines; an SLA setting the engine cannot use must not stop the user's change."""
    try:
        with session.begin_nested():
            refresh_deadlines(session, touched, utc_now())
    except (CalendarError, ConfigError):
        _log.exception("SLA deadlines of cases %s left as they were", sorted(touched))
