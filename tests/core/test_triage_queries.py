"""The triage queue: order, what each row shows, and proposals that take the earlier ones into account."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from core.domain.enums import Priority, Stage
from core.queries.triage import load_triage_queue
from tests.core.routing.org_builders import (
    NOW,
    add_area,
    add_escalation,
    add_member,
    add_routing_team,
    session,
)
from tests.factories import add_case, add_customer

__all__ = ["session"]  # the fixture


def test_urgent_first_then_longest_waiting_with_what_the_lead_reads(session: Session) -> None:
    area = add_area(session, "sso", "Single sign-on")
    sso = add_routing_team(session, "SSO Specialists", area=area)
    add_member(session, "Priya Raman", sso, skills={"area:sso": 8, "lang:de": 8}, capacity=20)
    northwind = add_customer(session, "Northwind Traders")
    waited_long = add_case(session, 1, "Login loop", customer=northwind, stage=Stage.REQUESTED)
    waited_long.product_area_id, waited_long.language = area.id, "de"
    add_escalation(session, waited_long, NOW - timedelta(hours=6))
    waited_less = add_case(session, 2, "SCIM drops groups", team=sso, stage=Stage.REQUESTED)
    add_escalation(session, waited_less, NOW - timedelta(hours=2))
    urgent = add_case(session, 3, "Outage", stage=Stage.REQUESTED, priority=Priority.URGENT)
    add_escalation(session, urgent, NOW - timedelta(minutes=5))
    add_case(session, 4, "Already triaged", team=sso, stage=Stage.TRIAGED)

    queue = load_triage_queue(session, NOW)

    assert [item.number for item in queue] == [3, 1, 2]
    first_normal = queue[1]
    assert (first_normal.customer_name, first_normal.product_area, first_normal.language) == (
        "Northwind Traders",
        "Single sign-on",
        "de",
    )
    assert (first_normal.requested_at, first_normal.waiting_seconds) == (NOW - timedelta(hours=6), 6 * 3600)
    assert (first_normal.current_team_id, first_normal.current_team_name) == (None, "")
    assert (queue[2].current_team_id, queue[2].current_team_name) == (sso.id, "SSO Specialists")
    assert first_normal.proposal.person_name == "Priya Raman"
    assert first_normal.proposal.explanation.summary.startswith("Priya Raman in SSO Specialists: area:sso 8")


def test_without_an_escalation_row_the_case_waits_since_it_was_created(session: Session) -> None:
    add_member(session, "Priya Raman", add_routing_team(session, "SSO Specialists"))
    case = add_case(session, 1, "Login loop", stage=Stage.REQUESTED)

    (item,) = load_triage_queue(session, NOW)

    assert item.requested_at == case.created_at


def test_two_equal_cases_do_not_both_go_to_the_one_person_with_room(session: Session) -> None:
    sso = add_routing_team(session, "SSO Specialists")
    priya = add_member(session, "Priya Raman", sso, last_assigned_at=NOW - timedelta(days=2))
    jonas = add_member(session, "Jonas Weber", sso, last_assigned_at=NOW - timedelta(hours=1))
    for person, number in ((priya, 10), (priya, 11), (jonas, 12), (jonas, 13)):
        add_case(session, number, "Earlier work", team=sso, assignee=person, stage=Stage.INVESTIGATING)
    for number in (1, 2, 3):
        add_escalation(
            session,
            add_case(session, number, f"Login loop {number}", stage=Stage.REQUESTED),
            NOW - timedelta(hours=10 - number),
        )

    queue = load_triage_queue(session, NOW)

    # Both have 2 of 6 units free: Priya waited longer, then Jonas is the only one with room.
    assert [(item.number, item.proposal.person_name) for item in queue] == [
        (1, "Priya Raman"),
        (2, "Jonas Weber"),
        (3, ""),
    ]
    assert queue[2].proposal.team_name == "SSO Specialists"
    assert queue[2].proposal.explanation.summary.startswith(
        "Queue in SSO Specialists unassigned: nobody has room"
    )


def test_an_empty_queue(session: Session) -> None:
    add_routing_team(session, "SSO Specialists")
    add_case(session, 1, "Being worked", stage=Stage.INVESTIGATING)

    assert load_triage_queue(session, NOW) == []
