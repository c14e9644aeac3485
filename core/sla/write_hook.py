"""Deadlines recomputed in the transaction that changes a case: never by a periodic job that can be late.

:func:`install_write_hook` hooks a writer session: each flush notes the cases whose clocks may
have moved (a case's routing facts or stage, a new message or reply, a stage transition, an
escalation), and just before the transaction commits their ``sla_due_at``/``sla_warning_at``/
``sla_metric`` are recomputed with :func:`core.sla.store.refresh_deadlines`. The refresh writes
with plain SQL, so it flushes no ORM objects and cannot trigger itself. A saved configuration
with other SLA settings refreshes every open case (running cycles keep their policy, but pause
rules apply at once and cases no policy matched before may get one), by worker processes in a
large workspace (:mod:`core.sla.parallel`). If the SLA settings cannot be used (a calendar the
engine refuses), the deadlines stay as they were and the problem is logged: the user's change
still commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from core.config.errors import ConfigError
from core.config.storage import CONFIG_SETTING_KEY
from core.db.models import CaseRow, EscalationRow, StageTransitionRow, TimelineEventRow, WorkspaceSettingRow
from core.db.types import utc_now
from core.domain.enums import EventKind
from core.sla.calendar import CalendarError
from core.sla.parallel import bulk_refresher
from core.sla.store import refresh_deadlines, sla_settings_of

_log = logging.getLogger(__name__)

_TOUCHED = "handoff.sla.touched"
_SETTINGS_CHANGED = "handoff.sla.settings_changed"
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


def note_touched(session: Session, case_ids: Iterable[int]) -> None:
    """Cases written by bulk statements (which flushes do not see): their deadlines refresh at commit."""
    ids = set(case_ids)
    if ids:
        session.info.setdefault(_TOUCHED, set()).update(ids)


def leave_for_later(session: Session) -> set[int]:
    """Take back the cases noted so far in this transaction: their deadlines are not refreshed at
    commit (the caller refreshes them later, e.g. all at once after a first sync's pull)."""
    session.flush()
    taken: set[int] = session.info.pop(_TOUCHED, set())
    return taken


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


def sla_settings_changed(objects: Iterable[object]) -> bool:
    """Whether ``objects`` (new or changed rows) store a configuration with other SLA settings."""
    for obj in objects:
        if isinstance(obj, WorkspaceSettingRow) and obj.key == CONFIG_SETTING_KEY:
            state = inspect(obj)
            history = state.attrs["value"].history
            if state.pending:
                old = None  # the first saved configuration replaces the shipped defaults
            elif not history.has_changes():
                continue
            elif not history.deleted:
                return True  # the old text was never loaded: assume it differed
            else:
                old = history.deleted[0]
            try:
                if sla_settings_of(old) != sla_settings_of(obj.value):
                    return True
            except ConfigError:
                return False  # unreadable settings: whoever loads them reports it; deadlines stay
    return False


def _note_touched_cases(session: Session, _flush: UOWTransaction) -> None:
    changed = [*session.new, *session.dirty]
    touched = touched_cases([*changed, *session.deleted])
    if touched:
        session.info.setdefault(_TOUCHED, set()).update(touched)
    if sla_settings_changed(changed):
        session.info[_SETTINGS_CHANGED] = True


def _refresh_touched_cases(session: Session, *_: Any) -> None:
    if session.info.get(_RUNNING):
        return
    session.info[_RUNNING] = True
    try:
        session.flush()
        touched: set[int] = session.info.pop(_TOUCHED, set())
        if session.info.pop(_SETTINGS_CHANGED, False):
            _refresh(session, None)  # pause rules, or a policy for cases that had none: every open case
        if touched:
            # Again after a refresh of every case: worker processes see only committed changes.
            _refresh(session, touched)
    finally:
        session.info[_RUNNING] = False


def _refresh(session: Session, touched: set[int] | None) -> None:
    """Refresh the deadlines; an SLA setting the engine cannot use must not stop the user's change."""
    try:
        with session.begin_nested():
            if touched is None:
                with bulk_refresher(session) as bulk:
                    refresh_deadlines(session, None, utc_now(), bulk=bulk)
            else:
                refresh_deadlines(session, touched, utc_now())
    except (CalendarError, ConfigError):
        which = "every open case" if touched is None else f"cases {sorted(touched)}"
        _log.exception("SLA deadlines of %s left as they were", which)
