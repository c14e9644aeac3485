"""The ``sla`` section of the configuration: every rule names its section and field in plain words."""

from __future__ import annotations

import dataclasses

import pytest

from core.config import ConfigError, default_config, export_config, parse_config
from core.config.sla_defaults import DEFAULT_SLA, OFFICE_HOURS
from core.config.sla_model import BreachLevel, CalendarSettings, PauseRule, SlaPolicy, SlaSettings, SlaTarget
from core.config.validation import validate

_STANDARD = DEFAULT_SLA.policies[1]


def _problems(sla: SlaSettings) -> list[str]:
    return [str(problem) for problem in validate(dataclasses.replace(default_config(), sla=sla))]


def _with_calendar(**changes: object) -> SlaSettings:
    return dataclasses.replace(
        DEFAULT_SLA, calendars=(dataclasses.replace(OFFICE_HOURS, **changes), *DEFAULT_SLA.calendars[1:])
    )


def _with_policy(**changes: object) -> SlaSettings:
    policy = dataclasses.replace(_STANDARD, **changes)
    return dataclasses.replace(DEFAULT_SLA, policies=(policy,))


def test_the_shipped_sla_settings_are_valid_and_round_trip_through_the_file() -> None:
    config = default_config()

    assert _problems(DEFAULT_SLA) == []
    assert parse_config(export_config(config)).sla == DEFAULT_SLA


def test_a_time_zone_must_be_an_iana_name() -> None:
    assert _problems(_with_calendar(timezone="Berlin/Europe")) == [
        "[sla.calendars[1]] timezone: 'Berlin/Europe' is not an IANA time zone; "
        "use a name like Europe/Berlin or UTC"
    ]


def test_hours_and_holidays_must_read_as_the_calendar_reads_them() -> None:
    problems = _problems(
        _with_calendar(
            hours=("mon-fri 09:00-17:00", "mon-fri 9-17", "funday 09:00-12:00", "sat 14:00-10:00"),
            holidays=("2026-12-24 Christmas Eve", "24.12.2026"),
        )
    )

    assert [problem.split(":", 1)[0] for problem in problems] == [
        "[sla.calendars[1]] hours[2]",
        "[sla.calendars[1]] hours[3]",
        "[sla.calendars[1]] hours[4]",
        "[sla.calendars[1]] holidays[2]",
    ]
    assert "'9'" in problems[0] and 'write it like "mon-fri 09:00-17:00"' in problems[0]
    assert "unknown day 'funday'" in problems[1]
    assert "must end after it starts" in problems[2]
    assert "24.12.2026" in problems[3] and "2026-12-24 Christmas Eve" in problems[3]


def test_a_calendar_needs_hours_and_a_country_the_holidays_library_knows() -> None:
    problems = _problems(_with_calendar(hours=(), country_holidays="XX"))

    assert problems[0].startswith("[sla.calendars[1]] hours: must list at least one time frame")
    assert problems[1].startswith("[sla.calendars[1]] country_holidays: 'XX' is not a country")
    assert _problems(_with_calendar(country_holidays="DE-BY")) == []
    assert "'DE-XX'" in _problems(_with_calendar(country_holidays="DE-XX"))[0]


def test_calendar_and_policy_keys_are_unique() -> None:
    sla = dataclasses.replace(
        DEFAULT_SLA,
        calendars=(*DEFAULT_SLA.calendars, OFFICE_HOURS),
        policies=(*DEFAULT_SLA.policies, _STANDARD),
    )

    assert _problems(sla) == [
        "[sla.calendars[3]] key: 'office' is used twice; each key must be unique",
        "[sla.policies[3]] key: 'standard' is used twice; each key must be unique",
    ]


def test_a_policy_names_a_calendar_that_exists() -> None:
    assert _problems(_with_policy(calendar="weekend")) == [
        "[sla.policies[1]] calendar: 'weekend' is not a calendar of sla.calendars (known: office, always)"
    ]


def test_targets_need_a_known_metric_and_priority_and_time_in_stage_a_stage() -> None:
    targets = (
        SlaTarget("first_reply", "", 60, True, ""),
        SlaTarget("first_response", "high", 60, True, ""),
        SlaTarget("resolution", "critical", 0, True, ""),
        SlaTarget("time_in_stage", "", 120, False, ""),
        SlaTarget("time_in_stage", "", 120, False, "limbo"),
    )

    assert _problems(_with_policy(targets=targets, priorities=("urgent", "p1"))) == [
        "[sla.policies[1]] priorities[2]: 'p1' is not one of: low, normal, high, urgent",
        "[sla.policies[1].targets[2]] metric: 'first_response' is not one of: "
        "first_reply, next_reply, periodic_update, resolution, time_in_stage",
        "[sla.policies[1].targets[3]] priority: 'critical' is not one of: , low, normal, high, urgent",
        "[sla.policies[1].targets[3]] minutes: must be more than 0, not 0",
        "[sla.policies[1].targets[4]] stage: a time_in_stage target must name its stage",
        "[sla.policies[1].targets[5]] stage: 'limbo' is not one of: new, requested, triaged, investigating, "
        "awaiting_customer, awaiting_engineering, awaiting_approval, resolution_proposed, resolved, closed",
    ]


def test_warnings_are_a_percentage_and_a_non_negative_offset() -> None:
    assert _problems(_with_policy(warning_percent=0, warning_minutes=-5)) == [
        "[sla.policies[1]] warning_percent: must be from 1 to 100, not 0",
        "[sla.policies[1]] warning_minutes: must be at least 0, not -5",
    ]
    assert "not 101" in _problems(_with_policy(warning_percent=101))[0]


def test_the_breach_ladder_has_at_most_four_ascending_levels_with_known_actions() -> None:
    ladder = (
        BreachLevel(0, ("notify",)),
        BreachLevel(60, ("notify", "page_the_cto")),
        BreachLevel(60, ("raise_priority",)),
        BreachLevel(120, ("recommend_escalation",)),
        BreachLevel(240, ("notify",)),
    )

    assert _problems(_with_policy(breach_levels=ladder)) == [
        "[sla.policies[1]] breach_levels: at most 4 breach levels, not 5",
        "[sla.policies[1].breach_levels[2]] actions[2]: 'page_the_cto' is not one of: "
        "notify, raise_priority, recommend_escalation",
        "[sla.policies[1].breach_levels[3]] after_minutes: must be later than the level before "
        "(60 is not above 60)",
    ]


def test_pause_rules_name_a_known_metric_and_known_stages() -> None:
    sla = dataclasses.replace(
        DEFAULT_SLA,
        pauses=(PauseRule("next_reply", ("awaiting_customer", "on_hold")), PauseRule("lunch", ())),
    )

    assert _problems(sla) == [
        "[sla.pauses[1]] stages[2]: 'on_hold' is not one of: new, requested, triaged, investigating, "
        "awaiting_customer, awaiting_engineering, awaiting_approval, resolution_proposed, resolved, closed",
        "[sla.pauses[2]] metric: 'lunch' is not one of: "
        "first_reply, next_reply, periodic_update, resolution, time_in_stage",
    ]


def test_a_file_with_a_broken_sla_section_is_refused_with_every_problem() -> None:
    calendar = CalendarSettings("office", "Office", "Mars/Olympus", ("mon-fri 09:00-17:00",), (), "")
    policy = SlaPolicy("fast", "Fast", (), (), (), (), (), "nowhere", (), 75, 0, ())
    text = export_config(
        dataclasses.replace(
            default_config(), sla=SlaSettings(calendars=(calendar,), policies=(policy,), pauses=())
        )
    )

    with pytest.raises(ConfigError) as raised:
        parse_config(text)

    message = str(raised.value)
    assert "[sla.calendars[1]] timezone: 'Mars/Olympus' is not an IANA time zone" in message
    assert "[sla.policies[1]] calendar: 'nowhere' is not a calendar of sla.calendars" in message
