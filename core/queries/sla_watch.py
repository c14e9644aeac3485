"""Cheap SLA watch queries over the stored deadlines (``cases.sla_due_at`` / ``sla_warning_at``).

The notifier asks these instead of computing clocks: how many open cases are at risk now,
when the next threshold (a warning or a deadline) comes, and which cases crossed one in a
time window. A case is "at risk" once its warning moment has passed (or its deadline, for a
case without a warning window).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.domain.enums import OPEN_STAGES
from core.settings import get_setting, set_setting

_OPEN = [stage.value for stage in OPEN_STAGES]
NOTIFICATIONS_SETTING = "sla.notifications"


class Threshold(StrEnum):
    """The two moments of a deadline worth telling a specialist about."""

    WARNING = "warning"
    BREACH = "breach"


@dataclass(frozen=True)
class Crossing:
    """Case ``number`` reached ``threshold`` of its deadline ``due_at`` (on ``metric``) at ``at``."""

    case_id: int
    number: int
    subject: str
    metric: str
    threshold: Threshold
    at: datetime
    due_at: datetime


@dataclass(frozen=True)
class SlaWatch:
    """What the notifier needs after each check: the at-risk count, the next moment, the crossings."""

    at_risk: int
    next_moment: datetime | None
    crossings: tuple[Crossing, ...]


def _at_risk_clause(now: datetime) -> ColumnElement[bool]:
    return or_(CaseRow.sla_warning_at <= now, CaseRow.sla_due_at <= now)


def at_risk_count(session: Session, now: datetime) -> int:
    """Open cases whose soonest deadline is in its warning window or breached at ``now``."""
    query = (
        select(func.count())
        .select_from(CaseRow)
        .where(CaseRow.stage.in_(_OPEN), CaseRow.sla_due_at.is_not(None), _at_risk_clause(now))
    )
    return int(session.execute(query).scalar_one())


def next_threshold(session: Session, now: datetime) -> datetime | None:
    """The soonest warning or deadline of an open case strictly after ``now`` (None: nothing ahead)."""
    moments = [
        session.execute(
            select(func.min(column)).where(CaseRow.stage.in_(_OPEN), column > now)
        ).scalar_one_or_none()
        for column in (CaseRow.sla_warning_at, CaseRow.sla_due_at)
    ]
    ahead = [moment for moment in moments if moment is not None]
    return min(ahead, default=None)


def crossings(session: Session, since: datetime, until: datetime) -> list[Crossing]:
    """Open cases whose warning or deadline falls in ``(since, until]``, in the order they happened."""
    found: list[Crossing] = []
    for threshold, column in (
        (Threshold.WARNING, CaseRow.sla_warning_at),
        (Threshold.BREACH, CaseRow.sla_due_at),
    ):
        rows = session.execute(
            select(
                CaseRow.id, CaseRow.number, CaseRow.subject, CaseRow.sla_metric, column, CaseRow.sla_due_at
            ).where(CaseRow.stage.in_(_OPEN), column > since, column <= until)
        ).all()
        for case_id, number, subject, metric, at, due_at in rows:
            if at is not None and due_at is not None:  # the window's bounds exclude NULLs; mypy can't tell
                found.append(Crossing(case_id, number, subject, metric or "", threshold, at, due_at))
    found.sort(key=lambda crossing: (crossing.at, crossing.number, crossing.threshold.value))
    return found


def at_risk_now(session: Session, case_ids: Iterable[int], now: datetime) -> list[Crossing]:
    """Which of ``case_ids`` are in warning or breached at ``now`` (a change may put a case there at once)."""
    ids = list(case_ids)
    if not ids:
        return []
    rows = session.execute(
        select(
            CaseRow.id,
            CaseRow.number,
            CaseRow.subject,
            CaseRow.sla_metric,
            CaseRow.sla_warning_at,
            CaseRow.sla_due_at,
        ).where(
            CaseRow.id.in_(ids),
            CaseRow.stage.in_(_OPEN),
            CaseRow.sla_due_at.is_not(None),
            _at_risk_clause(now),
        )
    ).all()
    found = []
    for case_id, number, subject, metric, warning_at, due_at in rows:
        if due_at is None:  # excluded by the query; mypy can't tell
            continue
        breached = due_at <= now or warning_at is None
        threshold, at = (Threshold.BREACH, due_at) if breached else (Threshold.WARNING, warning_at or due_at)
        found.append(Crossing(case_id, number, subject, metric or "", threshold, at, due_at))
    found.sort(key=lambda crossing: (crossing.at, crossing.number))
    return found


def notifications_enabled(session: Session) -> bool:
    """Whether SLA pop-ups are on for this workspace (on unless turned off)."""
    return get_setting(session, NOTIFICATIONS_SETTING) != "off"


def set_notifications_enabled(session: Session, enabled: bool) -> None:
    """Turn SLA pop-ups on or off for this workspace (the at-risk count is always shown)."""
    set_setting(session, NOTIFICATIONS_SETTING, "on" if enabled else "off")


def watch(session: Session, since: datetime | None, now: datetime, changed: Iterable[int] = ()) -> SlaWatch:
    """At-risk count and next moment at ``now``; crossings in ``(since, now]`` (none without ``since``)
    and the ``changed`` cases that are at risk now (each case and threshold once)."""
    found = crossings(session, since, now) if since is not None else []
    seen = {(crossing.case_id, crossing.threshold) for crossing in found}
    found += [c for c in at_risk_now(session, changed, now) if (c.case_id, c.threshold) not in seen]
    return SlaWatch(
        at_risk=at_risk_count(session, now),
        next_moment=next_threshold(session, now),
        crossings=tuple(found),
    )
