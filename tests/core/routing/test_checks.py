"""Checks before a drop (several cards, one after the other) and the "Move to…" list, on a workspace file."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.domain.enums import Stage
from core.routing.checks import MoveTarget, check_moves, move_targets
from core.routing.types import RuleKind
from tests.core.routing.org_builders import NOW, add_area, add_member, add_routing_team, session
from tests.factories import add_case

__all__ = ["session"]  # the fixture


def test_the_third_of_three_dropped_cards_sees_the_first_two(session: Session) -> None:
    area = add_area(session)
    sso = add_routing_team(session, "SSO Specialists", area=area, wip_limit=3)
    priya = add_member(session, "Priya Raman", sso, capacity=4)
    cases = [add_case(session, n, f"Case {n}", stage=Stage.TRIAGED) for n in (1, 2, 3)]
    for case in cases:
        case.product_area_id = area.id
    session.flush()

    check = check_moves(session, [c.id for c in cases], sso.id, priya.id, NOW)

    assert not check.ok
    assert set(check.violations) == {cases[2].id}  # two normal cases fill capacity 4
    assert [v.message for v in check.violations[cases[2].id]] == ["Priya Raman would carry 6 of 4 units"]
    assert [p.person_name for p in check.proposals.values()] == ["Priya Raman", "Priya Raman", ""]
    assert {p.team_id for p in check.proposals.values()} == {sso.id}


def test_a_drop_on_a_lane_alone_checks_the_wip_limit(session: Session) -> None:
    sso = add_routing_team(session, "SSO Specialists", wip_limit=1)
    add_member(session, "Priya Raman", sso)
    add_case(session, 1, "Already in the lane", team=sso, stage=Stage.INVESTIGATING)
    dropped = add_case(session, 2, "Dropped", stage=Stage.TRIAGED)
    same_lane = add_case(session, 3, "Moved within", team=sso, stage=Stage.INVESTIGATING)

    check = check_moves(session, [dropped.id, same_lane.id, 999_999], sso.id, None, NOW)

    assert set(check.violations) == {dropped.id}  # moving within the lane adds no card
    (violation,) = check.violations[dropped.id]
    assert violation.kind is RuleKind.OVER_WIP_LIMIT
    assert violation.message == "SSO Specialists would hold 3 cases, limit 1"
    assert set(check.proposals) == {dropped.id, same_lane.id}


def test_a_move_within_every_rule_is_ok(session: Session) -> None:
    sso = add_routing_team(session, "SSO Specialists")
    priya = add_member(session, "Priya Raman", sso)
    case = add_case(session, 1, "Login loop", stage=Stage.TRIAGED)

    check = check_moves(session, [case.id], sso.id, priya.id, NOW)

    assert check.ok and check.violations == {}


def test_move_targets_list_each_team_then_its_active_members(session: Session) -> None:
    platform = add_routing_team(session, "Platform", tier=3)
    sso = add_routing_team(session, "SSO Specialists")
    priya = add_member(session, "Priya Raman", sso)
    ada = add_member(session, "Ada Novak", sso, presence="away")
    add_member(session, "Former Colleague", sso, active=False)
    lena = add_member(session, "Lena Fischer", platform, capacity=8)
    add_case(session, 1, "Login loop", team=sso, assignee=priya, stage=Stage.INVESTIGATING)

    targets = move_targets(session)

    assert targets == [
        MoveTarget(sso.id, "SSO Specialists", None, "", load=2, capacity=6, away=False),
        MoveTarget(sso.id, "SSO Specialists", ada.id, "Ada Novak", load=0, capacity=6, away=True),
        MoveTarget(sso.id, "SSO Specialists", priya.id, "Priya Raman", load=2, capacity=6, away=False),
        MoveTarget(platform.id, "Platform", None, "", load=0, capacity=8, away=False),
        MoveTarget(platform.id, "Platform", lena.id, "Lena Fischer", load=0, capacity=8, away=False),
    ]
