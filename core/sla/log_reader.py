"""Reading the SLA view of many cases at once: each case's routing facts and packed event log.

Raw SQL on the driver's cursor (this runs over every open case of a large workspace): one
row per case from each of a few grouped queries, moments converted to UTC epoch seconds and
packed into comma-separated lists by SQLite, so Python handles one row per case rather than
one per event. Explicit case ids are read in chunks; "every open case" is one sub-select,
optionally one share of them (a range of ids) for a worker process.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from orjson import loads
from sqlalchemy.orm import Session

from core.domain.enums import DONE_STAGES, EventKind, Visibility
from core.sla.types import CaseTimeline, FactLog

_CHUNK = 900  # ids per IN list (SQLite allows 999 parameters by default on old builds)
DONE_LIST = ", ".join(f"'{stage.value}'" for stage in DONE_STAGES)
OPEN_CASES = f"SELECT id FROM cases WHERE stage NOT IN ({DONE_LIST})"
# Moments are read as UTC epoch seconds, converted by SQLite (unixepoch() since 3.38).
_EPOCH = "unixepoch({})" if sqlite3.sqlite_version_info >= (3, 38) else "CAST(strftime('%s', {}) AS INTEGER)"
_CUSTOMER_MESSAGE = EventKind.CUSTOMER_MESSAGE.value
_AGENT_REPLY = EventKind.AGENT_REPLY.value
_OCCURRED = _EPOCH.format("occurred_at")
# The index on (case_id, occurred_at, kind, visibility) covers this query: no event body is read.
# Lists come as JSON arrays (NULL when empty), which orjson turns into lists of ints in C.
_EVENTS_SQL = (
    f"SELECT case_id, '[' || group_concat({_OCCURRED}) FILTER (WHERE kind = '{_CUSTOMER_MESSAGE}') || ']', "
    f"'[' || group_concat({_OCCURRED}) FILTER (WHERE kind = '{_AGENT_REPLY}') || ']' "
    f"FROM timeline_events WHERE (kind = '{_CUSTOMER_MESSAGE}' OR (kind = '{_AGENT_REPLY}' "
    f"AND visibility = '{Visibility.CUSTOMER.value}')) AND case_id IN ({{ids}}) GROUP BY case_id"
)
# Same-instant changes keep the order they were recorded in (rowid order within a case).
_TRANSITIONS_SQL = (
    f"SELECT case_id, '[' || group_concat({_EPOCH.format('at')}) || ']', json_group_array(to_stage) "
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
CYCLES_SQL = (
    f"SELECT case_id, escalation_id, {_EPOCH.format('started_at')}, policy_version FROM sla_cycles "
    "WHERE case_id IN ({ids})"
)


# Made without the named tuples' Python-level constructors: one of each per open case.
_new_timeline = cast(Callable[[tuple[Any, ...]], CaseTimeline], partial(tuple.__new__, CaseTimeline))
_new_fact_log = cast(Callable[[tuple[Any, ...]], FactLog], partial(tuple.__new__, FactLog))

Soonest = tuple[int | None, int | None, str | None]
"""A case's soonest running deadline: due and warning moments (UTC epoch seconds) and metric.

Plain tuples: worker processes send back one per open case (a named tuple pickles ten times slower).
"""

NO_DEADLINE: Soonest = (None, None, None)


@dataclass
class LoadedLogs:
    """Timelines plus what cycles and stored deadlines need (the latest escalation, the stored values)."""

    timelines: dict[int, CaseTimeline]
    latest_escalation: dict[int, tuple[int, int]]  # case id → (escalation id, requested at, epoch)
    stored: dict[int, Soonest]  # what each case's row holds now
    chunks: list[str]  # the IN lists the cases were read with (the cycles are read with them too)


def read_logs(
    session: Session, case_ids: Iterable[int] | None, share: tuple[int, int] | None = None
) -> LoadedLogs:
    """The engine's view of the cases (None: every open case; ``share``: those with ids in that
    inclusive range)."""
    session.flush()  # raw SQL below does not autoflush
    chunks = list(_chunks(case_ids, share))
    events: dict[int, tuple[list[int], list[int]]] = {}
    for case_id, packed_messages, packed_replies in rows(session, _EVENTS_SQL, chunks):
        messages = [] if packed_messages is None else loads(packed_messages)
        replies = [] if packed_replies is None else loads(packed_replies)
        messages.sort()  # in index order already: the sort only checks
        replies.sort()
        events[case_id] = (messages, replies)
    moves: dict[int, list[tuple[int, str]]] = {}
    for case_id, moments, stages in rows(session, _TRANSITIONS_SQL, chunks):
        changes = list(zip(loads(moments), loads(stages), strict=True))
        changes.sort(key=_first)  # stable: same-instant changes keep their recorded order
        moves[case_id] = changes
    escalations: dict[int, list[int]] = {}
    latest: dict[int, tuple[int, int]] = {}
    for case_id, escalation_id, requested in rows(session, _ESCALATIONS_SQL, chunks):
        escalations.setdefault(case_id, []).append(requested)
        known = latest.get(case_id)
        if known is None or (requested, escalation_id) > (known[1], known[0]):
            latest[case_id] = (escalation_id, requested)
    for moments in escalations.values():
        moments.sort()
    timelines: dict[int, CaseTimeline] = {}
    stored: dict[int, Soonest] = {}
    no_events: tuple[list[int], list[int]] = ([], [])
    new_timeline, new_log = _new_timeline, _new_fact_log
    for row in rows(session, _CASES_SQL, chunks):
        case_id, created = row[0], row[8]
        messages, replies = events.get(case_id, no_events)
        # An agent opened the case with a public comment: the first message is theirs, at creation.
        agent_opened = bool(replies) and replies[0] <= created and (not messages or replies[0] < messages[0])
        log = new_log(
            (created, agent_opened, moves.get(case_id, ()), replies, messages, escalations.get(case_id, ()))
        )
        timelines[case_id] = new_timeline((*row[:8], log))
        stored[case_id] = row[9:12]
    return LoadedLogs(timelines, {k: v for k, v in latest.items() if k in timelines}, stored, chunks)


def rows(session: Session, sql: str, chunks: Sequence[str]) -> list[tuple[Any, ...]]:
    """Every row of ``sql`` for the ``chunks``, as plain tuples (the driver's cursor: no row objects)."""
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    found: list[tuple[Any, ...]] = []
    try:
        for ids in chunks:
            found.extend(cursor.execute(sql.format(ids=ids)).fetchall())
    finally:
        cursor.close()
    return found


def _chunks(case_ids: Iterable[int] | None, share: tuple[int, int] | None) -> Iterator[str]:
    """The IN-list texts to run each query with (one sub-select for every open case)."""
    if case_ids is None:
        if share is None:
            yield OPEN_CASES
        else:
            low, high = (int(bound) for bound in share)
            yield f"{OPEN_CASES} AND id BETWEEN {low} AND {high}"
        return
    ids = sorted({int(case_id) for case_id in case_ids})
    for start in range(0, len(ids), _CHUNK):
        yield ", ".join(str(case_id) for case_id in ids[start : start + _CHUNK])


def _first(change: tuple[int, str]) -> int:
    return change[0]
