"""The routing part of the workspace configuration: case weights, skill rules, and the organisation.

``RoutingRules`` is stored with the rest of the configuration. ``Organisation``
(teams and people) is exchanged in the same file and edited in the same place,
but it lives in the workspace's ``teams``, ``people`` and ``person_skills``
tables, because cases and the sync engine refer to those rows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PriorityWeight:
    """How many capacity units a case of ``priority`` takes (Salesforce-style weights)."""

    priority: str
    weight: int


@dataclass(frozen=True)
class TierWeight:
    """Extra capacity units a case escalated to ``tier`` takes on top of its priority weight."""

    tier: int
    extra: int


@dataclass(frozen=True)
class SkillRule:
    """What a case asks of a specialist's skill of one ``kind``.

    ``kind`` is ``area`` (the case's product area), ``lang`` (its language) or ``type``
    (its issue type). A required rule must be met; optional rules are relaxed one at a
    time, lowest ``relax_order`` first, when nobody meets them all.
    """

    kind: str
    min_level: int
    required: bool
    relax_order: int


@dataclass(frozen=True)
class RoutingRules:
    """How load is counted and how specialists are matched to cases.

    Only cases in ``load_stages`` count towards a person's or a team's load (cases
    waiting on the customer do not). A person without a configured capacity gets
    ``default_capacity``.
    """

    priority_weights: tuple[PriorityWeight, ...]
    tier_weights: tuple[TierWeight, ...]
    load_stages: tuple[str, ...]
    skills: tuple[SkillRule, ...]
    default_capacity: int


@dataclass(frozen=True)
class TeamSettings:
    """A team (a lane on the board).

    ``wip_limit`` 0 means no limit; ``secondary_team`` is a team key or empty.
    """

    key: str
    name: str
    tier: int
    product_area: str
    wip_limit: int
    secondary_team: str


@dataclass(frozen=True)
class PersonSettings:
    """A person, known by e-mail address. ``skills`` are texts like ``"area:sso=8"`` (levels 0–10)."""

    email: str
    name: str
    role: str
    team: str
    capacity: int
    presence: str
    skills: tuple[str, ...]


@dataclass(frozen=True)
class Organisation:
    """Teams and people. Left empty in a file, the workspace's organisation stays as it is."""

    teams: tuple[TeamSettings, ...]
    people: tuple[PersonSettings, ...]
