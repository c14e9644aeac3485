"""Reading the recorded routes of cases: how many times each went to another team.

Undone moves stay in ``case_routes`` for the audit trail but are never counted;
an assignment within a team or a triage is not a re-route.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import CaseRouteRow
from core.routing.types import RouteKind


def reroute_counts(session: Session, case_ids: Sequence[int]) -> dict[int, int]:
    """``case id → re-route count`` for the cases that have any (others are absent: zero)."""
    if not case_ids:
        return {}
    rows = session.execute(
        select(CaseRouteRow.case_id, func.count(CaseRouteRow.id))
        .where(
            CaseRouteRow.case_id.in_(list(case_ids)),
            CaseRouteRow.kind == RouteKind.REROUTE.value,
            CaseRouteRow.undone_at.is_(None),
        )
        .group_by(CaseRouteRow.case_id)
    ).all()
    return {case_id: count for case_id, count in rows}


def reroute_count_of(session: Session, case_id: int) -> int:
    """How many times case ``case_id`` went to another team (undone moves do not count)."""
    return reroute_counts(session, [case_id]).get(case_id, 0)
