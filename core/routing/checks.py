"""Before a move is written: the proposal and the rules it would break, per case (read on the DB thread).

CONTRACT (signatures fixed; the bodies belong to the routing-engine helper).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.routing.types import RouteProposal, RuleViolation


@dataclass(frozen=True)
class MoveCheck:
    """For each case: the rules the move breaks (the lead confirms them) and the route Handoff would pick there."""

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
    """Check moving ``case_ids`` (together, one after the other) to ``team_id`` / ``person_id``."""
    raise NotImplementedError


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
    raise NotImplementedError
