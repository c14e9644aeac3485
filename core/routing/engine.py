"""The routing engine: pure functions from a case and a snapshot of the organisation to a proposal.

Salesforce's capacity model (weights per priority and tier) and skill levels, Zendesk's
relaxing of optional skills in priority order, Intercom's ties to the longest idle, and
an overflow to the team's secondary team (``shared/reference/sla-and-routing.md`` §2.8).
No session, no I/O: the snapshot (``core.routing.snapshot``) carries everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from core.config.routing_model import RoutingRules
from core.domain.enums import Priority, Stage
from core.routing.types import (
    CandidateAssessment,
    CaseProfile,
    MemberState,
    Presence,
    RouteExplanation,
    RouteProposal,
    RoutingError,
    RoutingSnapshot,
    RuleKind,
    RuleViolation,
    SkillCheck,
    TeamState,
)

DEFAULT_LANGUAGE = "en"
_OFF_BOARD_STAGES = (Stage.NEW, Stage.RESOLVED, Stage.CLOSED)


def case_weight(priority: Priority, tier: int, rules: RoutingRules) -> int:
    """Capacity units a case takes: its priority's weight plus its tier's extra."""
    base = next((w.weight for w in rules.priority_weights if w.priority == priority.value), 1)
    extra = next((w.extra for w in rules.tier_weights if w.tier == tier), 0)
    return base + extra


def counts_towards_load(stage: Stage, rules: RoutingRules) -> bool:
    """Whether a case in ``stage`` is active work (waiting on the customer is not)."""
    return stage.value in rules.load_stages


def is_on_board(stage: Stage) -> bool:
    """Whether a case in ``stage`` is a card in its team's lane (escalated and still open)."""
    return stage not in _OFF_BOARD_STAGES


def required_skills(profile: CaseProfile, rules: RoutingRules) -> tuple[SkillCheck, ...]:
    """The skills ``profile`` asks for (none relaxed yet): required first, then in relax order."""
    values = {
        "area": profile.product_area,
        "lang": profile.language or DEFAULT_LANGUAGE,
        "type": profile.issue_type,
    }
    ordered = sorted(rules.skills, key=lambda rule: (not rule.required, rule.relax_order))
    return tuple(
        SkillCheck(
            skill=f"{rule.kind}:{value}", min_level=rule.min_level, required=rule.required, relaxed=False
        )
        for rule in ordered
        if (value := values.get(rule.kind))
    )


@dataclass(frozen=True)
class _Assessment:
    """A member measured against a case: before the winner is picked."""

    member: MemberState
    load: int  # without this case, if it is theirs already
    spare: int
    eligible: bool
    note: str
    matched: tuple[tuple[str, int], ...]  # skill, level: the skills they met


@dataclass(frozen=True)
class _TeamOutcome:
    """How one team fared: the assessments of its members, the winner, the skills as treated."""

    team: TeamState
    assessments: tuple[_Assessment, ...]
    winner: _Assessment | None
    win_reason: str
    skills: tuple[SkillCheck, ...]
    wip_full: bool


def _own_weight(profile: CaseProfile, rules: RoutingRules) -> int:
    """What this case already adds to its current assignee's and team's load."""
    if counts_towards_load(profile.stage, rules):
        return case_weight(profile.priority, profile.tier, rules)
    return 0


def _member_load(member: MemberState, profile: CaseProfile, rules: RoutingRules) -> int:
    """The member's load without this case (it does not count twice)."""
    if profile.assignee_id == member.person_id:
        return member.load - _own_weight(profile, rules)
    return member.load


def _already_in(team: TeamState, profile: CaseProfile) -> bool:
    """Whether the case is a card in ``team``'s lane already (a move within the lane adds no card)."""
    return profile.team_id == team.team_id and is_on_board(profile.stage)


def _cards_with(team: TeamState, profile: CaseProfile) -> int:
    """How many cards ``team`` holds once this case is in it."""
    return team.open_cases + (0 if _already_in(team, profile) else 1)


def _over_wip(team: TeamState, profile: CaseProfile) -> bool:
    return bool(team.wip_limit) and _cards_with(team, profile) > (team.wip_limit or 0)


def _missing(member: MemberState, skills: Sequence[SkillCheck]) -> list[str]:
    return [
        f"missing {check.skill} (level {member.skills.get(check.skill, 0)} < {check.min_level})"
        for check in skills
        if member.skills.get(check.skill, 0) < check.min_level
    ]


def _assess(
    member: MemberState,
    profile: CaseProfile,
    skills: Sequence[SkillCheck],
    weight: int,
    rules: RoutingRules,
) -> _Assessment:
    load = _member_load(member, profile, rules)
    spare = member.capacity - load
    matched = tuple((s.skill, member.skills.get(s.skill, 0)) for s in skills)
    if member.capacity <= 0:
        note = "takes no cases (capacity 0)"
    elif member.presence is not Presence.AVAILABLE:
        note = "away"
    elif missing := _missing(member, skills):
        note = "; ".join(missing)
    elif spare < weight:
        note = f"no room for weight {weight} ({max(spare, 0)} of {member.capacity} units free)"
    else:
        return _Assessment(member, load, spare, True, "eligible", matched)
    return _Assessment(member, load, spare, False, note, matched)


def _idle_key(member: MemberState) -> tuple[int, datetime | None]:
    """Never assigned sorts first, then the oldest last assignment."""
    if member.last_assigned_at is None:
        return (0, None)
    return (1, member.last_assigned_at)


def _pick(eligible: Sequence[_Assessment]) -> tuple[_Assessment | None, str]:
    """The winner (most spare, then longest idle, then name) and why in a few words."""
    if not eligible:
        return None, ""

    def key(a: _Assessment) -> tuple[int, int, float, str, int]:
        idle = _idle_key(a.member)
        stamp = idle[1].timestamp() if idle[1] is not None else 0.0
        return (-a.spare, idle[0], stamp, a.member.name, a.member.person_id)

    ranked = sorted(eligible, key=key)
    winner = ranked[0]
    if len(ranked) == 1:
        return winner, "the only one eligible"
    tied = [a for a in ranked if a.spare == winner.spare]
    if len(tied) == 1:
        return winner, "most spare capacity"
    if _idle_key(tied[1].member) == _idle_key(winner.member):
        return winner, "first by name among equals"
    return winner, "idle longest among equals"


def _skills_as_treated(skills: Sequence[SkillCheck], relaxed: int) -> tuple[SkillCheck, ...]:
    """``skills`` with the first ``relaxed`` optional ones (in relax order) marked relaxed."""
    result: list[SkillCheck] = []
    dropped = 0
    for check in skills:
        if not check.required and dropped < relaxed:
            result.append(replace(check, relaxed=True))
            dropped += 1
        else:
            result.append(check)
    return tuple(result)


def _try_team(
    team: TeamState,
    profile: CaseProfile,
    skills: tuple[SkillCheck, ...],
    weight: int,
    rules: RoutingRules,
    *,
    wip_applies: bool,
) -> _TeamOutcome:
    """Assess ``team``'s members, relaxing optional skills one at a time until someone qualifies."""
    optional_count = sum(1 for s in skills if not s.required)
    if wip_applies and _over_wip(team, profile):
        # A full team takes nothing whatever is relaxed: say who would have qualified at best.
        treated = _skills_as_treated(skills, optional_count)
        active = [s for s in treated if not s.relaxed]
        assessments = tuple(
            replace(a, eligible=False, note=f"would qualify, but {team.name} is at its WIP limit")
            if a.eligible
            else a
            for a in (_assess(m, profile, active, weight, rules) for m in team.members)
        )
        return _TeamOutcome(team, assessments, None, "", treated, True)
    outcome: _TeamOutcome | None = None
    for relaxed in range(optional_count + 1):
        treated = _skills_as_treated(skills, relaxed)
        active = [s for s in treated if not s.relaxed]
        assessments = tuple(_assess(m, profile, active, weight, rules) for m in team.members)
        winner, reason = _pick([a for a in assessments if a.eligible])
        outcome = _TeamOutcome(team, assessments, winner, reason, treated, False)
        if winner is not None:
            return outcome
    assert outcome is not None
    return outcome


def _primary_team(profile: CaseProfile, snapshot: RoutingSnapshot, team_id: int | None) -> TeamState:
    """The pinned team; else the case's team at its tier; else the best team at the case's tier."""
    if team_id is not None:
        pinned = snapshot.team(team_id)
        if pinned is None:
            raise RoutingError(f"Team {team_id} is not part of the organisation.")
        return pinned
    if not snapshot.teams:
        raise RoutingError("There are no teams to route to: add teams in Settings → Organisation.")
    current = snapshot.team(profile.team_id) if profile.team_id is not None else None
    if current is not None and current.tier == profile.tier:
        return current
    at_tier = [t for t in snapshot.teams if t.tier == profile.tier]
    if not at_tier:  # no team at that tier: the nearest tier, higher first
        nearest = min(snapshot.teams, key=lambda t: (abs(t.tier - profile.tier), -t.tier)).tier
        at_tier = [t for t in snapshot.teams if t.tier == nearest]
    same_area = [t for t in at_tier if profile.product_area and t.product_area == profile.product_area]
    general = [t for t in at_tier if t.product_area is None]
    return (same_area or general or at_tier)[0]


def _candidates(outcomes: Sequence[_TeamOutcome]) -> tuple[CandidateAssessment, ...]:
    result: list[CandidateAssessment] = []
    for outcome in outcomes:
        for a in outcome.assessments:
            won = outcome.winner is a
            note = a.note
            if won:
                note = f"winner: {outcome.win_reason}"
            elif a.eligible and outcome.winner is not None:
                note = _runner_up_note(a, outcome.winner)
            result.append(
                CandidateAssessment(
                    person_id=a.member.person_id,
                    name=a.member.name,
                    team_id=outcome.team.team_id,
                    load=a.load,
                    capacity=a.member.capacity,
                    spare=a.spare,
                    last_assigned_at=a.member.last_assigned_at,
                    eligible=a.eligible,
                    note=note,
                    team_name=outcome.team.name,
                    winner=won,
                )
            )
    return tuple(result)


def _runner_up_note(a: _Assessment, winner: _Assessment) -> str:
    if a.spare < winner.spare:
        return f"eligible, less spare capacity ({a.spare} < {winner.spare})"
    if _idle_key(a.member) != _idle_key(winner.member):
        return "eligible, equal room but assigned more recently"
    return "eligible, equal room and idle time (name order)"


def _nobody_reason(outcome: _TeamOutcome, weight: int) -> str:
    """Why nobody in ``outcome``'s team can take the case, in a few words."""
    if outcome.wip_full:
        return f"it is at its WIP limit of {outcome.team.wip_limit} cases"
    notes = [a.note for a in outcome.assessments]
    if not notes:
        return "it has no members"
    if any(note.startswith("no room") for note in notes):
        return f"nobody has room for a case of weight {weight}"
    if any(note.startswith("missing") for note in notes):
        needed = ", ".join(f"{s.skill} ≥ {s.min_level}" for s in outcome.skills if not s.relaxed)
        return f"nobody available has {needed}"
    return "nobody is available"


def _queued_summary(outcomes: Sequence[_TeamOutcome], weight: int) -> str:
    primary, *overflow = outcomes
    text = f"Queue in {primary.team.name} unassigned: {_nobody_reason(primary, weight)}"
    for outcome in overflow:
        text += f"; overflow team {outcome.team.name}: {_nobody_reason(outcome, weight)}"
    assessed = sum(len(o.assessments) for o in outcomes)
    return text + f" ({assessed} {'person' if assessed == 1 else 'people'} assessed)."


def _winner_summary(outcome: _TeamOutcome, winner: _Assessment, overflowed_from: TeamState | None) -> str:
    member = winner.member
    matched = [f"{skill} {level}" for skill, level in winner.matched]
    parts = [*matched, f"{winner.spare} of {member.capacity} units free", outcome.win_reason]
    text = f"{member.name} in {outcome.team.name}: " + ", ".join(parts)
    relaxed = [s.skill for s in outcome.skills if s.relaxed]
    if relaxed:
        text += f" (relaxed {', '.join(relaxed)})"
    if overflowed_from is not None:
        text = f"Overflow from {overflowed_from.name}, which is full: " + text
    return text + "."


def propose_route(
    profile: CaseProfile, snapshot: RoutingSnapshot, rules: RoutingRules, *, team_id: int | None = None
) -> RouteProposal:
    """The team and specialist for ``profile``, with the explanation.

    ``team_id`` pins the team (a lead picked it); otherwise the primary team is the
    case's current team, else the team at the case's tier whose product area matches.
    """
    weight = case_weight(profile.priority, profile.tier, rules)
    skills = required_skills(profile, rules)
    primary = _primary_team(profile, snapshot, team_id)
    pinned = team_id is not None
    outcomes = [_try_team(primary, profile, skills, weight, rules, wip_applies=not pinned)]
    chosen = outcomes[0]
    overflowed_from: TeamState | None = None
    if chosen.winner is None and not pinned and primary.secondary_team_id not in (None, primary.team_id):
        secondary = snapshot.team(primary.secondary_team_id or 0)
        if secondary is not None:
            second = _try_team(secondary, profile, skills, weight, rules, wip_applies=True)
            outcomes.append(second)
            if second.winner is not None:
                chosen, overflowed_from = second, primary
    explanation = RouteExplanation(
        case_weight=weight,
        skills=chosen.skills,
        candidates=_candidates(outcomes),
        overflowed_from_team_id=overflowed_from.team_id if overflowed_from else None,
        summary=(
            _winner_summary(chosen, chosen.winner, overflowed_from)
            if chosen.winner is not None
            else _queued_summary(outcomes, weight)
        ),
        overflowed_from_team_name=overflowed_from.name if overflowed_from else "",
    )
    team = chosen.team if chosen.winner is not None else primary
    winner = chosen.winner.member if chosen.winner is not None else None
    return RouteProposal(
        case_id=profile.case_id,
        team_id=team.team_id,
        team_name=team.name,
        person_id=winner.person_id if winner else None,
        person_name=winner.name if winner else "",
        explanation=explanation,
    )


def check_move(
    profile: CaseProfile,
    snapshot: RoutingSnapshot,
    rules: RoutingRules,
    team_id: int,
    person_id: int | None,
) -> tuple[RuleViolation, ...]:
    """The rules moving ``profile`` to ``team_id`` / ``person_id`` would break (empty: none).

    A rule the move does not make worse is not reported: a card moved within its lane
    adds nothing to the WIP count, a case kept by its assignee adds nothing to their load.
    """
    team = snapshot.team(team_id)
    if team is None:
        raise RoutingError(f"Team {team_id} is not part of the organisation.")
    violations: list[RuleViolation] = []
    if person_id is not None:
        violations.extend(_person_violations(profile, snapshot, rules, team, person_id))
    if not _already_in(team, profile) and _over_wip(team, profile):
        violations.append(
            RuleViolation(
                RuleKind.OVER_WIP_LIMIT,
                f"{team.name} would hold {_cards_with(team, profile)} cases, limit {team.wip_limit}",
            )
        )
    return tuple(violations)


def _person_violations(
    profile: CaseProfile, snapshot: RoutingSnapshot, rules: RoutingRules, team: TeamState, person_id: int
) -> list[RuleViolation]:
    found = snapshot.member(person_id)
    if found is None:
        return [RuleViolation(RuleKind.NOT_A_MEMBER, f"This person is not an active member of {team.name}")]
    home, member = found
    violations: list[RuleViolation] = []
    if home.team_id != team.team_id:
        violations.append(
            RuleViolation(
                RuleKind.NOT_A_MEMBER, f"{member.name} is a member of {home.name}, not of {team.name}"
            )
        )
    if member.presence is not Presence.AVAILABLE:
        violations.append(RuleViolation(RuleKind.AWAY, f"{member.name} is away"))
    for check in required_skills(profile, rules):
        if not check.required:
            continue
        level = member.skills.get(check.skill, 0)
        if level < check.min_level:
            violations.append(
                RuleViolation(
                    RuleKind.SKILL_MISSING,
                    f"{member.name} has {check.skill} at level {level}, the case needs {check.min_level}",
                )
            )
    weight = case_weight(profile.priority, profile.tier, rules)
    would_carry = _member_load(member, profile, rules) + weight
    if profile.assignee_id != member.person_id and would_carry > member.capacity:
        violations.append(
            RuleViolation(
                RuleKind.OVER_CAPACITY, f"{member.name} would carry {would_carry} of {member.capacity} units"
            )
        )
    return violations


def _stage_after_move(stage: Stage) -> Stage:
    """A requested escalation is triaged when it is routed; other stages stay."""
    return Stage.TRIAGED if stage is Stage.REQUESTED else stage


def with_assignment(
    snapshot: RoutingSnapshot,
    profile: CaseProfile,
    rules: RoutingRules,
    team_id: int,
    person_id: int | None,
    now: datetime,
) -> RoutingSnapshot:
    """``snapshot`` after ``profile`` moved to ``team_id`` / ``person_id``.

    Loads, card counts and the new assignee's last assignment change; the previous
    assignee and team give the case's load and card back.
    """
    weight = case_weight(profile.priority, profile.tier, rules)
    old_weight = _own_weight(profile, rules)
    new_stage = _stage_after_move(profile.stage)
    new_weight = weight if counts_towards_load(new_stage, rules) else 0
    old_card = 1 if is_on_board(profile.stage) else 0
    new_card = 1 if is_on_board(new_stage) else 0

    def member_after(member: MemberState) -> MemberState:
        load, cards, last = member.load, member.open_cases, member.last_assigned_at
        if member.person_id == profile.assignee_id:
            load, cards = load - old_weight, cards - old_card
        if member.person_id == person_id:
            load, cards = load + new_weight, cards + new_card
            if profile.assignee_id != person_id:
                last = now
        return replace(member, load=load, open_cases=cards, last_assigned_at=last)

    people = {profile.assignee_id, person_id} - {None}

    def team_after(team: TeamState) -> TeamState:
        touched = team.team_id in (profile.team_id, team_id) or any(
            m.person_id in people for m in team.members
        )
        if not touched:
            return team
        load, cards = team.load, team.open_cases
        if team.team_id == profile.team_id:
            load, cards = load - old_weight, cards - old_card
        if team.team_id == team_id:
            load, cards = load + new_weight, cards + new_card
        members = tuple(member_after(m) for m in team.members)
        return replace(team, load=load, open_cases=cards, members=members)

    return replace(snapshot, teams=tuple(team_after(t) for t in snapshot.teams))
