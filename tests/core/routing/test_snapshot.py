"""The organisation snapshot and case profiles, read from a real workspace file."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session

from core.domain.enums import Priority, Stage
from core.routing.engine import propose_route
from core.routing.snapshot import load_profiles, load_snapshot
from core.routing.types import Presence
from tests.core.routing.org_builders import (
    NOW,
    RULES,
    add_area,
    add_escalation,
    add_member,
    add_routing_team,
    session,
)
from tests.factories import add_case

__all__ = ["session"]  # the fixture


def test_load_counts_only_active_work_by_weight(session: Session) -> None:
    sso = add_routing_team(session, "SSO Specialists", area=add_area(session), wip_limit=12)
    priya = add_member(session, "Priya Raman", sso, capacity=6)
    add_case(session, 1, "Login loop", team=sso, assignee=priya, stage=Stage.INVESTIGATING)
    add_case(
        session,
        2,
        "SCIM drops groups",
        team=sso,
        assignee=priya,
        stage=Stage.TRIAGED,
        priority=Priority.URGENT,
    )
    add_case(session, 3, "Waiting on logs", team=sso, assignee=priya, stage=Stage.AWAITING_CUSTOMER)
    add_case(session, 4, "Fix proposed", team=sso, assignee=priya, stage=Stage.RESOLUTION_PROPOSED)
    add_case(session, 5, "Unassigned in lane", team=sso, stage=Stage.REQUESTED, tier=3)
    add_case(session, 6, "Done", team=sso, assignee=priya, stage=Stage.CLOSED)

    snapshot = load_snapshot(session, RULES, NOW)

    (team,) = snapshot.teams
    (member,) = team.members
    assert (member.load, member.open_cases) == (5, 4)  # normal 2 + urgent 3; four cards are hers
    assert (team.load, team.open_cases) == (8, 5)  # plus the unassigned tier-3 case (2 + 1)
    assert (team.product_area, team.wip_limit, team.capacity) == ("sso", 12, 6)
    assert snapshot.taken_at == NOW


def test_members_skills_presence_and_idle_time_are_read(session: Session) -> None:
    sso = add_routing_team(session, "SSO Specialists")
    add_member(
        session,
        "Priya Raman",
        sso,
        skills={"area:sso": 8, "lang:de": 6},
        presence="away",
        last_assigned_at=NOW - timedelta(days=1),
    )
    add_member(session, "Grace Okafor", sso, role="manager", capacity=0, skills={})
    add_member(session, "Former Colleague", sso, active=False)
    add_member(session, "No Team Yet", None)

    (team,) = load_snapshot(session, RULES, NOW).teams

    grace, priya = team.members  # by name; inactive people and people without a team are not members
    assert (grace.role, grace.capacity, grace.skills) == ("manager", 0, {})
    assert priya.skills == {"area:sso": 8, "lang:de": 6}
    assert priya.presence is Presence.AWAY
    assert priya.last_assigned_at == NOW - timedelta(days=1)
    assert team.capacity == 0  # Priya is away, Grace takes no cases


def test_teams_come_in_board_order_and_can_be_limited_to_tiers(session: Session) -> None:
    add_routing_team(session, "Platform", tier=3)
    backup = add_routing_team(session, "Identity Backup")
    add_routing_team(session, "Billing", secondary=backup)
    add_routing_team(session, "Frontline", tier=1)

    snapshot = load_snapshot(session, RULES, NOW)

    assert [t.name for t in snapshot.teams] == ["Frontline", "Billing", "Identity Backup", "Platform"]
    assert snapshot.teams[1].secondary_team_id == backup.id
    assert [t.name for t in load_snapshot(session, RULES, NOW, tiers=[2]).teams] == [
        "Billing",
        "Identity Backup",
    ]


def test_snapshot_takes_a_fixed_number_of_queries_whatever_the_number_of_cases(session: Session) -> None:
    sso = add_routing_team(session, "SSO Specialists")
    people = [add_member(session, f"Specialist {i}", sso) for i in range(5)]
    for number in range(1, 301):
        add_case(session, number, f"Case {number}", team=sso, assignee=people[number % 5])
    statements: list[str] = []
    connection = session.connection()
    event.listen(connection, "before_cursor_execute", lambda *args: statements.append(args[2]))

    load_snapshot(session, RULES, NOW)
    load_profiles(session, range(1, 301))

    assert len(statements) <= 6


def test_profiles_carry_routing_facts_and_the_open_escalations_request_time(session: Session) -> None:
    area = add_area(session)
    sso = add_routing_team(session, "SSO Specialists", area=area)
    priya = add_member(session, "Priya Raman", sso)
    case = add_case(session, 4711, "Login loop", team=sso, assignee=priya, stage=Stage.REQUESTED, tier=3)
    case.product_area_id, case.language, case.issue_type = area.id, "de", "bug"
    add_escalation(session, case, NOW - timedelta(days=9), closed=True)
    add_escalation(session, case, NOW - timedelta(hours=5))
    plain = add_case(session, 4712, "No escalation row", stage=Stage.REQUESTED)
    session.flush()

    profiles = load_profiles(session, [case.id, plain.id, 999_999])

    assert set(profiles) == {case.id, plain.id}
    profile = profiles[case.id]
    assert (profile.number, profile.tier, profile.stage, profile.priority) == (
        4711,
        3,
        Stage.REQUESTED,
        Priority.NORMAL,
    )
    assert (profile.product_area, profile.language, profile.issue_type) == ("sso", "de", "bug")
    assert (profile.team_id, profile.assignee_id) == (sso.id, priya.id)
    assert profile.waiting_since == NOW - timedelta(hours=5)
    assert profiles[plain.id].waiting_since == plain.created_at
    assert profiles[plain.id].product_area is None and profiles[plain.id].language is None


def test_a_snapshot_and_profile_route_a_case_end_to_end(session: Session) -> None:
    area = add_area(session)
    sso = add_routing_team(session, "SSO Specialists", area=area)
    busy = add_member(session, "Ada Novak", sso, skills={"area:sso": 9, "lang:en": 9})
    add_member(session, "Priya Raman", sso, skills={"area:sso": 8, "lang:en": 9})
    add_case(session, 1, "Busy work", team=sso, assignee=busy, stage=Stage.INVESTIGATING)
    waiting = add_case(session, 2, "Login loop", stage=Stage.REQUESTED)
    waiting.product_area_id = area.id
    session.flush()

    proposal = propose_route(
        load_profiles(session, [waiting.id])[waiting.id], load_snapshot(session, RULES, NOW), RULES
    )

    assert (proposal.team_name, proposal.person_name) == ("SSO Specialists", "Priya Raman")
