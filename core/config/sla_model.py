"""The SLA part of the workspace configuration: calendars, policies with targets, pauses and breach ladders.

Policies are tried in order and the first whose conditions match a case wins
(empty condition lists match anything). A case keeps the policy it started a
cycle with (see :mod:`core.sla`); an edited policy applies to new cycles.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarSettings:
    """Business hours in an IANA time zone, with holidays.

    ``hours`` are texts like ``"mon-fri 09:00-12:00"`` and ``"mon-fri 13:00-17:00"`` (a lunch
    break is two frames); ``"mon-sun 00:00-24:00"`` is round the clock. ``holidays`` are ISO
    dates (``"2026-12-24"``, optionally followed by a name); ``country_holidays`` adds a
    country's public holidays (``"DE"``, ``"US"``, ``"GB"``; ``"DE-BY"`` for a subdivision).
    """

    key: str
    name: str
    timezone: str
    hours: tuple[str, ...]
    holidays: tuple[str, ...]
    country_holidays: str


@dataclass(frozen=True)
class SlaTarget:
    """How long one metric may take for one priority ("" = every priority not listed otherwise).

    ``metric`` is first_reply, next_reply, periodic_update, resolution or time_in_stage
    (then ``stage`` names the stage); ``business_hours`` counts only the calendar's hours.
    """

    metric: str
    priority: str
    minutes: int
    business_hours: bool
    stage: str


@dataclass(frozen=True)
class BreachLevel:
    """A step of the breach ladder, ``after_minutes`` past the deadline (0: at the breach).

    ``actions`` are notify, raise_priority and recommend_escalation.
    """

    after_minutes: int
    actions: tuple[str, ...]


@dataclass(frozen=True)
class SlaPolicy:
    """Targets for the cases matching every non-empty condition list."""

    key: str
    name: str
    priorities: tuple[str, ...]
    customer_tiers: tuple[str, ...]
    product_areas: tuple[str, ...]
    sources: tuple[str, ...]
    tiers: tuple[int, ...]
    calendar: str
    targets: tuple[SlaTarget, ...]
    warning_percent: int
    warning_minutes: int
    breach_levels: tuple[BreachLevel, ...]


@dataclass(frozen=True)
class PauseRule:
    """The stages in which ``metric``'s clock pauses (configured explicitly, per metric)."""

    metric: str
    stages: tuple[str, ...]


@dataclass(frozen=True)
class SlaSettings:
    """Calendars, the ordered policies, and which stages pause which metric."""

    calendars: tuple[CalendarSettings, ...]
    policies: tuple[SlaPolicy, ...]
    pauses: tuple[PauseRule, ...]
