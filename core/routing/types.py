"""What the routing engine reads and answers: frozen values, no database, no Qt.

A :class:`RoutingSnapshot` is the organisation at one moment (teams, their members,
each member's skills, load and last assignment); :func:`core.routing.engine.propose_route`
turns it and a :class:`CaseProfile` into a :class:`RouteProposal` with its
:class:`RouteExplanation`. The same snapshot answers :func:`core.routing.engine.check_move`
("which rules would this move break?") before a lead confirms a drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.domain.enums import Priority, Stage


class RoutingError(ValueError):
    """Routing cannot answer: no team to route to, or a team the organisation does not have."""


class Presence(StrEnum):
    """Whether a person takes new cases right now."""

    AVAILABLE = "available"
    AWAY = "away"


class RouteKind(StrEnum):
    """What a recorded routing decision was."""

    TRIAGE = "triage"  # the first route of an escalation (requested → triaged)
    REROUTE = "reroute"  # to another team
    ASSIGN = "assign"  # to another specialist of the same team (or unassigned)


class RuleKind(StrEnum):
    """A routing rule a move can break (the lead confirms before it is written)."""

    SKILL_MISSING = "skill_missing"
    OVER_CAPACITY = "over_capacity"
    OVER_WIP_LIMIT = "over_wip_limit"
    AWAY = "away"
    NOT_A_MEMBER = "not_a_member"


@dataclass(frozen=True)
class CaseProfile:
    """What routing knows about a case. ``required_skills`` is derived from the skill rules."""

    case_id: int
    number: int
    subject: str
    priority: Priority
    tier: int
    stage: Stage
    product_area: str | None  # product area key ("sso"), if any
    language: str | None  # "de"; None means the workspace's default language ("en")
    issue_type: str | None
    team_id: int | None
    assignee_id: int | None
    waiting_since: datetime  # when the current escalation was requested (or the case created)


@dataclass(frozen=True)
class MemberState:
    """A member of a team as routing sees it: skills ("area:sso" → 8), capacity and load in weight units."""

    person_id: int
    name: str
    role: str
    capacity: int
    presence: Presence
    skills: dict[str, int]
    load: int
    open_cases: int
    last_assigned_at: datetime | None


@dataclass(frozen=True)
class TeamState:
    """A team (lane): its members, its load (weight units of active work) and open card count."""

    team_id: int
    key: str
    name: str
    tier: int
    product_area: str | None
    wip_limit: int | None  # None or 0: no limit
    secondary_team_id: int | None
    members: tuple[MemberState, ...]
    load: int
    open_cases: int

    @property
    def capacity(self) -> int:
        """The capacity of the members who are available."""
        return sum(m.capacity for m in self.members if m.presence is Presence.AVAILABLE)


@dataclass(frozen=True)
class SkillCheck:
    """One skill a case asks for, and how it was treated for this proposal."""

    skill: str  # "area:sso"
    min_level: int
    required: bool
    relaxed: bool


@dataclass(frozen=True)
class CandidateAssessment:
    """One person considered for a case: their load and why they did or did not win."""

    person_id: int
    name: str
    team_id: int
    load: int
    capacity: int
    spare: int
    last_assigned_at: datetime | None
    eligible: bool
    note: (
        str  # "missing area:sso (level 3 < 5)", "away", "no room for weight 2", "winner: most spare capacity"
    )
    team_name: str = ""
    winner: bool = False

    def line(self) -> str:
        """``"Priya Raman (SSO Specialists): 2 of 6 units used, 4 free, never assigned; winner: …"``."""
        team = f" ({self.team_name})" if self.team_name else ""
        idle = (
            "never assigned"
            if self.last_assigned_at is None
            else f"last assigned {self.last_assigned_at:%Y-%m-%d %H:%M} UTC"
        )
        used = f"{self.load} of {self.capacity} units used, {self.spare} free"
        return f"{self.name}{team}: {used}, {idle}; {self.note}"


@dataclass(frozen=True)
class RouteExplanation:
    """Why a route was proposed: the skills matched or relaxed, each candidate, why the winner won."""

    case_weight: int
    skills: tuple[SkillCheck, ...]
    candidates: tuple[CandidateAssessment, ...]
    overflowed_from_team_id: int | None  # the primary team when the secondary one was chosen
    summary: str  # one sentence a lead reads first

    overflowed_from_team_name: str = ""

    @property
    def relaxed_skills(self) -> tuple[str, ...]:
        """The optional skills that were dropped to find someone, in the order they were dropped."""
        return tuple(check.skill for check in self.skills if check.relaxed)

    def lines(self) -> list[str]:
        """The explanation as lines of text (tooltips, dialogs, export)."""
        lines = [self.summary, f"Case weight: {self.case_weight} units."]
        if self.skills:
            lines.append("Skills: " + "; ".join(_skill_text(check) for check in self.skills) + ".")
        else:
            lines.append("Skills: none asked for.")
        if self.overflowed_from_team_id is not None:
            source = self.overflowed_from_team_name or f"team {self.overflowed_from_team_id}"
            lines.append(f"Overflow: {source} had nobody with room, so its secondary team was tried.")
        lines.extend(candidate.line() for candidate in self.candidates)
        return lines

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form (what a route record stores)."""
        return {
            "summary": self.summary,
            "case_weight": self.case_weight,
            "skills": [
                {"skill": s.skill, "min_level": s.min_level, "required": s.required, "relaxed": s.relaxed}
                for s in self.skills
            ],
            "relaxed": list(self.relaxed_skills),
            "overflowed_from_team_id": self.overflowed_from_team_id,
            "candidates": [
                {
                    "person_id": c.person_id,
                    "name": c.name,
                    "team_id": c.team_id,
                    "load": c.load,
                    "capacity": c.capacity,
                    "spare": c.spare,
                    "eligible": c.eligible,
                    "winner": c.winner,
                    "note": c.note,
                }
                for c in self.candidates
            ],
            "lines": self.lines(),
        }


def _skill_text(check: SkillCheck) -> str:
    """``"area:sso ≥ 5 (required)"``, ``"lang:de ≥ 6 (relaxed)"``."""
    if check.required:
        state = "required"
    elif check.relaxed:
        state = "relaxed"
    else:
        state = "optional"
    return f"{check.skill} ≥ {check.min_level} ({state})"


@dataclass(frozen=True)
class RouteProposal:
    """A proposed team and specialist (None when nobody has room) for a case, with its explanation."""

    case_id: int
    team_id: int
    team_name: str
    person_id: int | None
    person_name: str
    explanation: RouteExplanation


@dataclass(frozen=True)
class RuleViolation:
    """A rule a move would break, in words a lead can judge."""

    kind: RuleKind
    message: str


@dataclass(frozen=True)
class RoutingSnapshot:
    """The organisation at one moment: every team (lane) in board order, with members and loads."""

    teams: tuple[TeamState, ...]
    taken_at: datetime

    def team(self, team_id: int) -> TeamState | None:
        """The team with ``team_id``, if the snapshot holds it."""
        return next((team for team in self.teams if team.team_id == team_id), None)

    def member(self, person_id: int) -> tuple[TeamState, MemberState] | None:
        """The team and member state of ``person_id``, if they are an active member of a team here."""
        for team in self.teams:
            for member in team.members:
                if member.person_id == person_id:
                    return team, member
        return None
