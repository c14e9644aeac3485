"""Hand-made board DTOs for model and refresh tests (no database needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from core.domain.enums import Priority, Stage
from core.queries.board import Board, BoardCard, BoardLane, BoardPerson
from core.routing.types import Presence

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SSO, BILLING, PLATFORM = 10, 20, 30
PRIYA, MARCO, ANA = 101, 102, 201
NAMES = {PRIYA: ("Priya Raman", "PR"), MARCO: ("Marco Bellini", "MB"), ANA: ("Ana Costa", "AC")}


def person(
    person_id: int, *, load: int = 0, capacity: int = 6, presence: Presence = Presence.AVAILABLE
) -> BoardPerson:
    name, initials = NAMES[person_id]
    return BoardPerson(person_id, name, initials, "specialist", presence, capacity, load)


def card(
    case_id: int,
    team_id: int,
    assignee_id: int | None = None,
    *,
    priority: Priority = Priority.NORMAL,
    minutes: int | None = None,
    subject: str = "",
    pending_sync: bool = False,
) -> BoardCard:
    name, initials = NAMES.get(assignee_id, ("", "")) if assignee_id is not None else ("", "")
    return BoardCard(
        case_id=case_id,
        number=4700 + case_id,
        customer_name="Acme Corp",
        subject=subject or f"Case subject {case_id}",
        priority=priority,
        tier=2,
        stage=Stage.INVESTIGATING,
        team_id=team_id,
        assignee_id=assignee_id,
        assignee_name=name,
        assignee_initials=initials,
        weight=2,
        counts_towards_load=True,
        reroute_count=0,
        pending_sync=pending_sync,
        updated_at=T0 + timedelta(minutes=case_id if minutes is None else minutes),
    )


def lane(team_id: int, name: str, people: tuple[BoardPerson, ...], **numbers: int | None) -> BoardLane:
    return BoardLane(
        team_id=team_id,
        key=name.lower().replace(" ", "-"),
        name=name,
        tier=2,
        wip_limit=numbers.get("wip_limit", 10),
        capacity=numbers.get("capacity", 12) or 0,
        load=numbers.get("load", 4) or 0,
        open_cases=numbers.get("open_cases", 3) or 0,
        people=people,
    )


def sample_board() -> Board:
    """Two lanes: SSO (Priya, Marco) with cards 1–4 and Billing (Ana) with cards 5–6."""
    return Board(
        lanes=(
            lane(SSO, "SSO Specialists", (person(PRIYA, load=2), person(MARCO, load=2))),
            lane(BILLING, "Billing", (person(ANA),), open_cases=2),
        ),
        cards=(
            card(1, SSO, PRIYA, priority=Priority.URGENT),
            card(2, SSO, None),
            card(3, SSO, MARCO),
            card(4, SSO, None),
            card(5, BILLING, ANA),
            card(6, BILLING, None),
        ),
    )


def with_cards(board: Board, *cards: BoardCard, drop: tuple[int, ...] = ()) -> Board:
    """``board`` with some cards replaced or added (kept in case id order) and some dropped."""
    replaced = {c.case_id: c for c in board.cards if c.case_id not in drop}
    replaced.update({c.case_id: c for c in cards})
    return replace(board, cards=tuple(replaced[k] for k in sorted(replaced)))


def in_board_order(board: Board) -> Board:
    """``board`` with its cards in the order the query gives: urgent first, then the oldest update."""
    return replace(
        board, cards=tuple(sorted(board.cards, key=lambda c: (-c.priority.rank, c.updated_at, c.case_id)))
    )
