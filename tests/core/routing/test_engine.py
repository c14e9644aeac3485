"""The routing engine on hand-built organisations: skills, relaxing, capacity, ties, overflow, checks."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from core.domain.enums import Priority, Stage
from core.routing.engine import case_weight, check_move, propose_route, required_skills, with_assignment
from core.routing.types import CaseProfile, Presence, RoutingError, RoutingSnapshot, RuleKind, TeamState
from tests.core.routing.org_builders import NOW, RULES, member, profile, snapshot, team

SSO, BACKUP = 10, 20


def test_case_weight_follows_priority_and_tier() -> None:
    assert case_weight(Priority.NORMAL, 2, RULES) == 2
    assert case_weight(Priority.LOW, 2, RULES) == 1
    assert case_weight(Priority.URGENT, 3, RULES) == 4  # 3 for urgent, 1 extra at tier 3


def test_required_skills_come_from_area_language_and_type_in_relax_order() -> None:
    skills = required_skills(profile(language="de", issue_type="bug"), RULES)

    assert [(s.skill, s.min_level, s.required) for s in skills] == [
        ("area:sso", 5, True),
        ("type:bug", 4, False),
        ("lang:de", 6, False),
    ]
    # No issue type, no product area: nothing asked for those; no language means English.
    assert [s.skill for s in required_skills(profile(product_area=None), RULES)] == ["lang:en"]


def test_a_required_skill_must_match_whatever_the_spare_capacity() -> None:
    novice = member(1, "Ada Novak", skills={"area:sso": 3, "lang:en": 9})
    expert = member(2, "Priya Raman", skills={"area:sso": 8, "lang:en": 9}, load=4)
    org = snapshot(team(SSO, "SSO Specialists", (novice, expert)))

    proposal = propose_route(profile(), org, RULES)

    assert proposal.person_name == "Priya Raman"
    notes = {c.name: c.note for c in proposal.explanation.candidates}
    assert notes["Ada Novak"] == "missing area:sso (level 3 < 5)"
    assert proposal.explanation.summary.startswith("Priya Raman in SSO Specialists: area:sso 8")


def test_optional_skills_are_relaxed_in_relax_order_and_named() -> None:
    speaks_german = member(1, "Jonas Weber", skills={"area:sso": 8, "lang:de": 9})
    knows_bugs = member(2, "Priya Raman", skills={"area:sso": 8, "type:bug": 9})
    org = snapshot(team(SSO, "SSO Specialists", (speaks_german, knows_bugs)))

    proposal = propose_route(profile(language="de", issue_type="bug"), org, RULES)

    # Nobody has both: the issue type goes first (relax order 1), so the German speaker wins.
    assert proposal.person_name == "Jonas Weber"
    assert proposal.explanation.relaxed_skills == ("type:bug",)
    assert "relaxed type:bug" in proposal.explanation.summary
    assert "Skills: area:sso ≥ 5 (required); type:bug ≥ 4 (relaxed); lang:de ≥ 6 (optional)." in (
        proposal.explanation.lines()
    )


def test_optional_skills_are_all_relaxed_before_giving_up() -> None:
    org = snapshot(team(SSO, "SSO Specialists", (member(1, "Priya Raman"),)))

    proposal = propose_route(profile(language="ja", issue_type="bug"), org, RULES)

    assert proposal.person_name == "Priya Raman"
    assert proposal.explanation.relaxed_skills == ("type:bug", "lang:ja")


def test_nobody_is_relaxed_when_someone_meets_every_skill() -> None:
    complete = member(1, "Priya Raman", skills={"area:sso": 8, "type:bug": 5, "lang:de": 7}, load=4)
    partial = member(2, "Jonas Weber", skills={"area:sso": 8, "lang:de": 9})
    org = snapshot(team(SSO, "SSO Specialists", (complete, partial)))

    proposal = propose_route(profile(language="de", issue_type="bug"), org, RULES)

    assert proposal.person_name == "Priya Raman"  # less room, but the only one with every skill
    assert proposal.explanation.relaxed_skills == ()


def test_capacity_by_weight_holds_three_normal_cases_then_the_case_queues() -> None:
    org = snapshot(team(SSO, "SSO Specialists", (member(1, "Priya Raman", capacity=6),)))
    winners = []
    for case_id in range(1, 5):
        case = profile(case_id)
        proposal = propose_route(case, org, RULES)
        winners.append(proposal.person_name)
        org = with_assignment(org, case, RULES, proposal.team_id, proposal.person_id, NOW)

    assert winners == ["Priya Raman", "Priya Raman", "Priya Raman", ""]
    priya = org.teams[0].members[0]
    assert (priya.load, priya.open_cases) == (6, 3)


def test_cases_waiting_on_the_customer_add_no_load_when_assigned() -> None:
    org = snapshot(team(SSO, "SSO Specialists", (member(1, "Priya Raman", load=4),)))

    after = with_assignment(org, profile(stage=Stage.AWAITING_CUSTOMER), RULES, SSO, 1, NOW)

    priya = after.teams[0].members[0]
    assert priya.load == 4  # the card is hers, but it is not active work
    assert after.teams[0].open_cases == org.teams[0].open_cases + 1


def test_with_assignment_gives_the_previous_owner_their_room_back() -> None:
    org = snapshot(
        team(SSO, "SSO Specialists", (member(1, "Priya Raman", load=6), member(2, "Jonas Weber", load=0))),
    )
    case = profile(stage=Stage.INVESTIGATING, team_id=SSO, assignee_id=1)

    after = with_assignment(org, case, RULES, SSO, 2, NOW)

    priya, jonas = after.teams[0].members
    assert (priya.load, jonas.load) == (4, 2)
    assert jonas.last_assigned_at == NOW
    assert after.teams[0].load == org.teams[0].load
    assert after.teams[0].open_cases == org.teams[0].open_cases


def test_ties_go_to_whoever_waited_longest_since_their_last_assignment() -> None:
    recent = member(1, "Ada Novak", last_assigned_at=NOW - timedelta(hours=1))
    idle = member(2, "Priya Raman", last_assigned_at=NOW - timedelta(days=3))
    org = snapshot(team(SSO, "SSO Specialists", (recent, idle)))

    proposal = propose_route(profile(), org, RULES)

    assert proposal.person_name == "Priya Raman"
    assert proposal.explanation.summary.endswith("6 of 6 units free, idle longest among equals.")
    notes = {c.name: c.note for c in proposal.explanation.candidates}
    assert notes["Ada Novak"] == "eligible, equal room but assigned more recently"


def test_someone_never_assigned_counts_as_longest_idle() -> None:
    veteran = member(1, "Ada Novak", last_assigned_at=NOW - timedelta(days=30))
    newcomer = member(2, "Zoe Lindqvist", last_assigned_at=None)
    org = snapshot(team(SSO, "SSO Specialists", (veteran, newcomer)))

    assert propose_route(profile(), org, RULES).person_name == "Zoe Lindqvist"


def test_spare_capacity_beats_idle_time() -> None:
    idle_but_busy = member(1, "Ada Novak", load=2, last_assigned_at=None)
    free = member(2, "Priya Raman", load=0, last_assigned_at=NOW)
    org = snapshot(team(SSO, "SSO Specialists", (idle_but_busy, free)))

    proposal = propose_route(profile(), org, RULES)

    assert proposal.person_name == "Priya Raman"
    assert "most spare capacity" in proposal.explanation.summary


def test_away_people_and_people_without_capacity_are_skipped() -> None:
    away = member(1, "Ada Novak", presence=Presence.AWAY)
    manager = member(2, "Grace Okafor", capacity=0, role="manager")
    busy = member(3, "Priya Raman", load=2)
    org = snapshot(team(SSO, "SSO Specialists", (away, manager, busy)))

    proposal = propose_route(profile(), org, RULES)

    assert proposal.person_name == "Priya Raman"
    notes = {c.name: c.note for c in proposal.explanation.candidates}
    assert notes["Ada Novak"] == "away"
    assert notes["Grace Okafor"] == "takes no cases (capacity 0)"


def test_a_full_team_overflows_to_its_secondary_team_and_says_so() -> None:
    primary = team(SSO, "SSO Specialists", (member(1, "Priya Raman", load=6),), secondary_team_id=BACKUP)
    secondary = team(BACKUP, "Identity Backup", (member(2, "Jonas Weber"),), product_area=None)
    org = snapshot(primary, secondary)

    proposal = propose_route(profile(), org, RULES)

    assert (proposal.team_name, proposal.person_name) == ("Identity Backup", "Jonas Weber")
    assert proposal.explanation.overflowed_from_team_id == SSO
    assert proposal.explanation.summary.startswith(
        "Overflow from SSO Specialists, which is full: Jonas Weber"
    )
    notes = {c.name: c.note for c in proposal.explanation.candidates}
    assert notes["Priya Raman"] == "no room for weight 2 (0 of 6 units free)"


def test_a_team_at_its_wip_limit_overflows_even_when_people_have_room() -> None:
    primary = team(
        SSO,
        "SSO Specialists",
        (member(1, "Priya Raman"),),
        wip_limit=12,
        open_cases=12,
        secondary_team_id=BACKUP,
    )
    secondary = team(BACKUP, "Identity Backup", (member(2, "Jonas Weber"),), product_area=None)

    proposal = propose_route(profile(), snapshot(primary, secondary), RULES)

    assert proposal.person_name == "Jonas Weber"
    assert proposal.explanation.overflowed_from_team_id == SSO
    notes = {c.name: c.note for c in proposal.explanation.candidates}
    assert notes["Priya Raman"] == "would qualify, but SSO Specialists is at its WIP limit"


def test_when_nobody_has_room_the_case_queues_in_the_primary_team() -> None:
    primary = team(SSO, "SSO Specialists", (member(1, "Priya Raman", load=6),), secondary_team_id=BACKUP)
    secondary = team(BACKUP, "Identity Backup", (member(2, "Jonas Weber", load=5),), product_area=None)

    proposal = propose_route(profile(), snapshot(primary, secondary), RULES)

    assert (proposal.team_id, proposal.person_id, proposal.person_name) == (SSO, None, "")
    assert proposal.explanation.overflowed_from_team_id is None
    assert proposal.explanation.summary == (
        "Queue in SSO Specialists unassigned: nobody has room for a case of weight 2; "
        "overflow team Identity Backup: nobody has room for a case of weight 2 (2 people assessed)."
    )
    assert {c.name for c in proposal.explanation.candidates} == {"Priya Raman", "Jonas Weber"}


def test_the_queued_summary_says_why_nobody_can_take_the_case() -> None:
    novices = team(SSO, "SSO Specialists", (member(1, "Ada Novak", skills={"area:sso": 2}),))
    away = team(SSO, "SSO Specialists", (member(1, "Ada Novak", presence=Presence.AWAY),))
    full = team(SSO, "SSO Specialists", (member(1, "Ada Novak"),), wip_limit=4, open_cases=4)

    def summary(org_team: TeamState) -> str:
        return propose_route(profile(), snapshot(org_team), RULES).explanation.summary

    assert (
        summary(novices)
        == "Queue in SSO Specialists unassigned: nobody available has area:sso ≥ 5 (1 person assessed)."
    )
    assert summary(away) == "Queue in SSO Specialists unassigned: nobody is available (1 person assessed)."
    assert summary(full) == (
        "Queue in SSO Specialists unassigned: it is at its WIP limit of 4 cases (1 person assessed)."
    )


def test_a_pinned_team_never_overflows() -> None:
    primary = team(SSO, "SSO Specialists", (member(1, "Priya Raman", load=6),), secondary_team_id=BACKUP)
    secondary = team(BACKUP, "Identity Backup", (member(2, "Jonas Weber"),), product_area=None)

    proposal = propose_route(profile(), snapshot(primary, secondary), RULES, team_id=SSO)

    assert (proposal.team_id, proposal.person_id) == (SSO, None)
    assert [c.name for c in proposal.explanation.candidates] == ["Priya Raman"]


def test_the_primary_team_matches_the_case_tier_and_product_area() -> None:
    billing = team(
        1, "Billing", (member(1, "Ada Novak", skills={"area:billing": 9}),), product_area="billing"
    )
    general = team(2, "Tier 2 General", (member(2, "Jonas Weber"),), product_area=None)
    sso = team(3, "SSO Specialists", (member(3, "Priya Raman"),))
    platform = team(4, "Platform", (member(4, "Lena Fischer"),), tier=3, product_area=None)
    org = snapshot(billing, general, sso, platform)

    assert propose_route(profile(), org, RULES).team_name == "SSO Specialists"
    assert propose_route(profile(product_area="mobile"), org, RULES).team_name == "Tier 2 General"
    assert propose_route(profile(tier=3), org, RULES).team_name == "Platform"
    # A case already in a team at its tier stays there.
    assert propose_route(profile(team_id=2), org, RULES).team_name == "Tier 2 General"


def test_no_team_at_all_is_a_routing_error() -> None:
    with pytest.raises(RoutingError, match="no teams"):
        propose_route(profile(), snapshot(), RULES)


def test_explanation_lines_show_summary_skills_and_every_candidate() -> None:
    org = snapshot(
        team(SSO, "SSO Specialists", (member(1, "Priya Raman", load=2), member(2, "Ada Novak", load=6))),
    )

    lines = propose_route(profile(), org, RULES).explanation.lines()

    assert lines[0].startswith("Priya Raman in SSO Specialists")
    assert lines[1] == "Case weight: 2 units."
    assert lines[2].startswith("Skills: area:sso ≥ 5 (required)")
    assert lines[3] == (
        "Priya Raman (SSO Specialists): 2 of 6 units used, 4 free, never assigned; "
        "winner: the only one eligible"
    )
    assert lines[4].startswith("Ada Novak (SSO Specialists): 6 of 6 units used, 0 free")


# --- check_move -----------------------------------------------------------------------------------


def _check_org() -> RoutingSnapshot:
    sso = team(
        SSO,
        "SSO Specialists",
        (
            member(1, "Priya Raman", load=6),
            member(2, "Ada Novak", skills={"area:sso": 3}),
            member(3, "Lena Fischer", presence=Presence.AWAY),
        ),
        wip_limit=12,
        open_cases=12,
    )
    backup = team(BACKUP, "Identity Backup", (member(4, "Jonas Weber"),), product_area=None)
    return snapshot(sso, backup)


def _kinds_and_messages(person_id: int | None, case: CaseProfile | None = None) -> dict[RuleKind, str]:
    org = _check_org()
    violations = check_move(case or profile(), org, RULES, SSO, person_id)
    return {v.kind: v.message for v in violations}


def test_check_move_reports_over_capacity_and_wip_limit_in_words() -> None:
    assert _kinds_and_messages(1) == {
        RuleKind.OVER_CAPACITY: "Priya Raman would carry 8 of 6 units",
        RuleKind.OVER_WIP_LIMIT: "SSO Specialists would hold 13 cases, limit 12",
    }


def test_check_move_reports_a_missing_skill_with_levels() -> None:
    messages = _kinds_and_messages(2)
    assert messages[RuleKind.SKILL_MISSING] == "Ada Novak has area:sso at level 3, the case needs 5"


def test_check_move_reports_away_and_not_a_member() -> None:
    assert _kinds_and_messages(3)[RuleKind.AWAY] == "Lena Fischer is away"
    assert (
        _kinds_and_messages(4)[RuleKind.NOT_A_MEMBER]
        == "Jonas Weber is a member of Identity Backup, not of SSO Specialists"
    )
    assert RuleKind.NOT_A_MEMBER in _kinds_and_messages(99)


def test_check_move_to_the_team_alone_checks_only_the_wip_limit() -> None:
    assert set(_kinds_and_messages(None)) == {RuleKind.OVER_WIP_LIMIT}


def test_a_case_already_with_the_target_does_not_count_twice() -> None:
    mine = profile(stage=Stage.INVESTIGATING, team_id=SSO, assignee_id=1)
    assert _kinds_and_messages(1, mine) == {}
    # Priya's 6 units include this case: to her teammate it adds 2, to her nothing.
    org = snapshot(
        team(SSO, "SSO Specialists", (member(1, "Priya Raman", load=6), member(2, "Ada Novak", load=5)))
    )
    assert check_move(mine, org, RULES, SSO, 1) == ()
    assert [v.message for v in check_move(mine, org, RULES, SSO, 2)] == ["Ada Novak would carry 7 of 6 units"]


def test_a_move_within_limits_breaks_no_rule() -> None:
    org = snapshot(
        team(SSO, "SSO Specialists", (member(1, "Priya Raman", load=2),), wip_limit=12, open_cases=3)
    )
    assert check_move(profile(), org, RULES, SSO, 1) == ()


def test_the_explanation_is_stored_as_json_with_its_lines() -> None:
    org = snapshot(team(SSO, "SSO Specialists", (member(1, "Priya Raman"),)))
    explanation = propose_route(profile(issue_type="bug"), org, RULES).explanation

    stored = json.loads(json.dumps(explanation.as_dict()))

    assert stored["summary"] == explanation.summary
    assert stored["relaxed"] == ["type:bug"]
    assert stored["lines"] == explanation.lines()
    assert [(c["name"], c["winner"]) for c in stored["candidates"]] == [("Priya Raman", True)]
