"""Business-day arithmetic for reminder schedules (Monday to Friday; holidays come with the SLA calendars)."""

from __future__ import annotations

from datetime import datetime, timedelta

_SATURDAY = 5


def add_business_days(start: datetime, days: int) -> datetime:
    """``start`` moved forward by ``days`` business days, keeping the time of day.

    Starting on a weekend counts from the following Monday's time of day, so
    two business days from a Saturday morning is Tuesday morning.
    """
    if days < 0:
        raise ValueError(f"business days must not be negative, got {days}")
    moment = start
    remaining = days
    while remaining > 0:
        moment += timedelta(days=1)
        if moment.weekday() < _SATURDAY:
            remaining -= 1
    return moment
