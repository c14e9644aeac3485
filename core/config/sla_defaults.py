"""The SLA calendars, policies and pauses Handoff ships with (edit them in Settings or the TOML file)."""

from __future__ import annotations

from core.config.sla_model import BreachLevel, CalendarSettings, PauseRule, SlaPolicy, SlaSettings, SlaTarget
from core.domain.enums import CustomerTier, Priority, Stage

_HOUR = 60
_BUSINESS_DAY = 8 * _HOUR

OFFICE_HOURS = CalendarSettings(
    key="office",
    name="Office hours (Berlin)",
    timezone="Europe/Berlin",
    hours=("mon-fri 09:00-17:00",),
    holidays=(),
    country_holidays="DE",
)
ROUND_THE_CLOCK = CalendarSettings(
    key="always",
    name="Round the clock",
    timezone="UTC",
    hours=("mon-sun 00:00-24:00",),
    holidays=(),
    country_holidays="",
)


def _targets(metric: str, minutes: dict[Priority, int], *, business: bool) -> tuple[SlaTarget, ...]:
    return tuple(
        SlaTarget(metric=metric, priority=priority.value, minutes=value, business_hours=business, stage="")
        for priority, value in minutes.items()
    )


_LADDER = (
    BreachLevel(after_minutes=0, actions=("notify",)),
    BreachLevel(after_minutes=2 * _HOUR, actions=("notify", "raise_priority")),
    BreachLevel(after_minutes=_BUSINESS_DAY, actions=("notify", "recommend_escalation")),
)

_ENTERPRISE = SlaPolicy(
    key="enterprise",
    name="Enterprise and strategic accounts",
    priorities=(),
    customer_tiers=(CustomerTier.ENTERPRISE.value, CustomerTier.STRATEGIC.value),
    product_areas=(),
    sources=(),
    tiers=(),
    calendar=ROUND_THE_CLOCK.key,
    targets=(
        *_targets(
            "first_reply",
            {Priority.URGENT: 30, Priority.HIGH: _HOUR, Priority.NORMAL: 4 * _HOUR, Priority.LOW: 8 * _HOUR},
            business=False,
        ),
        *_targets(
            "next_reply",
            {
                Priority.URGENT: _HOUR,
                Priority.HIGH: 2 * _HOUR,
                Priority.NORMAL: 8 * _HOUR,
                Priority.LOW: 16 * _HOUR,
            },
            business=False,
        ),
        *_targets(
            "periodic_update",
            {
                Priority.URGENT: 4 * _HOUR,
                Priority.HIGH: 8 * _HOUR,
                Priority.NORMAL: 24 * _HOUR,
                Priority.LOW: 72 * _HOUR,
            },
            business=False,
        ),
        *_targets(
            "resolution",
            {
                Priority.URGENT: 24 * _HOUR,
                Priority.HIGH: 72 * _HOUR,
                Priority.NORMAL: 120 * _HOUR,
                Priority.LOW: 240 * _HOUR,
            },
            business=False,
        ),
    ),
    warning_percent=75,
    warning_minutes=30,
    breach_levels=_LADDER,
)

_STANDARD = SlaPolicy(
    key="standard",
    name="Standard support",
    priorities=(),
    customer_tiers=(),
    product_areas=(),
    sources=(),
    tiers=(),
    calendar=OFFICE_HOURS.key,
    targets=(
        *_targets(
            "first_reply",
            {
                Priority.URGENT: _HOUR,
                Priority.HIGH: 2 * _HOUR,
                Priority.NORMAL: _BUSINESS_DAY,
                Priority.LOW: 2 * _BUSINESS_DAY,
            },
            business=True,
        ),
        *_targets(
            "next_reply",
            {
                Priority.URGENT: 2 * _HOUR,
                Priority.HIGH: 4 * _HOUR,
                Priority.NORMAL: _BUSINESS_DAY,
                Priority.LOW: 2 * _BUSINESS_DAY,
            },
            business=True,
        ),
        *_targets(
            "periodic_update",
            {
                Priority.URGENT: 4 * _HOUR,
                Priority.HIGH: _BUSINESS_DAY,
                Priority.NORMAL: 3 * _BUSINESS_DAY,
                Priority.LOW: 5 * _BUSINESS_DAY,
            },
            business=True,
        ),
        *_targets(
            "resolution",
            {
                Priority.URGENT: 2 * _BUSINESS_DAY,
                Priority.HIGH: 5 * _BUSINESS_DAY,
                Priority.NORMAL: 10 * _BUSINESS_DAY,
                Priority.LOW: 20 * _BUSINESS_DAY,
            },
            business=True,
        ),
    ),
    warning_percent=75,
    warning_minutes=60,
    breach_levels=_LADDER,
)

DEFAULT_SLA = SlaSettings(
    calendars=(OFFICE_HOURS, ROUND_THE_CLOCK),
    policies=(_ENTERPRISE, _STANDARD),
    pauses=(
        PauseRule(metric="next_reply", stages=(Stage.AWAITING_CUSTOMER.value,)),
        PauseRule(
            metric="resolution", stages=(Stage.AWAITING_CUSTOMER.value, Stage.RESOLUTION_PROPOSED.value)
        ),
    ),
)
"""Enterprise accounts round the clock, everyone else in Berlin office hours; waiting on the customer
pauses next reply and resolution, never the periodic update."""
