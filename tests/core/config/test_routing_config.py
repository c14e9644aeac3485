"""The routing rules of the configuration: case weights, load stages, skill rules, default capacity."""

from __future__ import annotations

import dataclasses

import pytest

from core.config import ConfigError, default_config, export_config, parse_config
from core.config.routing_model import PriorityWeight, RoutingRules, SkillRule, TierWeight
from core.config.validation import validate


def _problems(routing: RoutingRules) -> list[str]:
    return [str(problem) for problem in validate(dataclasses.replace(default_config(), routing=routing))]


def test_the_shipped_rules_are_valid_and_follow_salesforces_weights() -> None:
    routing = default_config().routing

    assert _problems(routing) == []
    weights = {weight.priority: weight.weight for weight in routing.priority_weights}
    assert routing.default_capacity // weights["normal"] == 3  # capacity 6 holds three normal cases
    assert "awaiting_customer" not in routing.load_stages


def test_edited_rules_round_trip_through_the_file() -> None:
    config = default_config()
    edited = dataclasses.replace(
        config,
        routing=dataclasses.replace(
            config.routing, default_capacity=8, tier_weights=(TierWeight(2, 0), TierWeight(3, 2))
        ),
    )

    assert parse_config(export_config(edited)) == edited


def test_every_priority_needs_exactly_one_non_negative_weight() -> None:
    routing = dataclasses.replace(
        default_config().routing,
        priority_weights=(
            PriorityWeight("low", 1),
            PriorityWeight("normal", -2),
            PriorityWeight("normal", 2),
            PriorityWeight("critical", 5),
        ),
    )

    assert _problems(routing) == [
        "[routing.priority_weights[2]] weight: must be at least 0, not -2",
        "[routing.priority_weights[4]] priority: 'critical' is not one of: low, normal, high, urgent",
        "[routing.priority_weights[3]] priority: 'normal' is used twice; each priority must be unique",
        "[routing.priority_weights]: needs a weight for every priority; missing: high, urgent",
    ]


def test_tier_weights_load_stages_skill_rules_and_capacity_are_checked() -> None:
    routing = dataclasses.replace(
        default_config().routing,
        tier_weights=(TierWeight(4, 1), TierWeight(3, -1), TierWeight(3, 0)),
        load_stages=("investigating", "closed", "waiting"),
        skills=(
            SkillRule("area", 11, True, 0),
            SkillRule("mood", 3, False, -1),
            SkillRule("area", 5, False, 1),
        ),
        default_capacity=-1,
    )

    assert _problems(routing) == [
        "[routing.tier_weights[1]] tier: must be from 1 to 3, not 4",
        "[routing.tier_weights[2]] extra: must be at least 0, not -1",
        "[routing.tier_weights[3]] tier: '3' is used twice; each tier must be unique",
        "[routing] load_stages[2]: 'closed' is not one of: new, requested, triaged, investigating, "
        "awaiting_customer, awaiting_engineering, awaiting_approval, resolution_proposed",
        "[routing] load_stages[3]: 'waiting' is not one of: new, requested, triaged, investigating, "
        "awaiting_customer, awaiting_engineering, awaiting_approval, resolution_proposed",
        "[routing.skills[1]] min_level: must be from 0 to 10, not 11",
        "[routing.skills[2]] kind: 'mood' is not one of: area, lang, type",
        "[routing.skills[2]] relax_order: must be at least 0, not -1",
        "[routing.skills[3]] kind: 'area' is used twice; each kind must be unique",
        "[routing] default_capacity: must be at least 0, not -1",
    ]


def test_a_mistyped_weight_in_the_file_is_reported_once_where_it_is() -> None:
    text = export_config(default_config()).replace("default_capacity = 6", 'default_capacity = "six"')

    with pytest.raises(ConfigError) as caught:
        parse_config(text)

    assert [str(problem) for problem in caught.value.problems] == [
        "[routing] default_capacity: expected a whole number, not 'six'"
    ]
