"""The configuration file a team edits: round trip, and errors that say where the problem is."""

from __future__ import annotations

import dataclasses
import tomllib

import pytest

from core.config import (
    ConfigError,
    MessageTemplate,
    ReadinessItemRule,
    default_config,
    export_config,
    parse_config,
)


def _problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    return [str(problem) for problem in caught.value.problems]


def _edited(old: str, new: str) -> str:
    text = export_config(default_config())
    assert old in text
    return text.replace(old, new, 1)


def test_export_then_parse_gives_back_the_same_configuration() -> None:
    assert parse_config(export_config(default_config())) == default_config()


def test_awkward_texts_survive_the_round_trip() -> None:
    config = default_config()
    awkward = MessageTemplate(
        id="awkward",
        name="Quotes \" and ' and a tab\tand a backslash \\",
        body='Line one\n  """triple quotes""" and \\n literally\r\nend {subject} {{not a placeholder}}\x7f',
        moves_to_stage="",
    )
    pattern = ReadinessItemRule(
        key="odd", label="Odd 'quoted' pattern", patterns=(r"it's \d+",), event_kinds=()
    )
    config = dataclasses.replace(
        config,
        templates=(*config.templates, awkward),
        readiness=dataclasses.replace(config.readiness, items=(*config.readiness.items, pattern)),
    )

    assert parse_config(export_config(config)) == config


def test_the_file_explains_each_section_and_keeps_patterns_readable() -> None:
    text = export_config(default_config())

    assert "# The customer asked to escalate" in text
    assert r"'\bsteps to reproduce\b'" in text  # a regular expression without doubled backslashes
    assert tomllib.loads(text)["format_version"] == 1


def test_a_file_with_only_some_sections_keeps_the_defaults_for_the_others() -> None:
    config = parse_config("[reminders]\nbusiness_days = [1, 3, 8]\npropose_auto_close = false\n")

    assert config.reminders.business_days == (1, 3, 8)
    assert config.escalation == default_config().escalation


def test_wrong_types_name_the_section_and_field() -> None:
    text = _edited("reopen_count = 2", 'reopen_count = "two"')
    text = text.replace("weight = 3.0", "weight = true", 1)

    assert _problems(text) == [
        "[escalation.customer_request] weight: expected a number, not True",
        "[escalation.complexity] reopen_count: expected a whole number, not 'two'",
    ]


def test_unknown_and_missing_fields_are_named() -> None:
    text = _edited("age_days = 7\n", "age_dayz = 7\n")

    assert _problems(text) == [
        "[escalation.complexity] age_dayz: unknown field (known fields: reopen_count, reopen_weight, "
        "agent_touches, agent_touches_weight, age_days, age_weight, logs_attached, logs_weight, "
        "complex_product_areas, product_area_weight)",
        "[escalation.complexity] age_days: missing; expected a whole number",
    ]


def test_every_rule_violation_is_reported_at_once_with_its_place() -> None:
    text = _edited("similarity_threshold = 0.5", "similarity_threshold = 1.5")
    text = text.replace('"steps_to_reproduce", "customer_impact"]', '"steps_to_reproduce", "impact"]', 1)
    text = text.replace(r"'\bblocking\b'", r"'\bblocking(\b'")
    text = text.replace('code = "known_defect"', 'code = "known_bug"')
    text = text.replace('moves_to_stage = "awaiting_customer"', 'moves_to_stage = "waiting"')
    text = text.replace("case {case_number} we need", "case {case_numbr} we need")
    text = text.replace("business_days = [2, 5]", "business_days = [5, 2]")
    text = text.replace("min_score = 6.0", "min_score = 0.0")

    problems = _problems(text)

    assert problems[0] == (
        "[escalation.known_defect] similarity_threshold: must be above 0 and at most 1 "
        "(the share of distinctive terms in common), not 1.5"
    )
    assert problems[1] == (
        "[escalation.tiers] min_score: tier 3 needs a higher min_score than tier 2 (0 is not above 0)"
    )
    assert problems[2].startswith("[readiness.items[4]] patterns[4]: not a valid regular expression:")
    assert problems[3].startswith(
        "[readiness.profiles[1]] required[4]: 'impact' is not one of: product_version"
    )
    assert problems[4].startswith("[reason_codes[5]] code: 'known_bug' is not one of: resolution_time")
    assert problems[5].startswith(
        "[templates[2]] body: unknown placeholder {case_numbr}; available: {customer_name}"
    )
    assert problems[6].startswith("[templates[2]] moves_to_stage: 'waiting' is not one of:")
    assert (
        problems[7]
        == "[reminders] business_days: must go up from one reminder to the next, for example [2, 5]"
    )
    assert len(problems) == 8


def test_duplicates_are_named_with_their_position() -> None:
    text = _edited('key = "capacity"', 'key = "security"')

    assert _problems(text) == ["[root_causes[9]] key: 'security' is used twice; each key must be unique"]


def test_text_that_is_not_toml_is_refused_with_its_line() -> None:
    problems = _problems("[reminders\nbusiness_days = [2, 5]\n")

    assert len(problems) == 1
    assert problems[0].startswith("[(file)]: not valid TOML:")
    assert "line 1" in problems[0]


def test_a_file_from_a_newer_format_is_refused() -> None:
    assert _problems("format_version = 2\n") == [
        "[(top level)] format_version: this Handoff reads format 1, not 2; "
        "export the configuration again from the Handoff that wrote it"
    ]


def test_the_error_message_lists_every_problem() -> None:
    text = _edited("reopen_count = 2", "reopen_count = 0").replace("age_days = 7", "age_days = -1")

    with pytest.raises(ConfigError) as caught:
        parse_config(text)

    assert str(caught.value) == (
        "The configuration has 2 problems:\n"
        "  [escalation.complexity] reopen_count: must be at least 1, not 0\n"
        "  [escalation.complexity] age_days: must be at least 1, not -1"
    )


def test_a_value_of_the_wrong_type_is_reported_once_and_the_other_rules_still_checked() -> None:
    text = _edited("business_days = [2, 5]", 'business_days = "2, 5"').replace(
        'code = "known_defect"', 'code = "known_bug"'
    )
    text = text.replace(
        "[escalation.known_defect]\n", "escalation_known_defect = 1\n[escalation.known_defect]\n"
    )

    assert _problems(text) == [
        "[escalation.complexity] escalation_known_defect: unknown field (known fields: reopen_count, "
        "reopen_weight, agent_touches, agent_touches_weight, age_days, age_weight, logs_attached, "
        "logs_weight, complex_product_areas, product_area_weight)",
        "[reminders] business_days: expected a list, not '2, 5'",
        "[reason_codes[5]] code: 'known_bug' is not one of: resolution_time, technical_expertise, "
        "business_impact, customer_request, known_defect, policy_exception",
    ]


def test_a_section_that_is_not_a_table_is_named() -> None:
    assert _problems('reminders = "weekly"\n') == ["[reminders]: expected a table, not 'weekly'"]


def test_every_problem_of_a_thoroughly_broken_file_names_its_section_and_field() -> None:
    text = (
        export_config(default_config())
        .replace("weight = 3.0", "weight = -1.0")
        .replace('"sso", "integrations"', '"SSO area", "integrations"')
        .replace("arr_threshold = 100000", "arr_threshold = -5")
        .replace("tier = 2", "tier = 1")
        .replace('key = "product_version"', 'key = "Product Version"')
        .replace('event_kinds = ["system_log"]', 'event_kinds = ["logfile"]')
        .replace('label = "Customer request"', 'label = "  "')
        .replace('id = "status_update"', 'id = "acknowledge_escalation"')
        .replace('name = "Closure notice"', 'name = ""')
    )

    problems = _problems(text)

    assert len(problems) == 12  # both weights of 3.0, and both profiles that require the renamed item
    for problem in problems:
        section, _, rest = problem.partition("] ")
        field, _, message = rest.partition(": ")
        assert section.startswith("[") and len(section) > 1, problem
        assert field and message, problem
