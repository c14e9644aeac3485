"""The board query: lanes with their numbers and people, cards with what a lead reads on them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session

from core.config import default_config, save_config
from core.config.defaults import DEFAULT_ROUTING
from core.config.routing_model import PriorityWeight
from core.db.models import CaseRouteRow, CaseRow
from core.domain.enums import Priority, Stage
from core.queries.board import initials, load_board, load_board_cards
from core.routing.types import Presence, RouteKind
from tests.core.routing.org_builders import (
    NOW,
    add_member,
    add_outbox_entry,
    add_routing_team,
    session,
)
from tests.factories import BASE_TIME, add_case, add_customer

__all__ = ["session"]  # the fixture


def _route(session: Session, case: CaseRow, kind: RouteKind, *, undone: bool = False) -> None:
    session.add(
        CaseRouteRow(
            case_id=case.id,
            batch_key=f"batch-{case.id}-{kind.value}-{undone}",
            kind=kind.value,
            from_stage=case.stage,
            to_stage=case.stage,
            undone_at=NOW if undone else None,
        )
    )
    session.flush()


def test_lanes_show_load_capacity_wip_and_people_with_initials(session: Session) -> None:
    add_routing_team(session, "Frontline", tier=1)
    platform = add_routing_team(session, "Platform", tier=3)
    sso = add_routing_team(session, "SSO Specialists", wip_limit=2)
    priya = add_member(session, "Priya Raman", sso, capacity=4)
    add_member(session, "Ada Novak", sso, presence="away")
    add_member(session, "Grace Okafor", sso, role="manager", capacity=0)
    add_case(session, 1, "Login loop", team=sso, assignee=priya, stage=Stage.INVESTIGATING)
    add_case(session, 2, "SCIM", team=sso, assignee=priya, stage=Stage.TRIAGED, priority=Priority.URGENT)
    add_case(session, 3, "Waiting on logs", team=sso, assignee=priya, stage=Stage.AWAITING_CUSTOMER)
    add_case(session, 4, "Not escalated", team=sso, stage=Stage.NEW)

    board = load_board(session, NOW)

    assert [lane.name for lane in board.lanes] == ["SSO Specialists", "Platform"]  # tier ≥ 2, by tier
    lane = board.lanes[0]
    assert (lane.load, lane.capacity, lane.open_cases, lane.wip_limit) == (5, 4, 3, 2)
    assert lane.over_capacity and lane.over_wip_limit
    assert [(p.name, p.initials, p.presence, p.load, p.capacity) for p in lane.people] == [
        ("Ada Novak", "AN", Presence.AWAY, 0, 6),
        ("Grace Okafor", "GO", Presence.AVAILABLE, 0, 0),
        ("Priya Raman", "PR", Presence.AVAILABLE, 5, 4),
    ]
    assert board.lanes[1].team_id == platform.id
    assert (board.lanes[1].over_capacity, board.lanes[1].over_wip_limit) == (False, False)
    assert [lane.name for lane in load_board(session, NOW, tiers=[1]).lanes] == ["Frontline"]


def test_cards_carry_what_the_lead_reads_in_priority_then_age_order(session: Session) -> None:
    sso = add_routing_team(session, "SSO Specialists")
    priya = add_member(session, "Priya Raman", sso)
    northwind = add_customer(session, "Northwind Traders")
    old_normal = add_case(
        session, 1, "Login loop", team=sso, customer=northwind, updated_at=BASE_TIME - timedelta(days=2)
    )
    new_normal = add_case(
        session, 2, "SCIM drops groups", team=sso, assignee=priya, stage=Stage.AWAITING_CUSTOMER
    )
    urgent = add_case(session, 3, "Outage", team=sso, priority=Priority.URGENT, tier=3)
    add_case(session, 4, "Resolved", team=sso, stage=Stage.RESOLVED)
    add_case(session, 5, "No team yet", stage=Stage.REQUESTED)
    _route(session, old_normal, RouteKind.REROUTE)
    _route(session, old_normal, RouteKind.REROUTE)
    _route(session, old_normal, RouteKind.REROUTE, undone=True)
    _route(session, old_normal, RouteKind.ASSIGN)
    add_outbox_entry(session, new_normal, "pending", "k1")
    add_outbox_entry(session, urgent, "done", "k2")

    cards = load_board(session, NOW).cards

    assert [c.number for c in cards] == [3, 1, 2]
    by_number = {c.number: c for c in cards}
    first = by_number[1]
    assert (first.customer_name, first.subject, first.stage, first.team_id) == (
        "Northwind Traders",
        "Login loop",
        Stage.INVESTIGATING,
        sso.id,
    )
    assert (first.reroute_count, first.pending_sync, first.assignee_initials) == (2, False, "")
    waiting = by_number[2]
    assert (waiting.assignee_name, waiting.assignee_initials) == ("Priya Raman", "PR")
    assert (waiting.counts_towards_load, waiting.pending_sync, waiting.weight) == (False, True, 2)
    assert (by_number[3].weight, by_number[3].pending_sync, by_number[3].counts_towards_load) == (
        4,
        False,
        True,
    )


def test_board_cards_for_some_ids_and_none_once_off_the_board(session: Session) -> None:
    sso = add_routing_team(session, "SSO Specialists")
    open_case = add_case(session, 1, "Login loop", team=sso)
    closed = add_case(session, 2, "Done", team=sso)
    closed.stage = Stage.CLOSED.value
    session.flush()

    cards = load_board_cards(session, [open_case.id, closed.id, 999_999])

    assert cards[closed.id] is None and cards[999_999] is None
    card = cards[open_case.id]
    assert card is not None and card.subject == "Login loop"
    assert card == next(c for c in load_board(session, NOW).cards if c.case_id == open_case.id)


def test_the_board_takes_a_fixed_number_of_queries_whatever_the_number_of_cards(session: Session) -> None:
    lanes = [add_routing_team(session, f"Lane {i:02}") for i in range(4)]
    people = [add_member(session, f"Specialist {i}", lanes[i % 4]) for i in range(8)]
    for number in range(1, 201):
        add_case(session, number, f"Case {number}", team=lanes[number % 4], assignee=people[number % 8])
    statements: list[str] = []
    event.listen(session.connection(), "before_cursor_execute", lambda *args: statements.append(args[2]))

    board = load_board(session, NOW)

    assert len(board.cards) == 200 and sum(lane.open_cases for lane in board.lanes) == 200
    assert len(statements) <= 6


def test_initials() -> None:
    assert [initials(n) for n in ("Priya Raman", "Jean-Luc de la Croix", "Cher", "  ")] == [
        "PR",
        "JC",
        "C",
        "",
    ]


def test_weights_and_load_follow_the_workspace_routing_rules(session: Session) -> None:
    heavier = replace(
        DEFAULT_ROUTING,
        priority_weights=tuple(
            PriorityWeight(w.priority, 3) if w.priority == Priority.NORMAL.value else w
            for w in DEFAULT_ROUTING.priority_weights
        ),
        load_stages=(*DEFAULT_ROUTING.load_stages, Stage.AWAITING_CUSTOMER.value),
    )
    save_config(session, replace(default_config(), routing=heavier))
    sso = add_routing_team(session, "SSO Specialists")
    priya = add_member(session, "Priya Raman", sso)
    add_case(session, 1, "Waiting on logs", team=sso, assignee=priya, stage=Stage.AWAITING_CUSTOMER)

    board = load_board(session, NOW)

    (card,) = board.cards
    assert (card.weight, card.counts_towards_load) == (3, True)
    assert board.lanes[0].people[0].load == 3
