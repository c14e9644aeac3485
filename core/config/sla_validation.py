"""Rules of the ``sla`` section: calendars that can be used, policies that point at them, sane targets.

Hours and holiday texts are read by :mod:`core.sla.hours_text`, the calendar's own reader, so
what passes here is exactly what the clock engine accepts.
"""

from __future__ import annotations

import itertools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from core.config.checker import Checker
from core.config.model import WorkspaceConfig
from core.config.sla_model import BreachLevel, CalendarSettings, SlaPolicy
from core.domain.enums import Priority, Stage
from core.sla.hours_text import HoursTextError, parse_holiday, parse_hours

MAX_BREACH_LEVELS = 4
BREACH_ACTIONS = ("notify", "raise_priority", "recommend_escalation")
STAGES = tuple(stage.value for stage in Stage)
PRIORITIES = tuple(priority.value for priority in Priority)


def check_sla(checker: Checker, config: WorkspaceConfig) -> None:
    """Every problem of ``config.sla``, each named by section (``sla.calendars[2]``) and field."""
    # Imported here: core.sla reads the config model, so a module-level import would be circular.
    from core.sla.types import Metric

    metrics = tuple(metric.value for metric in Metric)
    sla = config.sla
    for index, calendar in enumerate(sla.calendars, 1):
        _check_calendar(checker, f"sla.calendars[{index}]", calendar)
    checker.unique("sla.calendars", "key", [calendar.key for calendar in sla.calendars])
    calendar_keys = [calendar.key for calendar in sla.calendars]
    for index, policy in enumerate(sla.policies, 1):
        _check_policy(checker, f"sla.policies[{index}]", policy, calendar_keys, metrics)
    checker.unique("sla.policies", "key", [policy.key for policy in sla.policies])
    for index, rule in enumerate(sla.pauses, 1):
        section = f"sla.pauses[{index}]"
        checker.member(section, "metric", rule.metric, metrics)
        for number, stage in enumerate(rule.stages, 1):
            checker.member(section, f"stages[{number}]", stage, STAGES)


def _check_calendar(checker: Checker, section: str, calendar: CalendarSettings) -> None:
    checker.key(section, "key", calendar.key)
    checker.text(section, "name", calendar.name)
    try:
        ZoneInfo(calendar.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        checker.fail(
            section,
            "timezone",
            f"{calendar.timezone!r} is not an IANA time zone; use a name like Europe/Berlin or UTC",
        )
    if not calendar.hours:
        checker.fail(section, "hours", 'must list at least one time frame, for example "mon-fri 09:00-17:00"')
    for number, hours in enumerate(calendar.hours, 1):
        try:
            parse_hours(hours)
        except HoursTextError as error:
            checker.fail(section, f"hours[{number}]", f'{error}; write it like "mon-fri 09:00-17:00"')
    for number, holiday in enumerate(calendar.holidays, 1):
        try:
            parse_holiday(holiday)
        except HoursTextError as error:
            checker.fail(section, f"holidays[{number}]", f'{error}; write it like "2026-12-24 Christmas Eve"')
    if calendar.country_holidays and not _known_country(calendar.country_holidays):
        checker.fail(
            section,
            "country_holidays",
            f"{calendar.country_holidays!r} is not a country the holidays library knows; "
            'use a code like "DE", "US" or "GB", or "DE-BY" for a subdivision',
        )


def _known_country(code: str) -> bool:
    country, _, subdivision = code.partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        return False
    return not subdivision or subdivision in supported[country]


def _check_policy(
    checker: Checker, section: str, policy: SlaPolicy, calendar_keys: list[str], metrics: tuple[str, ...]
) -> None:
    checker.key(section, "key", policy.key)
    checker.text(section, "name", policy.name)
    if policy.calendar not in calendar_keys:
        checker.fail(
            section,
            "calendar",
            f"{policy.calendar!r} is not a calendar of sla.calendars "
            f"(known: {', '.join(calendar_keys) or 'none'})",
        )
    for number, priority in enumerate(policy.priorities, 1):
        checker.member(section, f"priorities[{number}]", priority, PRIORITIES)
    for number, target in enumerate(policy.targets, 1):
        where = f"{section}.targets[{number}]"
        checker.member(where, "metric", target.metric, metrics)
        checker.member(where, "priority", target.priority, ("", *PRIORITIES))
        if target.minutes <= 0:
            checker.fail(where, "minutes", f"must be more than 0, not {target.minutes}")
        if target.metric == "time_in_stage":
            if not target.stage:
                checker.fail(where, "stage", "a time_in_stage target must name its stage")
            else:
                checker.member(where, "stage", target.stage, STAGES)
    checker.between(section, "warning_percent", policy.warning_percent, 1, 100)
    checker.at_least(section, "warning_minutes", policy.warning_minutes, 0)
    _check_breach_levels(checker, section, policy.breach_levels)


def _check_breach_levels(checker: Checker, section: str, levels: tuple[BreachLevel, ...]) -> None:
    if len(levels) > MAX_BREACH_LEVELS:
        checker.fail(
            section, "breach_levels", f"at most {MAX_BREACH_LEVELS} breach levels, not {len(levels)}"
        )
    for number, level in enumerate(levels, 1):
        where = f"{section}.breach_levels[{number}]"
        checker.at_least(where, "after_minutes", level.after_minutes, 0)
        for action_number, action in enumerate(level.actions, 1):
            checker.member(where, f"actions[{action_number}]", action, BREACH_ACTIONS)
    for number, (lower, higher) in enumerate(itertools.pairwise(levels), 2):
        if higher.after_minutes <= lower.after_minutes:
            checker.fail(
                f"{section}.breach_levels[{number}]",
                "after_minutes",
                f"must be later than the level before ({higher.after_minutes} is not above "
                f"{lower.after_minutes})",
            )
