"""Business calendars: working time in an IANA time zone, with several frames a day, holidays and DST.

CONTRACT (signatures fixed; the SLA-engine helper implements the bodies).
All datetimes in and out are timezone-aware UTC; the calendar does its arithmetic in local time.
"""

from __future__ import annotations

from datetime import datetime

from core.config.sla_model import CalendarSettings
from core.sla.types import Segment


class CalendarError(ValueError):
    """A calendar that cannot be used (bad time zone, bad hours text, bad holiday); the message says which."""


class BusinessCalendar:
    """The working time of one :class:`CalendarSettings`."""

    def __init__(self, settings: CalendarSettings) -> None:
        self.settings = settings
        raise NotImplementedError

    def working_segments(self, start: datetime, end: datetime) -> list[Segment]:
        """The working stretches between ``start`` and ``end``, in order."""
        raise NotImplementedError

    def business_seconds(self, start: datetime, end: datetime) -> int:
        """Working seconds between ``start`` and ``end`` (0 when ``end`` ≤ ``start``)."""
        raise NotImplementedError

    def add_business_seconds(self, start: datetime, seconds: int) -> datetime:
        """The moment ``seconds`` of working time after ``start``."""
        raise NotImplementedError
