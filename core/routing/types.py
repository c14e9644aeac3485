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
    """A member of a team as routing sees it: skills ("area:sso" → 8), capacity and current load in weight units."""

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
    note: str  # "missing area:sso (level 3 < 5)", "away", "no room for weight 2", "winner: most spare capacity"


@dataclass(frozen=True)
class RouteExplanation:
    """Why a route was proposed: the skills matched or relaxed, each candidate, why the winner won."""

    case_weight: int
    skills: tuple[SkillCheck, ...]
    candidates: tuple[CandidateAssessment, ...]
    overflowed_from_team_id: int | None  # the primary team when the secondary one was chosen
    summary: str  # one sentence a lead reads first

    def lines(self) -> list[str]:
        """The explanation as lines of text (tooltips, dialogs, export)."""
        raise NotImplementedError  # implemented in core.routing.engine's helper pass


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
