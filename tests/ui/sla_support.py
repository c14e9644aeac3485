"""Helpers for SLA UI tests: stored deadlines set by hand and hand-made clocks (no engine needed).

Deadlines are written in a write of their own that changes only the ``sla_*`` columns, so the
SLA write hook (which recomputes the deadlines of cases whose clock facts change) leaves them be.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.db.runner import DbRunner
from core.sla.types import CaseClocks, Clock, ClockState, Metric, Pause, Risk

T0 = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)


def _store(
    session: Session, deadlines: dict[int, tuple[datetime | None, datetime | None, str]], only: bool
) -> None:
    if only:
        session.execute(update(CaseRow).values(sla_due_at=None, sla_warning_at=None, sla_metric=None))
    for case_id, (due_at, warning_at, metric) in deadlines.items():
        case = session.get(CaseRow, case_id)
        assert case is not None
        case.sla_due_at, case.sla_warning_at, case.sla_metric = due_at, warning_at, metric


def set_deadlines(
    db: DbRunner, deadlines: dict[int, tuple[datetime | None, datetime | None, str]], *, only: bool = False
) -> None:
    """Store ``{case_id: (due_at, warning_at, metric)}`` as the cases' soonest deadlines.

    ``only``: every other case has no deadline (whatever the engine computed when they were added).
    """
    db.write(_store, deadlines, only).result()


def clock(
    metric: Metric,
    label: str,
    state: ClockState,
    risk: Risk,
    *,
    now: datetime = T0,
    remaining: int = 0,
    warning_before: int = 1800,
    pauses: tuple[Pause, ...] = (),
) -> Clock:
    """A clock of ``state``; running clocks are due ``remaining`` seconds after ``now``."""
    running = state in (ClockState.RUNNING, ClockState.BREACHED)
    due_at = now + timedelta(seconds=remaining) if running else None
    return Clock(
        metric=metric,
        label=label,
        state=state,
        risk=risk,
        target_seconds=4 * 3600,
        business_hours=True,
        started_at=now - timedelta(hours=2),
        due_at=due_at,
        warning_at=due_at - timedelta(seconds=warning_before) if due_at is not None else None,
        stopped_at=now - timedelta(minutes=30) if state in (ClockState.MET, ClockState.MISSED) else None,
        elapsed_seconds=3600,
        remaining_seconds=remaining,
        breach_level=1 if state is ClockState.BREACHED else 0,
        breach_actions=(),
        segments=(),
        pauses=pauses,
        resets=(),
    )


AWAITING = Pause(
    Metric.RESOLUTION, T0 - timedelta(hours=5), T0 - timedelta(hours=3), "awaiting_customer", True
)
QUIET_PAUSE = Pause(Metric.RESOLUTION, T0 - timedelta(hours=1), None, "awaiting_customer", False)


def sample_clocks(case_id: int, *, now: datetime = T0) -> CaseClocks:
    """Next reply running (due in 1 h 12 min), resolution paused, first reply met, periodic update overdue."""
    return CaseClocks(
        case_id=case_id,
        number=1001,
        policy_key="enterprise-urgent",
        policy_name="Enterprise urgent",
        policy_version="v3",
        calendar_key="emea",
        cycle_started_at=now - timedelta(hours=6),
        clocks=(
            clock(Metric.NEXT_REPLY, "Next reply", ClockState.RUNNING, Risk.OK, now=now, remaining=72 * 60),
            clock(Metric.RESOLUTION, "Resolution", ClockState.PAUSED, Risk.OK, now=now, pauses=(AWAITING,)),
            clock(Metric.FIRST_REPLY, "First reply", ClockState.MET, Risk.NONE, now=now),
            clock(
                Metric.PERIODIC_UPDATE,
                "Periodic update",
                ClockState.BREACHED,
                Risk.BREACHED,
                now=now,
                remaining=-1200,
            ),
        ),
        pause_ledger=(AWAITING, QUIET_PAUSE),
        computed_at=now,
        explanation=(
            "Policy Enterprise urgent (enterprise-urgent), version v3.",
            "Calendar EMEA business hours, Mon–Fri 09:00–17:00 Europe/Berlin.",
            "Next reply: counted 09:00–10:00 (1 h); due 11:12.",
            "Resolution paused while awaiting the customer since 09:00.",
        ),
    )
