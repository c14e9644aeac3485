"""Rules for the routing part of the configuration and for the organisation (teams and people).

These checks need nothing but the configuration. Whether product areas exist and
whether a team left out of a file may be deleted depend on the workspace; those
checks live in :mod:`core.config.organisation_storage`.
"""

from __future__ import annotations

import re

from core.config.checker import Checker
from core.config.model import WorkspaceConfig
from core.config.routing_model import Organisation, PersonSettings, RoutingRules, TeamSettings
from core.config.skills import MAX_SKILL_LEVEL, MIN_SKILL_LEVEL, SKILL_KINDS, parse_skill
from core.domain.enums import DONE_STAGES, PersonRole, Priority, Stage
from core.routing.types import Presence

TEAM_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TEAM_KEY_RULE = "use lower-case letters, digits, hyphens and underscores"
TIERS = (1, 2, 3)
MAX_CAPACITY = 100
_ROLES = tuple(role.value for role in PersonRole)
_PRESENCES = tuple(presence.value for presence in Presence)
_LOAD_STAGES = tuple(stage.value for stage in Stage if stage not in DONE_STAGES)


def check_routing(checker: Checker, config: WorkspaceConfig) -> None:
    """Weights cover every priority once, tiers are 1–3, load stages are open, skill rules are sound."""
    rules: RoutingRules = config.routing
    _check_priority_weights(checker, rules)
    section = "routing.tier_weights"
    for index, tier_weight in enumerate(rules.tier_weights, 1):
        checker.between(f"{section}[{index}]", "tier", tier_weight.tier, TIERS[0], TIERS[-1])
        checker.at_least(f"{section}[{index}]", "extra", tier_weight.extra, 0)
    checker.unique(section, "tier", [str(tier_weight.tier) for tier_weight in rules.tier_weights])
    for index, stage in enumerate(rules.load_stages, 1):
        checker.member("routing", f"load_stages[{index}]", stage, _LOAD_STAGES)
    section = "routing.skills"
    for index, rule in enumerate(rules.skills, 1):
        checker.member(f"{section}[{index}]", "kind", rule.kind, SKILL_KINDS)
        checker.between(f"{section}[{index}]", "min_level", rule.min_level, MIN_SKILL_LEVEL, MAX_SKILL_LEVEL)
        checker.at_least(f"{section}[{index}]", "relax_order", rule.relax_order, 0)
    checker.unique(section, "kind", [rule.kind for rule in rules.skills])
    checker.at_least("routing", "default_capacity", rules.default_capacity, 0)


def _check_priority_weights(checker: Checker, rules: RoutingRules) -> None:
    section = "routing.priority_weights"
    priorities = [priority.value for priority in Priority]
    for index, weight in enumerate(rules.priority_weights, 1):
        checker.member(f"{section}[{index}]", "priority", weight.priority, priorities)
        checker.at_least(f"{section}[{index}]", "weight", weight.weight, 0)
    given = [weight.priority for weight in rules.priority_weights]
    checker.unique(section, "priority", given)
    missing = [priority for priority in priorities if priority not in given]
    if missing:
        checker.fail(section, "", f"needs a weight for every priority; missing: {', '.join(missing)}")


def check_organisation(checker: Checker, config: WorkspaceConfig) -> None:
    """Teams have unique keys, names, tiers 1–3 and known secondary teams; people are complete and unique."""
    organisation: Organisation = config.organisation
    keys = [team.key for team in organisation.teams]
    for index, team in enumerate(organisation.teams, 1):
        _check_team(checker, f"organisation.teams[{index}]", team, keys)
    checker.unique("organisation.teams", "key", keys)
    for index, person in enumerate(organisation.people, 1):
        _check_person(checker, f"organisation.people[{index}]", person, keys)
    checker.unique(
        "organisation.people", "email", [person.email for person in organisation.people], str.casefold
    )


def _check_team(checker: Checker, section: str, team: TeamSettings, keys: list[str]) -> None:
    checker.key(section, "key", team.key, TEAM_KEY_PATTERN, TEAM_KEY_RULE)
    checker.text(section, "name", team.name)
    checker.between(section, "tier", team.tier, TIERS[0], TIERS[-1])
    checker.at_least(section, "wip_limit", team.wip_limit, 0)
    if team.secondary_team == team.key and team.key:
        checker.fail(
            section, "secondary_team", "a team cannot overflow to itself; name another team or leave it empty"
        )
    elif team.secondary_team and team.secondary_team not in keys:
        checker.fail(
            section,
            "secondary_team",
            f"{team.secondary_team!r} is not a team in this file; known teams: {', '.join(keys)}",
        )


def _check_person(checker: Checker, section: str, person: PersonSettings, team_keys: list[str]) -> None:
    checker.text(section, "email", person.email)
    checker.text(section, "name", person.name)
    checker.member(section, "role", person.role, _ROLES)
    if person.team and person.team not in team_keys:
        checker.fail(
            section,
            "team",
            f"{person.team!r} is not a team in this file; "
            f"leave it empty or use one of: {', '.join(team_keys)}",
        )
    checker.between(section, "capacity", person.capacity, 0, MAX_CAPACITY)
    checker.member(section, "presence", person.presence, _PRESENCES)
    seen: set[str] = set()
    for index, text in enumerate(person.skills, 1):
        try:
            skill = parse_skill(text)
        except ValueError as error:
            checker.fail(section, f"skills[{index}]", str(error))
            continue
        if skill.skill in seen:
            checker.fail(
                section, f"skills[{index}]", f"{skill.skill!r} is listed twice; give each skill once"
            )
        seen.add(skill.skill)
