"""Business calendars: frames, lunch breaks, holidays (own and country), DST, validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.sla.calendar import BusinessCalendar, CalendarError
from tests.core.sla.builders import BERLIN, berlin, calendar, calendar_settings

HOUR = 3600


def test_one_business_hour_from_friday_afternoon_lands_on_monday_morning() -> None:
    office = calendar()
    due = office.add_business_seconds(berlin(2026, 11, 27, 16, 30), HOUR)
    assert due == berlin(2026, 11, 30, 9, 30)
    assert due.tzinfo is UTC


def test_a_deadline_at_the_end_of_a_frame_is_that_end_not_the_next_morning() -> None:
    office = calendar()
    assert office.add_business_seconds(berlin(2026, 11, 27, 16, 0), HOUR) == berlin(2026, 11, 27, 17, 0)


def test_time_outside_hours_counts_nothing() -> None:
    office = calendar()
    assert office.business_seconds(berlin(2026, 11, 27, 17, 0), berlin(2026, 11, 30, 9, 0)) == 0
    assert office.business_seconds(berlin(2026, 11, 30, 9, 0), berlin(2026, 11, 27, 17, 0)) == 0


def test_a_lunch_break_is_a_second_frame() -> None:
    office = calendar("mon-fri 09:00-12:00", "mon-fri 13:00-17:00")
    assert office.add_business_seconds(berlin(2026, 11, 25, 11, 30), HOUR) == berlin(2026, 11, 25, 13, 30)
    assert office.business_seconds(berlin(2026, 11, 25, 0, 0), berlin(2026, 11, 26, 0, 0)) == 7 * HOUR


def test_several_frames_in_one_text_and_a_saturday() -> None:
    shop = calendar("mon-fri 09:00-12:00, 13:00-17:00", "sat 10:00-14:00")
    assert shop.add_business_seconds(berlin(2026, 11, 27, 16, 0), 2 * HOUR) == berlin(2026, 11, 28, 11, 0)


def test_own_holiday_pushes_the_deadline_to_the_next_working_day() -> None:
    office = calendar(holidays=("2026-11-30 Company day",))
    assert office.add_business_seconds(berlin(2026, 11, 27, 16, 30), HOUR) == berlin(2026, 12, 1, 9, 30)
    assert office.holiday_name(berlin(2026, 11, 30).date()) == "Company day"


def test_country_holidays_with_a_subdivision() -> None:
    bavaria = calendar(country="DE-BY")
    # 6 January (Epiphany) is a holiday in Bavaria but not in Berlin.
    assert bavaria.add_business_seconds(berlin(2026, 1, 5, 16, 30), HOUR) == berlin(2026, 1, 7, 9, 30)
    berlin_office = calendar(country="DE-BE")
    assert berlin_office.add_business_seconds(berlin(2026, 1, 5, 16, 30), HOUR) == berlin(2026, 1, 6, 9, 30)


def test_christmas_in_germany_skips_three_days() -> None:
    office = calendar(country="DE", holidays=("2026-12-24",))
    assert office.add_business_seconds(berlin(2026, 12, 23, 16, 30), HOUR) == berlin(2026, 12, 28, 9, 30)


def test_a_working_day_is_eight_hours_on_both_dst_sundays() -> None:
    sundays = calendar("mon-sun 09:00-17:00")
    for day in (berlin(2026, 3, 29), berlin(2026, 10, 25)):
        assert sundays.business_seconds(day, day + timedelta(days=1)) == 8 * HOUR


def test_round_the_clock_days_are_23_and_25_hours_when_the_clocks_change() -> None:
    always = calendar("mon-sun 00:00-24:00")
    assert always.business_seconds(berlin(2026, 3, 29), berlin(2026, 3, 30)) == 23 * HOUR
    assert always.business_seconds(berlin(2026, 10, 25), berlin(2026, 10, 26)) == 25 * HOUR
    # 24 h of round-the-clock time from Saturday noon is Sunday 13:00 local on the spring change.
    assert always.add_business_seconds(berlin(2026, 3, 28, 12), 24 * HOUR) == berlin(2026, 3, 29, 13)


def test_a_deadline_across_the_spring_change_keeps_local_office_hours() -> None:
    office = calendar()
    # Friday 27 March 16:00 CET + 2 business hours = Monday 30 March 10:00 CEST (UTC 08:00).
    due = office.add_business_seconds(berlin(2026, 3, 27, 16, 0), 2 * HOUR)
    assert due == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert due.astimezone(BERLIN).hour == 10


def test_working_segments_are_the_frames_inside_the_range() -> None:
    office = calendar("mon-fri 09:00-12:00", "mon-fri 13:00-17:00")
    segments = office.working_segments(berlin(2026, 11, 27, 11, 0), berlin(2026, 11, 30, 10, 0))
    assert [(s.start.astimezone(BERLIN).strftime("%a %H:%M"), s.seconds) for s in segments] == [
        ("Fri 11:00", HOUR),
        ("Fri 13:00", 4 * HOUR),
        ("Mon 09:00", HOUR),
    ]


def test_deadlines_years_ahead_are_found() -> None:
    office = calendar()
    start = berlin(2026, 11, 30, 9, 0)
    due = office.add_business_seconds(start, 8 * HOUR * 5 * 52 * 3)  # about three years of work
    assert due.year in (2029, 2030)
    assert office.business_seconds(start, due) == 8 * HOUR * 5 * 52 * 3


def test_times_before_the_first_query_are_counted_too() -> None:
    office = calendar()
    office.business_seconds(berlin(2026, 11, 30, 9), berlin(2026, 11, 30, 10))
    assert office.business_seconds(berlin(2019, 11, 29, 16), berlin(2019, 12, 2, 10)) == 2 * HOUR


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours": ("mon-fri 9-17",)}, "mon-fri 9-17"),
        ({"hours": ("mon-fri 17:00-09:00",)}, "must end after it starts"),
        ({"hours": ("funday 09:00-17:00",)}, "funday"),
        ({"hours": ("mon-fri 09:00-25:00",)}, "out of range"),
        ({"hours": ()}, "at least one"),
        ({"timezone": "Europe/Atlantis"}, "Europe/Atlantis"),
        ({"holidays": ("24.12.2026",)}, "24.12.2026"),
        ({"country_holidays": "XX"}, "'XX'"),
        ({"country_holidays": "DE-ZZ"}, "DE-ZZ"),
    ],
)
def test_a_bad_calendar_is_refused_naming_the_bad_text(changes: dict[str, object], message: str) -> None:
    settings = calendar_settings()
    values = {**settings.__dict__, **changes}
    with pytest.raises(CalendarError, match=message.replace("(", r"\(")) as raised:
        BusinessCalendar(type(settings)(**values))  # type: ignore[arg-type]
    assert "'office'" in str(raised.value)
