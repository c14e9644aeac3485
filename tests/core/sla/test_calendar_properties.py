"""Properties of calendar arithmetic, for any start and amount (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.config.sla_model import PauseRule
from core.sla.engine import compute_clocks, next_deadline
from tests.core.sla.builders import calendar, created, customer, cycle, policy, reply, stage, target, timeline

OFFICE = calendar("mon-fri 09:00-12:00", "mon-fri 13:00-17:00", country="DE", holidays=("2026-12-24",))
NEW_YORK = calendar("mon-fri 08:30-17:30", "sat 10:00-14:00", timezone="America/New_York", country="US")
ALWAYS = calendar("mon-sun 00:00-24:00", timezone="Europe/Berlin")
CALENDARS = st.sampled_from([OFFICE, NEW_YORK, ALWAYS])

MOMENTS = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
AMOUNTS = st.integers(min_value=0, max_value=400 * 3600)
EXAMPLES = settings(max_examples=200, deadline=None, database=None)


@EXAMPLES
@given(CALENDARS, MOMENTS, AMOUNTS, AMOUNTS)
def test_adding_more_business_time_never_gives_an_earlier_moment(cal, start, a, b) -> None:  # type: ignore[no-untyped-def]
    small, large = sorted((a, b))
    assert cal.add_business_seconds(start, small) <= cal.add_business_seconds(start, large)


@EXAMPLES
@given(CALENDARS, MOMENTS, MOMENTS, AMOUNTS)
def test_a_later_start_never_gives_an_earlier_deadline(cal, one, two, amount) -> None:  # type: ignore[no-untyped-def]
    early, late = sorted((one, two))
    assert cal.add_business_seconds(early, amount) <= cal.add_business_seconds(late, amount)


@EXAMPLES
@given(CALENDARS, MOMENTS, AMOUNTS)
def test_adding_then_measuring_round_trips(cal, start, amount) -> None:  # type: ignore[no-untyped-def]
    due = cal.add_business_seconds(start, amount)
    assert due >= start.replace(microsecond=0)
    assert cal.business_seconds(start, due) == amount


@EXAMPLES
@given(CALENDARS, MOMENTS, st.integers(min_value=0, max_value=90 * 24 * 3600))
def test_business_time_never_exceeds_wall_time_and_segments_add_up(cal, start, span) -> None:  # type: ignore[no-untyped-def]
    end = start + timedelta(seconds=span)
    counted = cal.business_seconds(start, end)
    assert 0 <= counted <= span + 1
    assert sum(segment.seconds for segment in cal.working_segments(start, end)) == counted


@EXAMPLES
@given(CALENDARS, MOMENTS, MOMENTS, MOMENTS)
def test_measuring_is_additive(cal, one, two, three) -> None:  # type: ignore[no-untyped-def]
    a, b, c = sorted((one, two, three))
    assert cal.business_seconds(a, c) == cal.business_seconds(a, b) + cal.business_seconds(b, c)


STAGE_NAMES = st.sampled_from(["investigating", "awaiting_customer", "awaiting_engineering", "resolved"])
STAGE_CHANGES = st.lists(
    st.tuples(st.integers(min_value=1, max_value=20 * 24 * 3600), STAGE_NAMES), max_size=6
)
OPENED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _resolution(changes: list[tuple[int, str]], now: datetime, *, pausing: bool):  # type: ignore[no-untyped-def]
    facts = [created(OPENED), stage(OPENED, "investigating")]
    facts += [stage(OPENED + timedelta(seconds=offset), name) for offset, name in changes]
    pauses = (PauseRule("resolution", ("awaiting_customer",)),) if pausing else ()
    plan = policy(target("resolution", 40 * 60))
    clocks = compute_clocks(timeline(*facts), cycle(OPENED, plan), pauses, now, explain=False)
    return clocks.clocks[0]


@EXAMPLES
@given(STAGE_CHANGES, st.integers(min_value=0, max_value=30 * 24 * 3600), st.integers(0, 5 * 24 * 3600))
def test_pauses_never_shorten_elapsed_time(changes, offset, later) -> None:  # type: ignore[no-untyped-def]
    now = OPENED + timedelta(seconds=offset)
    earlier = _resolution(changes, now, pausing=True)
    after = _resolution(changes, now + timedelta(seconds=later), pausing=True)
    assert after.elapsed_seconds >= earlier.elapsed_seconds
    unpaused = _resolution(changes, now, pausing=False)
    assert unpaused.elapsed_seconds >= earlier.elapsed_seconds
    if earlier.due_at is not None and unpaused.due_at is not None:
        assert earlier.due_at >= unpaused.due_at  # a pause can only push the deadline out


KINDS = st.sampled_from(["customer", "reply", "awaiting_customer", "investigating", "resolved"])
EVENTS = st.lists(st.tuples(st.integers(min_value=0, max_value=10 * 24 * 3600), KINDS), max_size=8)


@EXAMPLES
@given(EVENTS, st.integers(min_value=0, max_value=15 * 24 * 3600), st.sampled_from(["urgent", "normal"]))
def test_next_deadline_agrees_with_the_soonest_running_clock(events, offset, priority) -> None:  # type: ignore[no-untyped-def]
    makers = {"customer": customer, "reply": reply}
    facts = [created(OPENED), customer(OPENED), stage(OPENED, "investigating")]
    for seconds, kind in events:
        at = OPENED + timedelta(seconds=seconds)
        facts.append(makers[kind](at) if kind in makers else stage(at, kind))
    plan = policy(
        target("first_reply", 30, priority="urgent"),
        target("first_reply", 240),
        target("next_reply", 120),
        target("periodic_update", 600, business=False),
        target("resolution", 2400),
        target("time_in_stage", 300, stage="investigating"),
        warning_percent=75,
        warning_minutes=45,
    )
    case, snapshot = timeline(*facts, priority=priority), cycle(OPENED, plan)
    now = OPENED + timedelta(seconds=offset)
    pauses = (
        PauseRule("next_reply", ("awaiting_customer",)),
        PauseRule("resolution", ("awaiting_customer",)),
    )
    soonest = compute_clocks(case, snapshot, pauses, now, explain=False).next_due
    expected = None if soonest is None else (soonest.due_at, soonest.warning_at, soonest.metric)
    assert next_deadline(case, snapshot, pauses, now) == expected
