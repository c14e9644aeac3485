"""A helpdesk's own SLA data for a case, kept beside Handoff's clocks (never mixed into them).

Zendesk's SLA policy metrics, Freshdesk's due dates and Salesforce's case milestones are what
the helpdesk itself will report on. A connector maps them to :class:`VendorSlaTarget` values
and stores each case's set with :func:`replace_vendor_targets` in the transaction of the page
it pulled; the SLA explanation (window and ``handoff sla``) shows them next to Handoff's clocks,
so a specialist sees when the two disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.db.bulk import insert_rows, table_of
from core.db.models import VendorSlaTargetRow
from core.db.types import utc_now
from core.sla.types import Metric

_IDS_PER_STATEMENT = 500  # case ids per DELETE … IN (…)


class VendorSlaState(StrEnum):
    """Where a helpdesk says its target stands."""

    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"  # completed in time
    MISSED = "missed"  # completed late
    BREACHED = "breached"  # still open and past due


@dataclass(frozen=True)
class VendorSlaTarget:
    """One SLA target as the helpdesk keeps it; ``metric`` is the helpdesk's own name for it."""

    source: str  # the helpdesk (a ``SourceSystem`` value)
    metric: str  # e.g. Zendesk "first_reply_time", Freshdesk "fr_due_by", a Salesforce milestone name
    state: VendorSlaState
    due_at: datetime | None = None
    completed_at: datetime | None = None
    policy_name: str = ""
    handoff_metric: Metric | None = None  # the Handoff clock it corresponds to, when there is one
    synced_at: datetime | None = None


def replace_vendor_targets(
    session: Session,
    case_id: int,
    source: str,
    targets: Iterable[VendorSlaTarget],
    now: datetime | None = None,
) -> None:
    """Make ``targets`` the case's SLA data from ``source`` (what the helpdesk no longer lists goes).

    Runs in the caller's transaction (the sync page that brought them).
    """
    replace_many_vendor_targets(session, source, {case_id: targets}, now)


def replace_many_vendor_targets(
    session: Session,
    source: str,
    targets_by_case: Mapping[int, Iterable[VendorSlaTarget]],
    now: datetime | None = None,
    *,
    known: Collection[int] | None = None,
) -> None:
    """:func:`replace_vendor_targets` for many cases at once (one delete, one insert statement).

    ``known``: the only cases that may hold targets from ``source`` already (None: any of them);
    the others' old targets need no delete (cases a sync page has just added).
    """
    synced_at = now or utc_now()
    stale = sorted(targets_by_case if known is None else set(targets_by_case) & set(known))
    for start in range(0, len(stale), _IDS_PER_STATEMENT):
        session.execute(
            delete(VendorSlaTargetRow).where(
                VendorSlaTargetRow.case_id.in_(stale[start : start + _IDS_PER_STATEMENT]),
                VendorSlaTargetRow.source_system == source,
            )
        )
    rows = [
        {
            "case_id": case_id,
            "source_system": source,
            "metric": target.metric[:64],
            "handoff_metric": None if target.handoff_metric is None else target.handoff_metric.value,
            "policy_name": target.policy_name[:200],
            "state": target.state.value,
            "due_at": target.due_at,
            "completed_at": target.completed_at,
            "synced_at": synced_at,
        }
        for case_id, targets in targets_by_case.items()
        # one per metric: the last listed wins
        for target in {target.metric: target for target in targets}.values()
    ]
    if rows:
        insert_rows(session.connection(), table_of(VendorSlaTargetRow), rows)  # straight to the driver


def vendor_targets(session: Session, case_id: int) -> list[VendorSlaTarget]:
    """The case's SLA targets as its helpdesks keep them, soonest due first (undated last)."""
    rows = session.scalars(select(VendorSlaTargetRow).where(VendorSlaTargetRow.case_id == case_id))
    return sorted((_target(row) for row in rows), key=_due_order)


def _due_order(target: VendorSlaTarget) -> tuple[bool, datetime | None, str]:
    return (target.due_at is None, target.due_at, target.metric)


def _target(row: VendorSlaTargetRow) -> VendorSlaTarget:
    return VendorSlaTarget(
        source=row.source_system,
        metric=row.metric,
        state=VendorSlaState(row.state),
        due_at=row.due_at,
        completed_at=row.completed_at,
        policy_name=row.policy_name,
        handoff_metric=None if row.handoff_metric is None else Metric(row.handoff_metric),
        synced_at=row.synced_at,
    )


def targets_to_json(targets: Sequence[VendorSlaTarget]) -> list[dict[str, str | None]]:
    """The targets as JSON values (ISO 8601 moments with offset), for ``handoff sla --json``."""
    return [
        {
            "source": target.source,
            "metric": target.metric,
            "handoff_metric": None if target.handoff_metric is None else target.handoff_metric.value,
            "policy": target.policy_name,
            "state": target.state.value,
            "due_at": None if target.due_at is None else target.due_at.isoformat(),
            "completed_at": None if target.completed_at is None else target.completed_at.isoformat(),
            "synced_at": None if target.synced_at is None else target.synced_at.isoformat(),
        }
        for target in targets
    ]
