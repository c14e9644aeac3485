"""The team board: lanes (teams) with their people and the open escalations in each.

Lanes come from the routing snapshot (the same loads routing uses); the cards from one
query with the re-route count and the pending-sync flag as correlated, indexed lookups,
so 2,000 cards across 12 lanes load in a few tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from core.config.routing_model import RoutingRules
from core.db.types import parse_utc
from core.domain.enums import Priority, Stage
from core.routing.engine import case_weight, counts_towards_load, is_on_board
from core.routing.snapshot import chunks, load_routing_rules, load_snapshot
from core.routing.types import Presence, RouteKind, TeamState

BOARD_TIERS_FROM = 2  # tier-1 teams work cases before escalation; they have no lane by default


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
    sla_due_at: datetime | None = None  # the soonest running SLA deadline (None: no clock running)
    sla_warning_at: datetime | None = None  # when that deadline enters its warning window


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


def initials(name: str) -> str:
    """``"Priya Raman"`` → ``"PR"``; one name gives one letter, an empty name none."""
    words = name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0].upper()
    return (words[0][0] + words[-1][0]).upper()


def _lane(team: TeamState) -> BoardLane:
    return BoardLane(
        team_id=team.team_id,
        key=team.key,
        name=team.name,
        tier=team.tier,
        wip_limit=team.wip_limit,
        capacity=team.capacity,
        load=team.load,
        open_cases=team.open_cases,
        people=tuple(
            BoardPerson(
                person_id=m.person_id,
                name=m.name,
                initials=initials(m.name),
                role=m.role,
                presence=m.presence,
                capacity=m.capacity,
                load=m.load,
            )
            for m in team.members
        ),
    )


_OFF_BOARD = ", ".join(f"'{stage.value}'" for stage in Stage if not is_on_board(stage))
_PRIORITY_RANK = "CASE c.priority " + " ".join(f"WHEN '{p.value}' THEN {p.rank}" for p in Priority) + " END"
_CARD_COLUMNS = f"""
    SELECT c.id, c.number, coalesce(cu.name, ''), c.subject, c.priority, c.tier, c.stage, c.team_id,
           c.assignee_id, coalesce(p.name, ''), c.updated_at,
           (SELECT count(*) FROM case_routes r
             WHERE r.case_id = c.id AND r.kind = '{RouteKind.REROUTE.value}' AND r.undone_at IS NULL),
           EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = c.id AND o.state != 'done'),
           c.sla_due_at, c.sla_warning_at
    FROM cases c
    LEFT JOIN customers cu ON cu.id = c.customer_id
    LEFT JOIN people p ON p.id = c.assignee_id
    WHERE c.stage NOT IN ({_OFF_BOARD}) AND c.team_id IS NOT NULL
"""
_BOARD_CARDS_SQL = text(
    _CARD_COLUMNS + f" AND c.team_id IN :team_ids ORDER BY {_PRIORITY_RANK} DESC, c.updated_at, c.id"
).bindparams(bindparam("team_ids", expanding=True))
_SOME_CARDS_SQL = text(_CARD_COLUMNS + " AND c.id IN :case_ids").bindparams(
    bindparam("case_ids", expanding=True)
)


def _card(row: Sequence[Any], rules: RoutingRules) -> BoardCard:
    (case_id, number, customer, subject, priority_value, tier, stage_value, team_id) = row[:8]
    (assignee_id, assignee_name, updated_at, reroutes, pending, sla_due_at, sla_warning_at) = row[8:]
    priority, stage = Priority(priority_value), Stage(stage_value)
    return BoardCard(
        case_id=case_id,
        number=number,
        customer_name=customer,
        subject=subject,
        priority=priority,
        tier=tier,
        stage=stage,
        team_id=team_id,
        assignee_id=assignee_id,
        assignee_name=assignee_name,
        assignee_initials=initials(assignee_name),
        weight=case_weight(priority, tier, rules),
        counts_towards_load=counts_towards_load(stage, rules),
        reroute_count=reroutes,
        pending_sync=bool(pending),
        updated_at=parse_utc(updated_at),
        sla_due_at=parse_utc(sla_due_at) if sla_due_at is not None else None,
        sla_warning_at=parse_utc(sla_warning_at) if sla_warning_at is not None else None,
    )


def load_board(session: Session, now: datetime, *, tiers: Iterable[int] | None = None) -> Board:
    """The board; ``tiers`` keeps only lanes of those tiers (None: all lanes with tier ≥ 2)."""
    rules = load_routing_rules(session)
    snapshot = load_snapshot(session, rules, now, tiers=tiers)
    teams = (
        snapshot.teams
        if tiers is not None
        else tuple(t for t in snapshot.teams if t.tier >= BOARD_TIERS_FROM)
    )
    team_ids = [t.team_id for t in teams]
    rows = session.execute(_BOARD_CARDS_SQL, {"team_ids": team_ids}).all() if team_ids else []
    return Board(lanes=tuple(_lane(t) for t in teams), cards=tuple(_card(row, rules) for row in rows))


def load_board_cards(session: Session, case_ids: Iterable[int]) -> dict[int, BoardCard | None]:
    """The current card of each case (None when it is on no board: closed, not escalated, deleted)."""
    rules = load_routing_rules(session)
    cards: dict[int, BoardCard | None] = {}
    for chunk in chunks(case_ids):
        cards.update(dict.fromkeys(chunk))
        for row in session.execute(_SOME_CARDS_SQL, {"case_ids": chunk}):
            cards[row[0]] = _card(row, rules)
    return cards
