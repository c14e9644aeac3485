"""Before a move is written: the proposal and the rules it would break, per case (read on the DB thread).

Cases moved together are checked one after the other on one snapshot, so the third of
three cards dropped on a person sees the first two already there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.db.types import utc_now
from core.routing.engine import check_move, propose_route, with_assignment
from core.routing.snapshot import load_profiles, load_routing_rules, load_snapshot
from core.routing.types import Presence, RouteProposal, RuleViolation


@dataclass(frozen=True)
class MoveCheck:
    """Per case: the rules the move breaks (the lead confirms them) and the route Handoff would pick there."""

    team_id: int
    person_id: int | None
    violations: dict[int, tuple[RuleViolation, ...]]  # case id → broken rules (only cases with some)
    proposals: dict[int, RouteProposal]  # case id → best route within team_id

    @property
    def ok(self) -> bool:
        return not self.violations


def check_moves(
    session: Session, case_ids: Sequence[int], team_id: int, person_id: int | None, now: datetime
) -> MoveCheck:
    """Check moving ``case_ids`` (together, one after the other) to ``team_id`` / ``person_id``.

    Unknown case ids are left out. Raises :class:`~core.routing.types.RoutingError`
    when ``team_id`` is not a team.
    """
    rules = load_routing_rules(session)
    snapshot = load_snapshot(session, rules, now)
    profiles = load_profiles(session, case_ids)
    violations: dict[int, tuple[RuleViolation, ...]] = {}
    proposals: dict[int, RouteProposal] = {}
    for case_id in dict.fromkeys(case_ids):
        profile = profiles.get(case_id)
        if profile is None:
            continue
        broken = check_move(profile, snapshot, rules, team_id, person_id)
        if broken:
            violations[case_id] = broken
        proposals[case_id] = propose_route(profile, snapshot, rules, team_id=team_id)
        snapshot = with_assignment(snapshot, profile, rules, team_id, person_id, now)
    return MoveCheck(team_id=team_id, person_id=person_id, violations=violations, proposals=proposals)


@dataclass(frozen=True)
class MoveTarget:
    """A team or a person of a team, as the "Move to…" list offers it."""

    team_id: int
    team_name: str
    person_id: int | None
    person_name: str  # "" for the team itself (unassigned)
    load: int
    capacity: int
    away: bool


def move_targets(session: Session) -> list[MoveTarget]:
    """Every team (as itself) and each of its active members, in board order."""
    snapshot = load_snapshot(session, load_routing_rules(session), utc_now())
    targets: list[MoveTarget] = []
    for team in snapshot.teams:
        targets.append(MoveTarget(team.team_id, team.name, None, "", team.load, team.capacity, away=False))
        targets.extend(
            MoveTarget(
                team.team_id,
                team.name,
                member.person_id,
                member.name,
                member.load,
                member.capacity,
                away=member.presence is not Presence.AVAILABLE,
            )
            for member in team.members
        )
    return targets
