"""The escalation recommendation: a tier and a team, with every signal that was checked and its weight.

The score is the sum of the weights of the signals that fired; the tier is the
highest configured tier whose ``min_score`` the score reaches, and never below
the tier after the case's current one (escalating always moves up). The team
is the one the routing engine proposes at that tier: the team working the case's
product area, or its overflow team when that one is full; ``route_summary`` says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from core.config.model import TierThreshold, WorkspaceConfig
from core.intelligence.case_context import load_case_context
from core.intelligence.signals import DEFAULT_EVALUATORS, Signal, SignalEvaluator, SignalInputs
from core.routing.engine import propose_route
from core.routing.snapshot import load_profiles, load_snapshot
from core.routing.types import RouteProposal, RoutingError


@dataclass(frozen=True)
class Recommendation:
    """Where Handoff recommends escalating a case, and why (``signals``: fired and not fired)."""

    tier: int
    team_id: int | None
    team_name: str
    score: float
    signals: tuple[Signal, ...]
    route_summary: str = ""

    @property
    def fired(self) -> tuple[Signal, ...]:
        """The signals that count towards the score."""
        return tuple(signal for signal in self.signals if signal.fired)


def tier_for_score(score: float, thresholds: Sequence[TierThreshold], current_tier: int) -> int:
    """The highest tier ``score`` reaches; at least the one above ``current_tier``, if configured."""
    reached = [threshold.tier for threshold in thresholds if score >= threshold.min_score]
    highest = max(threshold.tier for threshold in thresholds)
    lowest = min(threshold.tier for threshold in thresholds)
    return max(max(reached, default=lowest), min(current_tier + 1, highest))


def recommend_escalation(
    session: Session,
    case_id: int,
    config: WorkspaceConfig,
    now: datetime,
    evaluators: Sequence[SignalEvaluator] = DEFAULT_EVALUATORS,
) -> Recommendation:
    """Evaluate case ``case_id`` against the escalation criteria of ``config`` at ``now``."""
    context = load_case_context(session, case_id)
    inputs = SignalInputs(session=session, case=context, config=config, now=now)
    signals = tuple(signal for evaluate in evaluators for signal in evaluate(inputs))
    score = sum(signal.weight for signal in signals if signal.fired)
    tier = tier_for_score(score, config.escalation.tiers, context.header.tier)
    route = propose_escalation_route(session, case_id, tier, config, now)
    return Recommendation(
        tier=tier,
        team_id=route.team_id if route else None,
        team_name=route.team_name if route else "",
        score=score,
        signals=signals,
        route_summary=route.explanation.summary if route else "",
    )


def propose_escalation_route(
    session: Session, case_id: int, tier: int, config: WorkspaceConfig, now: datetime
) -> RouteProposal | None:
    """Where the routing engine would send case ``case_id`` escalated to ``tier`` (None: no teams)."""
    profile = load_profiles(session, [case_id]).get(case_id)
    if profile is None:
        return None
    escalated = replace(profile, tier=tier, team_id=None, assignee_id=None)
    try:
        return propose_route(escalated, load_snapshot(session, config.routing, now), config.routing)
    except RoutingError:
        return None
