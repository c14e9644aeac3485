"""Business calendars: working time in an IANA time zone, with several frames a day, holidays and DST.

All datetimes in and out are timezone-aware UTC; the calendar does its arithmetic in local time.

Fast by construction: for a range of years (grown on demand) the calendar lays out every
working stretch as UTC epoch seconds with a running total of working seconds, so counting
and adding working time are two binary searches, whatever the distance. The engine uses the
integer methods (:meth:`BusinessCalendar.count`, :meth:`BusinessCalendar.add`); the datetime
methods wrap them. :class:`WallClock` offers the same integer methods for calendar-time targets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holiday_library

from core.config.sla_model import CalendarSettings
from core.sla.hours_text import Frame, HoursTextError, parse_holiday, week_frames
from core.sla.types import Segment

_MAX_YEARS_AHEAD = 60  # a target no calendar can reach in this many years is a broken calendar
_MIDNIGHT = time(0, 0)


class CalendarError(ValueError):
    """A calendar that cannot be used (bad time zone, bad hours text, bad holiday); the message says which."""


def to_epoch(moment: datetime) -> int:
    """Whole UTC seconds since 1970 (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() // 1)


def from_epoch(seconds: int) -> datetime:
    """The aware UTC datetime of epoch ``seconds``."""
    return datetime.fromtimestamp(seconds, UTC)


def _zone(name: str, key: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise CalendarError(f"calendar {key!r}: unknown time zone {name!r} (use an IANA name)") from None


def _country(code: str, key: str) -> tuple[str, str | None] | None:
    code = code.strip()
    if not code:
        return None
    country, _, subdivision = code.partition("-")
    try:
        holiday_library.country_holidays(country.upper(), subdiv=subdivision.upper() or None, years=())
    except (NotImplementedError, KeyError, ValueError):
        raise CalendarError(
            f"calendar {key!r}: unknown country holidays {code!r} (use 'DE', 'US' or 'DE-BY')"
        ) from None
    return country.upper(), subdivision.upper() or None


class WallClock:
    """Calendar time: every second counts (the same integer interface as :class:`BusinessCalendar`)."""

    def count(self, start: int, end: int) -> int:
        return end - start if end > start else 0

    def add(self, start: int, seconds: int) -> int:
        return start + seconds if seconds > 0 else start

    def stretches(self, start: int, end: int) -> list[tuple[int, int]]:
        return [(start, end)] if end > start else []


WALL_CLOCK = WallClock()


class BusinessCalendar:
    """The working time of one :class:`CalendarSettings`."""

    def __init__(self, settings: CalendarSettings) -> None:
        self.settings = settings
        self.zone = _zone(settings.timezone, settings.key)
        try:
            self._week: tuple[tuple[Frame, ...], ...] = week_frames(tuple(settings.hours))
            self._own_holidays: dict[date, str] = dict(parse_holiday(text) for text in settings.holidays)
        except HoursTextError as error:
            raise CalendarError(f"calendar {settings.key!r}: {error}") from None
        self._country = _country(settings.country_holidays, settings.key)
        self._country_years: dict[int, dict[date, str]] = {}
        self._first_year = 0
        self._last_year = -1
        self._low = 0  # epoch range laid out: [low, high)
        self._high = 0
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._before: list[int] = []  # working seconds before each stretch
        self._through: list[int] = []  # working seconds up to each stretch's end
        self._total = 0

    # -- holidays ---------------------------------------------------------------------------------

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name when ``day`` (local) is a holiday ("" when it has no name), else None."""
        if day in self._own_holidays:
            return self._own_holidays[day]
        return self._country_holidays(day.year).get(day)

    def _country_holidays(self, year: int) -> dict[date, str]:
        if self._country is None:
            return {}
        found = self._country_years.get(year)
        if found is None:
            country, subdivision = self._country
            found = dict(holiday_library.country_holidays(country, subdiv=subdivision, years=year).items())
            self._country_years[year] = found
        return found

    # -- layout -----------------------------------------------------------------------------------

    def _local_epoch(self, day: date, seconds: int) -> int:
        if seconds >= 86400:
            moment = datetime.combine(day + timedelta(days=1), _MIDNIGHT, tzinfo=self.zone)
        else:
            moment = datetime.combine(day, time(seconds // 3600, seconds % 3600 // 60), tzinfo=self.zone)
        return int(moment.timestamp())

    def _lay_out(self, first_year: int, last_year: int) -> None:
        starts: list[int] = []
        ends: list[int] = []
        day = date(first_year, 1, 1)
        last = date(last_year, 12, 31)
        one_day = timedelta(days=1)
        while day <= last:
            frames = self._week[day.weekday()]
            if frames and self.holiday_name(day) is None:
                for start, end in frames:
                    a, b = self._local_epoch(day, start), self._local_epoch(day, end)
                    if b <= a:
                        continue
                    if ends and a <= ends[-1]:
                        ends[-1] = max(ends[-1], b)
                    else:
                        starts.append(a)
                        ends.append(b)
            day += one_day
        before: list[int] = []
        through: list[int] = []
        total = 0
        for a, b in zip(starts, ends, strict=True):
            before.append(total)
            total += b - a
            through.append(total)
        self._starts, self._ends, self._before, self._through, self._total = (
            starts,
            ends,
            before,
            through,
            total,
        )
        self._first_year, self._last_year = first_year, last_year
        self._low = self._local_epoch(date(first_year, 1, 1), 0)
        self._high = self._local_epoch(date(last_year + 1, 1, 1), 0)

    def _local_year(self, seconds: int) -> int:
        return datetime.fromtimestamp(seconds, self.zone).year

    def _cover(self, start: int, end: int) -> None:
        if self._low <= start and end < self._high:
            return
        first, last = self._local_year(start) - 1, self._local_year(end) + 1
        if self._last_year >= self._first_year:
            first, last = min(first, self._first_year), max(last, self._last_year)
        self._lay_out(first, last)

    def _counted_to(self, seconds: int) -> int:
        index = bisect_right(self._starts, seconds) - 1
        if index < 0:
            return 0
        return self._before[index] + min(seconds, self._ends[index]) - self._starts[index]

    # -- integer interface (epoch seconds) ---------------------------------------------------------

    def count(self, start: int, end: int) -> int:
        """Working seconds in ``[start, end)``."""
        if end <= start:
            return 0
        self._cover(start, end)
        return self._counted_to(end) - self._counted_to(start)

    def add(self, start: int, seconds: int) -> int:
        """The first moment at which ``seconds`` of working time after ``start`` have passed."""
        if seconds <= 0:
            return start
        self._cover(start, start)
        limit: int | None = None
        while True:
            goal = self._counted_to(start) + seconds
            if goal <= self._total:
                index = bisect_left(self._through, goal)
                return self._starts[index] + goal - self._before[index]
            if limit is None:
                limit = self._local_year(start) + _MAX_YEARS_AHEAD
            if self._last_year >= limit:
                raise CalendarError(f"calendar {self.settings.key!r} has no working time ahead")
            self._lay_out(self._first_year, self._last_year + max(1, self._last_year - self._first_year))

    def stretches(self, start: int, end: int) -> list[tuple[int, int]]:
        """The working stretches within ``[start, end)``, in order."""
        if end <= start:
            return []
        self._cover(start, end)
        index = max(bisect_right(self._starts, start) - 1, 0)
        found: list[tuple[int, int]] = []
        while index < len(self._starts) and self._starts[index] < end:
            a, b = max(self._starts[index], start), min(self._ends[index], end)
            if b > a:
                found.append((a, b))
            index += 1
        return found

    # -- datetime interface ------------------------------------------------------------------------

    def working_segments(self, start: datetime, end: datetime) -> list[Segment]:
        """The working stretches between ``start`` and ``end``, in order."""
        return [
            Segment(from_epoch(a), from_epoch(b)) for a, b in self.stretches(to_epoch(start), to_epoch(end))
        ]

    def business_seconds(self, start: datetime, end: datetime) -> int:
        """Working seconds between ``start`` and ``end`` (0 when ``end`` ≤ ``start``)."""
        return self.count(to_epoch(start), to_epoch(end))

    def add_business_seconds(self, start: datetime, seconds: int) -> datetime:
        """The moment ``seconds`` of working time after ``start``."""
        return from_epoch(self.add(to_epoch(start), seconds))

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the calendar's time zone."""
        return moment.astimezone(self.zone)


_CALENDARS: dict[int, tuple[CalendarSettings, BusinessCalendar]] = {}
_BY_VALUE: dict[CalendarSettings, BusinessCalendar] = {}


def calendar_for(settings: CalendarSettings) -> BusinessCalendar:
    """The (shared, cached) calendar of ``settings``; raises :class:`CalendarError` when it is unusable."""
    entry = _CALENDARS.get(id(settings))
    if entry is not None and entry[0] is settings:
        return entry[1]
    calendar = _BY_VALUE.get(settings)
    if calendar is None:
        if len(_BY_VALUE) > 256:
            _BY_VALUE.clear()
            _CALENDARS.clear()
        calendar = _BY_VALUE[settings] = BusinessCalendar(settings)
    _CALENDARS[id(settings)] = (settings, calendar)
    return calendar
