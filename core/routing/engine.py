"""The routing engine: pure functions from a case and a snapshot of the organisation to a proposal.

CONTRACT (owned by the routing-engine helper; the signatures below are fixed, the bodies are theirs).
"""

from __future__ import annotations

from datetime import datetime

from core.config.routing_model import RoutingRules
from core.domain.enums import Priority
from core.routing.types import CaseProfile, RouteProposal, RoutingSnapshot, RuleViolation, SkillCheck


def case_weight(priority: Priority, tier: int, rules: RoutingRules) -> int:
    """Capacity units a case takes: its priority's weight plus its tier's extra."""
    raise NotImplementedError


def required_skills(profile: CaseProfile, rules: RoutingRules) -> tuple[SkillCheck, ...]:
    """The skills ``profile`` asks for under ``rules`` (none relaxed yet), required first, then by relax order."""
    raise NotImplementedError


def propose_route(
    profile: CaseProfile, snapshot: RoutingSnapshot, rules: RoutingRules, *, team_id: int | None = None
) -> RouteProposal:
    """The team and specialist for ``profile``, with the explanation.

    ``team_id`` pins the team (a lead picked it); otherwise the primary team is the
    case's current team, else the team at the case's tier whose product area matches.
    """
    raise NotImplementedError


def check_move(
    profile: CaseProfile,
    snapshot: RoutingSnapshot,
    rules: RoutingRules,
    team_id: int,
    person_id: int | None,
) -> tuple[RuleViolation, ...]:
    """The rules moving ``profile`` to ``team_id`` / ``person_id`` would break (empty: none)."""
    raise NotImplementedError


def with_assignment(
    snapshot: RoutingSnapshot,
    profile: CaseProfile,
    rules: RoutingRules,
    team_id: int,
    person_id: int | None,
    now: datetime,
) -> RoutingSnapshot:
    """``snapshot`` after ``profile`` moved to ``team_id`` / ``person_id`` (loads, card counts, last assignment)."""
    raise NotImplementedError
