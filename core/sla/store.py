"""The SLA clocks of cases in the workspace: clocks on demand, soonest deadlines stored on the cases.

Timelines are read in bulk (:mod:`core.sla.log_reader`) and each case's current cycle with
the policy it started with (:mod:`core.sla.cycles`). A case's clocks are computed when asked
(the case header, ``handoff sla``, an export); its soonest running deadline is stored on its
row (``cases.sla_due_at``/``sla_warning_at``/``sla_metric``) so the inbox sorts and filters in
SQL, refreshed by the write hook in the transaction that changes the case.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.config.file_format import config_from_tree
from core.config.sla_model import SlaSettings
from core.config.storage import CONFIG_SETTING_KEY
from core.db.models import CaseRow
from core.db.types import format_utc
from core.domain.changes import ChangeSet
from core.domain.enums import DONE_STAGES
from core.settings import get_setting
from core.sla.calendar import CalendarError, calendar_for, from_epoch, to_epoch
from core.sla.cycles import CycleRow, current_cycles, default_workspace_config, store_cycles
from core.sla.engine import compute_clocks, soonest_deadline
from core.sla.log_reader import DONE_LIST, NO_DEADLINE, LoadedLogs, Soonest, read_logs
from core.sla.types import CaseClocks, CaseTimeline


@dataclass(frozen=True)
class Deadline:
    """A case's soonest running deadline, its warning moment and metric (all None: no clock runs)."""

    due_at: datetime | None
    warning_at: datetime | None
    metric: str | None

    @classmethod
    def of(cls, soonest: Soonest) -> Deadline:
        """The deadline of epoch-second values."""
        due, warning, metric = soonest
        return cls(
            None if due is None else from_epoch(due), None if warning is None else from_epoch(warning), metric
        )


def load_timelines(session: Session, case_ids: Iterable[int] | None = None) -> dict[int, CaseTimeline]:
    """The engine's view of the cases (all open cases when ``case_ids`` is None), in a few grouped queries."""
    return read_logs(session, case_ids).timelines


@dataclass(frozen=True)
class CaseSla:
    """A case's clocks and the time zone of the calendar its cycle follows (how to show its moments)."""

    clocks: CaseClocks
    timezone: str | None


def case_clocks(session: Session, case_id: int, now: datetime) -> CaseClocks:
    """The clocks of one case (its cycle snapshotted on first use); an unknown case raises ``KeyError``."""
    return case_sla(session, case_id, now).clocks


def case_sla(session: Session, case_id: int, now: datetime) -> CaseSla:
    """:func:`case_clocks` with the cycle calendar's time zone; an unknown case raises ``KeyError``."""
    found = sla_for_cases(session, [case_id], now)
    if case_id not in found:
        raise KeyError(case_id)
    return found[case_id]


def sla_for_cases(
    session: Session, case_ids: Iterable[int] | None, now: datetime, *, persist: bool = True
) -> dict[int, CaseSla]:
    """The clocks of many cases at once (None: every open case).

    New cycles are snapshotted in bulk; ``persist=False`` leaves the database untouched (a
    read-only export), the snapshot then being what the case would start with now.
    """
    loaded = read_logs(session, case_ids)
    if not loaded.timelines:
        return {}
    settings = sla_settings(session)
    cycles, new_rows = current_cycles(session, loaded, settings)
    if persist:
        store_cycles(session, new_rows)
    found: dict[int, CaseSla] = {}
    for case_id, timeline in loaded.timelines.items():
        cycle = cycles[case_id]
        clocks = compute_clocks(timeline, cycle, settings.pauses, now)
        found[case_id] = CaseSla(clocks, None if cycle is None else cycle.calendar.timezone)
    return found


@dataclass(frozen=True)
class SoonestDeadlines:
    """Each case's soonest running deadline now (``current``), what its row stored before, and the
    snapshots of cycles seen for the first time (not stored yet)."""

    current: dict[int, Soonest]
    stored: dict[int, Soonest]
    new_cycles: list[CycleRow]


BulkDeadlines = Callable[[Session, SlaSettings, datetime], SoonestDeadlines]
"""Computes :func:`soonest_deadlines` of every open case another way (worker processes)."""


def soonest_deadlines(
    session: Session,
    case_ids: Iterable[int] | None,
    now: datetime,
    *,
    settings: SlaSettings | None = None,
    share: tuple[int, int] | None = None,
) -> SoonestDeadlines:
    """Every case's soonest running deadline (None: every open case; ``share``: one share of them).

    Every clock of each case is measured (:func:`core.sla.engine.soonest_deadline`), without
    building explanations; nothing is written. ``settings``: the SLA settings to use (default:
    the stored ones).
    """
    loaded = read_logs(session, case_ids, share)
    if not loaded.timelines:
        return SoonestDeadlines({}, loaded.stored, [])
    settings = settings or sla_settings(session)
    return _measure(session, loaded, settings, to_epoch(now))


def _measure(session: Session, loaded: LoadedLogs, settings: SlaSettings, now: int) -> SoonestDeadlines:
    cycles, new_rows = current_cycles(session, loaded, settings)
    pauses = settings.pauses
    current: dict[int, Soonest] = {}
    for case_id, timeline in loaded.timelines.items():
        if timeline.stage in _DONE_STAGES:
            current[case_id] = NO_DEADLINE  # a resolved or closed case shows no deadline, whatever its log
            continue
        soonest = soonest_deadline(timeline, cycles[case_id], pauses, now)
        current[case_id] = NO_DEADLINE if soonest is None else (soonest[0], soonest[1], soonest[2].value)
    return SoonestDeadlines(current, loaded.stored, new_rows)


def refresh_deadlines(
    session: Session, case_ids: Iterable[int] | None, now: datetime, *, bulk: BulkDeadlines | None = None
) -> ChangeSet:
    """Recompute and store ``cases.sla_due_at``/``sla_warning_at``/``sla_metric`` (None: every open case).

    Only rows whose values change are written; the change set names them. ``bulk`` computes
    every open case's deadline another way (worker processes, which see committed data only).
    """
    if case_ids is None and bulk is not None:
        deadlines = bulk(session, sla_settings(session), now)
    else:
        deadlines = soonest_deadlines(session, case_ids, now)
    store_cycles(session, deadlines.new_cycles)
    changed: dict[int, Deadline] = {}
    if case_ids is None:
        changed.update(_finished_with_deadline(session))
    stored = deadlines.stored
    for case_id, value in deadlines.current.items():
        if value != stored[case_id]:
            changed[case_id] = Deadline.of(value)
    _store(session, changed)
    return ChangeSet(cases=frozenset(changed))


@dataclass(frozen=True)
class CaseDeadlines:
    """Each case's soonest running deadline now (``current``) and what its row stored before."""

    current: dict[int, Deadline]
    stored: dict[int, Deadline]


def case_deadlines(
    session: Session, case_ids: Iterable[int] | None, now: datetime, *, persist: bool = True
) -> CaseDeadlines:
    """:func:`soonest_deadlines` as datetimes; ``persist`` stores the snapshots of new cycles."""
    found = soonest_deadlines(session, case_ids, now)
    if persist:
        store_cycles(session, found.new_cycles)
    return CaseDeadlines(
        {case_id: Deadline.of(value) for case_id, value in found.current.items()},
        {case_id: Deadline.of(value) for case_id, value in found.stored.items()},
    )


def sla_settings(session: Session) -> SlaSettings:
    """The workspace's SLA settings, as :func:`core.config.storage.load_stored_config` reads them.

    Parsed once per stored text: validating the whole configuration takes milliseconds, and
    the write hook asks on every commit.
    """
    return sla_settings_of(get_setting(session, CONFIG_SETTING_KEY))


@lru_cache(maxsize=4)
def sla_settings_of(stored: str | None) -> SlaSettings:
    """The SLA settings of a stored configuration text (None: the shipped defaults)."""
    config = default_workspace_config() if stored is None else config_from_tree(json.loads(stored))
    return config.sla


_DONE_STAGES = frozenset(stage.value for stage in DONE_STAGES)


# -- writing ------------------------------------------------------------------------------------


def _finished_with_deadline(session: Session) -> dict[int, Deadline]:
    """Resolved or closed cases that still show a deadline (cleared by a refresh of every open case)."""
    rows = session.connection().exec_driver_sql(
        f"SELECT id FROM cases WHERE stage IN ({DONE_LIST}) AND sla_due_at IS NOT NULL"
    )
    return {int(case_id): Deadline(None, None, None) for (case_id,) in rows}


def _store(session: Session, changed: dict[int, Deadline]) -> None:
    """Write the new values with one statement per batch, and keep loaded ``CaseRow`` objects in step."""
    if not changed:
        return
    session.connection().exec_driver_sql(
        "UPDATE cases SET sla_due_at = ?, sla_warning_at = ?, sla_metric = ? WHERE id = ?",
        [
            (_text(value.due_at), _text(value.warning_at), value.metric, case_id)
            for case_id, value in changed.items()
        ],
    )
    for case_id, value in changed.items():
        row = session.identity_map.get(session.identity_key(CaseRow, case_id))
        if isinstance(row, CaseRow):
            set_committed_value(row, "sla_due_at", value.due_at)
            set_committed_value(row, "sla_warning_at", value.warning_at)
            set_committed_value(row, "sla_metric", value.metric)


def _text(value: datetime | None) -> str | None:
    return None if value is None else format_utc(value)


def warm_up(session: Session, now: datetime) -> int:
    """Parse the SLA settings and lay out every calendar around ``now`` (holiday tables included).

    The first use of a calendar loads its country's holidays (tens of milliseconds); doing it
    once when the window is idle keeps that out of the first case a specialist opens.
    Returns how many calendars were prepared; an unusable calendar is skipped (validation
    reports it where the configuration is edited).
    """
    prepared = 0
    for settings in sla_settings(session).calendars:
        try:
            calendar_for(settings).business_seconds(now - timedelta(days=7), now + timedelta(days=7))
        except CalendarError:
            continue
        prepared += 1
    return prepared
