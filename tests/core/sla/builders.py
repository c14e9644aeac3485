"""Builders for SLA tests: calendars, policies, timelines and local times written with their zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.config.sla_model import BreachLevel, CalendarSettings, PauseRule, SlaPolicy, SlaTarget
from core.sla.calendar import BusinessCalendar
from core.sla.policy import calendar_text, policy_version
from core.sla.types import CaseTimeline, CycleSnapshot, TimelineFact, TimelineKind, fact_log

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A wall-clock time in Berlin (aware; compare freely with UTC results)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=BERLIN)


def calendar_settings(
    *hours: str,
    timezone: str = "Europe/Berlin",
    holidays: tuple[str, ...] = (),
    country: str = "",
    key: str = "office",
) -> CalendarSettings:
    """A calendar (09:00–17:00 Mon–Fri in Berlin unless told otherwise)."""
    return CalendarSettings(
        key=key,
        name=f"Calendar {key}",
        timezone=timezone,
        hours=hours or ("mon-fri 09:00-17:00",),
        holidays=holidays,
        country_holidays=country,
    )


def calendar(*hours: str, **kwargs: object) -> BusinessCalendar:
    """A :class:`BusinessCalendar` of :func:`calendar_settings`."""
    return BusinessCalendar(calendar_settings(*hours, **kwargs))  # type: ignore[arg-type]


def target(
    metric: str, minutes: int, *, business: bool = True, priority: str = "", stage: str = ""
) -> SlaTarget:
    """One target (every priority unless told)."""
    return SlaTarget(metric=metric, priority=priority, minutes=minutes, business_hours=business, stage=stage)


def policy(
    *targets: SlaTarget,
    key: str = "standard",
    calendar_key: str = "office",
    warning_percent: int = 0,
    warning_minutes: int = 0,
    breach_levels: tuple[BreachLevel, ...] = (),
    **conditions: tuple[str, ...] | tuple[int, ...],
) -> SlaPolicy:
    """A policy with the given targets and conditions (none: matches every case)."""
    return SlaPolicy(
        key=key,
        name=f"Policy {key}",
        priorities=conditions.get("priorities", ()),  # type: ignore[arg-type]
        customer_tiers=conditions.get("customer_tiers", ()),  # type: ignore[arg-type]
        product_areas=conditions.get("product_areas", ()),  # type: ignore[arg-type]
        sources=conditions.get("sources", ()),  # type: ignore[arg-type]
        tiers=conditions.get("tiers", ()),  # type: ignore[arg-type]
        calendar=calendar_key,
        targets=targets,
        warning_percent=warning_percent,
        warning_minutes=warning_minutes,
        breach_levels=breach_levels,
    )


def fact(at: datetime, kind: TimelineKind, stage: str = "", *, by_agent: bool = False) -> TimelineFact:
    """A timeline fact."""
    return TimelineFact(at=at, kind=kind, stage=stage, by_agent=by_agent)


def created(at: datetime, *, by_agent: bool = False) -> TimelineFact:
    return fact(at, TimelineKind.CREATED, by_agent=by_agent)


def customer(at: datetime) -> TimelineFact:
    return fact(at, TimelineKind.CUSTOMER_MESSAGE)


def reply(at: datetime) -> TimelineFact:
    return fact(at, TimelineKind.PUBLIC_REPLY, by_agent=True)


def stage(at: datetime, name: str) -> TimelineFact:
    return fact(at, TimelineKind.STAGE_CHANGE, name)


def escalated(at: datetime) -> TimelineFact:
    return fact(at, TimelineKind.ESCALATED)


def timeline(
    *facts: TimelineFact,
    priority: str = "normal",
    customer_tier: str = "business",
    product_area: str = "billing",
    source: str = "email",
    tier: int = 2,
) -> CaseTimeline:
    """A case whose creation is its first fact."""
    ordered = tuple(sorted(facts, key=lambda f: f.at))
    stages = [f.stage for f in ordered if f.kind is TimelineKind.STAGE_CHANGE]
    return CaseTimeline(
        case_id=1,
        number=1001,
        priority=priority,
        customer_tier=customer_tier,
        product_area=product_area,
        source=source,
        tier=tier,
        stage=stages[-1] if stages else "investigating",
        log=fact_log(ordered),
    )


def cycle(
    started_at: datetime, the_policy: SlaPolicy, settings: CalendarSettings | None = None
) -> CycleSnapshot:
    """The cycle snapshot a case would get."""
    settings = settings or calendar_settings()
    return CycleSnapshot(
        start=int(started_at.timestamp() // 1),
        policy=the_policy,
        calendar=settings,
        version=policy_version(the_policy, settings.key, calendar_text(settings)),
    )


AWAITING_PAUSES = (
    PauseRule(metric="next_reply", stages=("awaiting_customer",)),
    PauseRule(metric="resolution", stages=("awaiting_customer",)),
)
