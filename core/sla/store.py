"""The SLA clocks of cases in the workspace: timelines read in bulk, cycles snapshotted, deadlines stored.

CONTRACT (signatures fixed; the SLA-storage helper implements the bodies).

Timelines are read with a handful of grouped queries (raw SQL: this runs over every open
case of a large workspace), chunked when explicit case ids are given. A cycle starts at the
case's creation or at its latest escalation; the first time a cycle is seen, the policy that
matches the case is frozen into an ``sla_cycles`` row, so the case keeps that policy version
for the rest of the cycle while an edited policy applies to new cycles.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from core.config.codec import from_tree, to_tree
from core.config.defaults import default_config
from core.config.errors import ConfigError
from core.config.file_format import config_from_tree
from core.config.model import WorkspaceConfig
from core.config.sla_model import CalendarSettings, SlaPolicy, SlaSettings
from core.config.storage import CONFIG_SETTING_KEY
from core.db.models import CaseRow, SlaCycleRow
from core.db.types import format_utc
from core.domain.changes import ChangeSet
from core.domain.enums import DONE_STAGES, EventKind, Visibility
from core.settings import get_setting
from core.sla.calendar import CalendarError, calendar_for, from_epoch, to_epoch
from core.sla.engine import compute_clocks, next_deadline
from core.sla.policy import match_policy, snapshot_for
from core.sla.types import CaseClocks, CaseTimeline, CycleSnapshot, FactLog

_CHUNK = 900  # ids per IN list (SQLite allows 999 parameters by default on old builds)
_DONE = ", ".join(f"'{stage.value}'" for stage in DONE_STAGES)
_OPEN_CASES = f"SELECT id FROM cases WHERE stage NOT IN ({_DONE})"
# Moments are read as UTC epoch seconds, converted by SQLite (unixepoch() since 3.38).
_EPOCH = "unixepoch({})" if sqlite3.sqlite_version_info >= (3, 38) else "CAST(strftime('%s', {}) AS INTEGER)"
_CUSTOMER_MESSAGE = EventKind.CUSTOMER_MESSAGE.value
_AGENT_REPLY = EventKind.AGENT_REPLY.value
# One row per case, each kind of moment packed by SQLite into a comma-separated list: a bulk
# refresh reads every open case, and a row per event would cost more than the clocks.
_OCCURRED = _EPOCH.format("occurred_at")
_EVENTS_SQL = (
    f"SELECT case_id, group_concat({_OCCURRED}) FILTER (WHERE kind = '{_CUSTOMER_MESSAGE}'), "
    f"group_concat({_OCCURRED}) FILTER (WHERE kind = '{_AGENT_REPLY}') "
    f"FROM timeline_events WHERE (kind = '{_CUSTOMER_MESSAGE}' OR (kind = '{_AGENT_REPLY}' "
    f"AND visibility = '{Visibility.CUSTOMER.value}')) AND case_id IN ({{ids}}) GROUP BY case_id"
)
# Same-instant changes keep the order they were recorded in (rowid order within a case).
_TRANSITIONS_SQL = (
    f"SELECT case_id, group_concat({_EPOCH.format('at')}), group_concat(to_stage) "
    "FROM stage_transitions WHERE case_id IN ({ids}) GROUP BY case_id"
)
_ESCALATIONS_SQL = (
    f"SELECT case_id, id, {_EPOCH.format('requested_at')} FROM escalations WHERE case_id IN ({{ids}})"
)
_CASES_SQL = (
    "SELECT c.id, c.number, c.priority, COALESCE(cu.tier, ''), COALESCE(pa.key, ''), c.source_system, "
    f"c.tier, c.stage, {_EPOCH.format('c.created_at')}, {_EPOCH.format('c.sla_due_at')}, "
    f"{_EPOCH.format('c.sla_warning_at')}, c.sla_metric FROM cases c "
    "LEFT JOIN customers cu ON cu.id = c.customer_id "
    "LEFT JOIN product_areas pa ON pa.id = c.product_area_id WHERE c.id IN ({ids})"
)
_CYCLES_SQL = (
    f"SELECT case_id, escalation_id, {_EPOCH.format('started_at')}, policy_version FROM sla_cycles "
    "WHERE case_id IN ({ids})"
)
# A version's policy texts, read from one cycle that has it (thousands of cycles share a few versions).
_CYCLE_TEXTS_SQL = (
    "SELECT policy_json, calendar_json FROM sla_cycles WHERE case_id = ? AND policy_version = ? LIMIT 1"
)


@dataclass(frozen=True)
class Deadline:
    """A case's soonest running deadline, its warning moment and metric (all None: no clock runs)."""

    due_at: datetime | None
    warning_at: datetime | None
    metric: str | None


@dataclass
class _Loaded:
    """Timelines plus what cycles and stored deadlines need (the latest escalation, the stored values)."""

    timelines: dict[int, CaseTimeline]
    latest_escalation: dict[int, tuple[int, datetime]]
    stored: dict[int, Deadline]
    chunks: list[str]  # the IN lists the cases were read with (the cycles are read with them too)


def load_timelines(session: Session, case_ids: Iterable[int] | None = None) -> dict[int, CaseTimeline]:
    """The engine's view of the cases (all open cases when ``case_ids`` is None), in a few grouped queries."""
    return _load(session, case_ids).timelines


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
    loaded = _load(session, case_ids)
    if not loaded.timelines:
        return {}
    pauses = sla_settings(session).pauses
    cycles = _current_cycles(session, loaded, persist=persist)
    found: dict[int, CaseSla] = {}
    for case_id, timeline in loaded.timelines.items():
        cycle = cycles[case_id]
        clocks = compute_clocks(timeline, cycle, pauses, now)
        found[case_id] = CaseSla(clocks, None if cycle is None else cycle.calendar.timezone)
    return found


def refresh_deadlines(session: Session, case_ids: Iterable[int] | None, now: datetime) -> ChangeSet:
    """Recompute and store ``cases.sla_due_at``/``sla_warning_at``/``sla_metric`` (None: every open case).

    Only rows whose values change are written; the change set names them.
    """
    deadlines = case_deadlines(session, case_ids, now)
    changed: dict[int, Deadline] = {}
    if case_ids is None:
        changed.update(_finished_with_deadline(session))
    for case_id, value in deadlines.current.items():
        if value != deadlines.stored[case_id]:
            changed[case_id] = value
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
    """Every case's soonest running deadline (None: every open case), computed from its event log.

    Every clock of each case is measured (:func:`core.sla.engine.next_deadline`), without
    building explanations; ``persist=False`` stores no new cycle snapshots.
    """
    loaded = _load(session, case_ids)
    values: dict[int, Deadline] = {}
    if loaded.timelines:
        pauses = sla_settings(session).pauses
        cycles = _current_cycles(session, loaded, persist=persist)
        for case_id, timeline in loaded.timelines.items():
            soonest = next_deadline(timeline, cycles[case_id], pauses, now)
            values[case_id] = (
                Deadline(None, None, None)
                if soonest is None
                else Deadline(soonest[0], soonest[1], soonest[2].value)
            )
    return CaseDeadlines(values, loaded.stored)


def sla_settings(session: Session) -> SlaSettings:
    """The workspace's SLA settings, as :func:`core.config.storage.load_stored_config` reads them.

    Parsed once per stored text: validating the whole configuration takes milliseconds, and
    the write hook asks on every commit.
    """
    return sla_settings_of(get_setting(session, CONFIG_SETTING_KEY))


@lru_cache(maxsize=4)
def sla_settings_of(stored: str | None) -> SlaSettings:
    """The SLA settings of a stored configuration text (None: the shipped defaults)."""
    config = _defaults() if stored is None else config_from_tree(json.loads(stored))
    return config.sla


# -- reading ------------------------------------------------------------------------------------


def _chunks(session: Session, case_ids: Iterable[int] | None) -> Iterator[str]:
    """The IN-list texts to run each query with (one sub-select for every open case)."""
    if case_ids is None:
        yield _OPEN_CASES
        return
    ids = sorted({int(case_id) for case_id in case_ids})
    for start in range(0, len(ids), _CHUNK):
        yield ", ".join(str(case_id) for case_id in ids[start : start + _CHUNK])


def _rows(session: Session, sql: str, chunks: Sequence[str]) -> list[tuple[Any, ...]]:
    """Every row of ``sql`` for the ``chunks``, as plain tuples (the driver's cursor: no row objects)."""
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    rows: list[tuple[Any, ...]] = []
    try:
        for ids in chunks:
            rows.extend(cursor.execute(sql.format(ids=ids)).fetchall())
    finally:
        cursor.close()
    return rows


def _load(session: Session, case_ids: Iterable[int] | None) -> _Loaded:
    session.flush()  # raw SQL below does not autoflush
    chunks = list(_chunks(session, case_ids))
    events: dict[int, tuple[list[int], list[int]]] = {}
    for case_id, messages, replies in _rows(session, _EVENTS_SQL, chunks):
        events[case_id] = (_moments(messages), _moments(replies))
    moves: dict[int, list[tuple[int, str]]] = {}
    for case_id, moments, stages in _rows(session, _TRANSITIONS_SQL, chunks):
        changes = list(zip(map(int, moments.split(",")), stages.split(","), strict=True))
        changes.sort(key=_first)  # stable: same-instant changes keep their recorded order
        moves[case_id] = changes
    escalations: dict[int, list[int]] = {}
    latest: dict[int, tuple[int, datetime]] = {}
    for case_id, escalation_id, requested in _rows(session, _ESCALATIONS_SQL, chunks):
        escalations.setdefault(case_id, []).append(requested)
        known = latest.get(case_id)
        if known is None or (requested, escalation_id) > (to_epoch(known[1]), known[0]):
            latest[case_id] = (escalation_id, from_epoch(requested))
    timelines: dict[int, CaseTimeline] = {}
    stored: dict[int, Deadline] = {}
    no_events: tuple[list[int], list[int]] = ([], [])
    for row in _rows(session, _CASES_SQL, chunks):
        case_id, number, priority, customer_tier, area, source, tier, stage, created, due, warning, metric = (
            row
        )
        messages, replies = events.get(case_id, no_events)
        # An agent opened the case with a public comment: the first message is theirs, at creation.
        agent_opened = bool(replies) and replies[0] <= created and (not messages or replies[0] < messages[0])
        timelines[case_id] = CaseTimeline(
            case_id=case_id,
            number=number,
            priority=priority,
            customer_tier=customer_tier,
            product_area=area,
            source=source,
            tier=tier,
            stage=stage,
            created_at=from_epoch(created),
            log=FactLog(
                created,
                agent_opened,
                moves.get(case_id, ()),
                replies,
                messages,
                sorted(escalations.get(case_id, ())),
            ),
        )
        stored[case_id] = Deadline(
            None if due is None else from_epoch(due), None if warning is None else from_epoch(warning), metric
        )
    return _Loaded(timelines, {k: v for k, v in latest.items() if k in timelines}, stored, chunks)


def _moments(packed: str | None) -> list[int]:
    """The sorted epoch seconds of a comma-separated list (None: none)."""
    if packed is None:
        return []
    moments = list(map(int, packed.split(",")))
    moments.sort()
    return moments


def _first(change: tuple[int, str]) -> int:
    return change[0]


# -- cycles -------------------------------------------------------------------------------------


def _current_cycles(
    session: Session, loaded: _Loaded, *, persist: bool = True
) -> dict[int, CycleSnapshot | None]:
    """Each case's current cycle snapshot; cycles seen for the first time are frozen and stored (in bulk)."""
    chunks = loaded.chunks
    rows = _rows(session, _CYCLES_SQL, chunks)
    texts = _cycle_texts(session, {version: case_id for case_id, _escalation, _started, version in rows})
    stored: dict[tuple[int, int | None], CycleSnapshot] = {}
    for case_id, escalation_id, started, version in rows:
        policy, calendar = texts[version]
        stored[(case_id, escalation_id)] = CycleSnapshot(
            started_at=from_epoch(started), policy=policy, calendar=calendar, version=version
        )
    snapshots = _Snapshots(sla_settings(session))
    cycles: dict[int, CycleSnapshot | None] = {}
    new_rows: list[dict[str, object]] = []
    for case_id, timeline in loaded.timelines.items():
        escalation_id, started_at = loaded.latest_escalation.get(case_id, (None, timeline.created_at))
        snapshot = stored.get((case_id, escalation_id))
        if snapshot is None:
            snapshot = snapshots.new_cycle(timeline, started_at)
            if snapshot is not None:
                new_rows.append(snapshots.row(case_id, escalation_id, snapshot))
        cycles[case_id] = snapshot
    if new_rows and persist:
        session.execute(insert(SlaCycleRow), new_rows)
    return cycles


class _Snapshots:
    """New cycles under the current settings: each policy versioned and encoded once per refresh."""

    def __init__(self, settings: SlaSettings) -> None:
        self._settings = settings
        self._by_policy: dict[str, tuple[CycleSnapshot, str, str]] = {}

    def new_cycle(self, timeline: CaseTimeline, started_at: datetime) -> CycleSnapshot | None:
        policy = match_policy(timeline, self._settings)
        if policy is None:
            return None
        known = self._by_policy.get(policy.key)
        if known is None:
            snapshot = snapshot_for(timeline, self._settings, started_at)
            assert snapshot is not None  # the same settings matched a policy just now
            policy_json = json.dumps(to_tree(snapshot.policy), sort_keys=True)
            calendar_json = json.dumps(to_tree(snapshot.calendar), sort_keys=True)
            self._by_policy[policy.key] = (snapshot, policy_json, calendar_json)
            return snapshot
        return dataclasses.replace(known[0], started_at=started_at)

    def row(self, case_id: int, escalation_id: int | None, snapshot: CycleSnapshot) -> dict[str, object]:
        """The ``sla_cycles`` row that keeps ``snapshot`` (made by :meth:`new_cycle`)."""
        _snapshot, policy_json, calendar_json = self._by_policy[snapshot.policy.key]
        return {
            "case_id": case_id,
            "escalation_id": escalation_id,
            "started_at": snapshot.started_at,
            "policy_key": snapshot.policy.key,
            "policy_version": snapshot.version,
            "policy_json": policy_json,
            "calendar_json": calendar_json,
        }


def _cycle_texts(
    session: Session, case_by_version: dict[str, int]
) -> dict[str, tuple[SlaPolicy, CalendarSettings]]:
    """The policy and calendar of each version, read from one case's cycle that has it."""
    connection = session.connection()
    decoded: dict[str, tuple[SlaPolicy, CalendarSettings]] = {}
    for version, case_id in case_by_version.items():
        policy_json, calendar_json = connection.exec_driver_sql(_CYCLE_TEXTS_SQL, (case_id, version)).one()
        decoded[version] = _decode(policy_json, calendar_json)
    return decoded


@cache
def _decode(policy_json: str, calendar_json: str) -> tuple[SlaPolicy, CalendarSettings]:
    """A stored cycle's policy and calendar, decoded by the configuration codec (cached: few texts)."""
    sla = {"calendars": [json.loads(calendar_json)], "policies": [json.loads(policy_json)], "pauses": []}
    tree = {"sla": sla}
    config, problems = from_tree(tree, _defaults())
    if problems:
        raise ConfigError(problems)
    return config.sla.policies[0], config.sla.calendars[0]


@cache
def _defaults() -> WorkspaceConfig:
    return default_config()


# -- writing ------------------------------------------------------------------------------------


def _finished_with_deadline(session: Session) -> dict[int, Deadline]:
    """Resolved or closed cases that still show a deadline (cleared by a refresh of every open case)."""
    rows = session.connection().exec_driver_sql(
        f"SELECT id FROM cases WHERE stage IN ({_DONE}) AND sla_due_at IS NOT NULL"
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
