"""The team board: lanes (teams) with their people and the open escalations in each.

CONTRACT (DTOs fixed; the query bodies belong to the routing-engine helper).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.domain.enums import Priority, Stage
from core.routing.types import Presence


@dataclass(frozen=True)
class BoardCard:
    """One open escalation on the board."""

    case_id: int
    number: int
    customer_name: str
    subject: str
    priority: Priority
    tier: int
    stage: Stage
    team_id: int
    assignee_id: int | None
    assignee_name: str  # "" when unassigned
    assignee_initials: str  # "PR"; "" when unassigned
    weight: int  # capacity units (routing rules)
    counts_towards_load: bool  # False while waiting on the customer
    reroute_count: int
    pending_sync: bool  # an outbox entry of this case is not delivered yet
    updated_at: datetime


@dataclass(frozen=True)
class BoardPerson:
    """A person row (swimlane) inside a lane."""

    person_id: int
    name: str
    initials: str
    role: str
    presence: Presence
    capacity: int
    load: int  # weight units of active work assigned to them


@dataclass(frozen=True)
class BoardLane:
    """A team lane: header numbers and its people; the cards are in :attr:`Board.cards`."""

    team_id: int
    key: str
    name: str
    tier: int
    wip_limit: int | None  # None: no limit
    capacity: int  # sum of available members' capacities
    load: int  # weight units of the lane's active work
    open_cases: int  # cards in the lane
    people: tuple[BoardPerson, ...]

    @property
    def over_capacity(self) -> bool:
        return self.load > self.capacity

    @property
    def over_wip_limit(self) -> bool:
        return self.wip_limit is not None and self.wip_limit > 0 and self.open_cases > self.wip_limit


@dataclass(frozen=True)
class Board:
    """Every lane (teams in tier, then name order) and every open escalated case in a team."""

    lanes: tuple[BoardLane, ...]
    cards: tuple[BoardCard, ...]  # ordered by priority (urgent first), then oldest update first


def load_board(session: Session, now: datetime, *, tiers: Iterable[int] | None = None) -> Board:
    """The board; ``tiers`` keeps only lanes of those tiers (None: all lanes with tier ≥ 2)."""
    raise NotImplementedError


def load_board_cards(session: Session, case_ids: Iterable[int]) -> dict[int, BoardCard | None]:
    """The current card of each case (None when it is no longer on any board: closed, not escalated, deleted)."""
    raise NotImplementedError
