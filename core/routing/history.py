"""The recorded routes of cases: how many times each went to another team, and how rules are stored.

Undone moves stay in ``case_routes`` for the audit trail but are never counted;
an assignment within a team or a triage is not a re-route.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import CaseRouteRow
from core.routing.types import RouteKind, RuleKind

#: The conditions of a route that counts as a re-route: to another team, and not undone.
STANDING_REROUTE = (CaseRouteRow.kind == RouteKind.REROUTE.value, CaseRouteRow.undone_at.is_(None))


def reroute_counts(session: Session, case_ids: Sequence[int]) -> dict[int, int]:
    """``case id → re-route count`` for the cases that have any (others are absent: zero)."""
    if not case_ids:
        return {}
    rows = session.execute(
        select(CaseRouteRow.case_id, func.count(CaseRouteRow.id))
        .where(CaseRouteRow.case_id.in_(list(case_ids)), *STANDING_REROUTE)
        .group_by(CaseRouteRow.case_id)
    ).all()
    return {case_id: count for case_id, count in rows}


def reroute_count_of(session: Session, case_id: int) -> int:
    """How many times case ``case_id`` went to another team (undone moves do not count)."""
    return reroute_counts(session, [case_id]).get(case_id, 0)


def rules_text(rules: Iterable[RuleKind]) -> str | None:
    """The overridden rules as ``case_routes.overridden_rules_json`` stores them (None for none)."""
    values = [rule.value for rule in rules]
    return json.dumps(values) if values else None


def stored_rules(text: str | None) -> tuple[RuleKind, ...]:
    """The overridden rules a route stored (values this version does not know are left out)."""
    try:
        stored = json.loads(text) if text else []
    except ValueError:
        return ()
    if not isinstance(stored, list):
        return ()
    known = {rule.value for rule in RuleKind}
    return tuple(RuleKind(value) for value in stored if isinstance(value, str) and value in known)
