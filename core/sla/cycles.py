"""Which cycle each case is in, and the policy it started with (frozen into ``sla_cycles``).

A cycle starts at the case's creation or at its latest escalation. The first time a cycle is
seen, the policy that matches the case is snapshotted (policy and calendar as JSON, with its
version), so the case keeps that policy version for the rest of the cycle while an edited
policy applies to new cycles. Snapshots of cycles seen for the first time are returned as
rows for the caller to store (in bulk, in its transaction).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, partial
from typing import cast

from sqlalchemy.orm import Session

from core.config.codec import from_tree, to_tree
from core.config.defaults import default_config
from core.config.errors import ConfigError
from core.config.model import WorkspaceConfig
from core.config.sla_model import CalendarSettings, SlaPolicy, SlaSettings
from core.db.bulk import insert_rows, table_of
from core.db.models import SlaCycleRow
from core.sla.calendar import from_epoch
from core.sla.log_reader import CYCLES_SQL, LoadedLogs, rows
from core.sla.policy import match_policy, snapshot_for
from core.sla.types import CaseTimeline, CycleSnapshot

CycleRow = dict[str, object]  # the values of a new ``sla_cycles`` row

# Made without the named tuple's Python-level constructor: a bulk refresh makes one per open case.
_new_snapshot = cast(Callable[[tuple[object, ...]], CycleSnapshot], partial(tuple.__new__, CycleSnapshot))

# A version's policy texts, read from one cycle that has it (thousands of cycles share a few versions).
_CYCLE_TEXTS_SQL = (
    "SELECT policy_json, calendar_json FROM sla_cycles WHERE case_id = ? AND policy_version = ? LIMIT 1"
)


def current_cycles(
    session: Session, loaded: LoadedLogs, settings: SlaSettings
) -> tuple[dict[int, CycleSnapshot | None], list[CycleRow]]:
    """Each case's current cycle snapshot (None: no policy matches), and the rows of new ones."""
    found = rows(session, CYCLES_SQL, loaded.chunks)
    texts = _cycle_texts(session, {version: case_id for case_id, _escalation, _started, version in found})
    latest = loaded.latest_escalation
    snapshot_of = _new_snapshot
    cycles: dict[int, CycleSnapshot | None] = {}
    for case_id, escalation_id, started, version in found:
        escalation = latest.get(case_id)
        if escalation_id == (None if escalation is None else escalation[0]):  # the current cycle
            cycles[case_id] = snapshot_of((started, *texts[version], version))
    snapshots = _Snapshots(settings)
    new_rows: list[CycleRow] = []
    for case_id, timeline in loaded.timelines.items():
        if case_id in cycles:
            continue
        escalation = latest.get(case_id)
        if escalation is None:
            snapshot = snapshots.new_cycle(timeline, timeline.log.created)
        else:
            snapshot = snapshots.new_cycle(timeline, escalation[1])
        if snapshot is not None:
            new_rows.append(snapshots.row(case_id, None if escalation is None else escalation[0], snapshot))
        cycles[case_id] = snapshot
    return cycles, new_rows


def store_cycles(session: Session, new_rows: list[CycleRow]) -> None:
    """Keep the snapshots of cycles seen for the first time (one bulk insert)."""
    insert_rows(session.connection(), table_of(SlaCycleRow), new_rows)  # straight to the driver


class _Snapshots:
    """New cycles under the current settings: each policy versioned and encoded once per refresh."""

    def __init__(self, settings: SlaSettings) -> None:
        self._settings = settings
        self._by_policy: dict[str, tuple[CycleSnapshot, str, str]] = {}

    def new_cycle(self, timeline: CaseTimeline, start: int) -> CycleSnapshot | None:
        """The snapshot of a cycle of ``timeline`` starting at ``start`` (UTC epoch seconds)."""
        policy = match_policy(timeline, self._settings)
        if policy is None:
            return None
        known = self._by_policy.get(policy.key)
        if known is None:
            snapshot = snapshot_for(timeline, self._settings, from_epoch(start))
            assert snapshot is not None  # the same settings matched a policy just now
            policy_json = json.dumps(to_tree(snapshot.policy), sort_keys=True)
            calendar_json = json.dumps(to_tree(snapshot.calendar), sort_keys=True)
            self._by_policy[policy.key] = (snapshot, policy_json, calendar_json)
            return snapshot
        return _new_snapshot((start, *known[0][1:]))

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
    config, problems = from_tree(tree, default_workspace_config())
    if problems:
        raise ConfigError(problems)
    return config.sla.policies[0], config.sla.calendars[0]


@cache
def default_workspace_config() -> WorkspaceConfig:
    return default_config()
