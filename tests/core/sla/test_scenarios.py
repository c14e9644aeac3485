"""The named SLA scenarios of the reference, each its own test; times are written with their zone."""

from __future__ import annotations

import gc
from datetime import UTC, timedelta

from core.config.sla_model import BreachLevel, PauseRule
from core.sla.engine import compute_clocks, compute_many
from core.sla.types import CaseClocks, Clock, ClockState, Metric, Risk
from tests.core.sla.builders import (
    AWAITING_PAUSES,
    BERLIN,
    berlin,
    calendar_settings,
    created,
    customer,
    cycle,
    escalated,
    policy,
    reply,
    stage,
    target,
    timeline,
)

HOUR = 3600


def clock_of(clocks: CaseClocks, metric: Metric) -> Clock:
    return next(clock for clock in clocks.clocks if clock.metric is metric)


def test_one_business_hour_on_friday_1630_breaches_monday_0930() -> None:
    opened = berlin(2026, 11, 27, 16, 30)
    case = timeline(created(opened), customer(opened))
    plan = policy(target("first_reply", 60))
    friday = compute_clocks(case, cycle(opened, plan), (), berlin(2026, 11, 27, 18, 0))
    first = clock_of(friday, Metric.FIRST_REPLY)
    assert first.due_at == berlin(2026, 11, 30, 9, 30)
    assert first.due_at is not None and first.due_at.tzinfo is UTC
    assert (first.state, first.elapsed_seconds, first.remaining_seconds) == (ClockState.RUNNING, 1800, 1800)
    monday = compute_clocks(case, cycle(opened, plan), (), berlin(2026, 11, 30, 9, 31))
    late = clock_of(monday, Metric.FIRST_REPLY)
    assert (late.state, late.risk, late.remaining_seconds) == (ClockState.BREACHED, Risk.BREACHED, -60)
    assert "  due Mon 2026-11-30 09:30:00 +01:00" in friday.explanation
    assert "    counted Fri 2026-11-27 16:30:00 +01:00 – 17:00:00 (30 min)" in friday.explanation


def test_zendesk_first_reply_on_an_agent_created_ticket_stops_at_the_second_public_comment() -> None:
    opened = berlin(2026, 11, 24, 10, 0)
    case = timeline(
        created(opened, by_agent=True),
        stage(opened, "investigating"),
        reply(opened),  # the agent's opening comment: not a first reply
        customer(berlin(2026, 11, 24, 11, 0)),
        reply(berlin(2026, 11, 24, 12, 30)),
    )
    clocks = compute_clocks(
        case, cycle(opened, policy(target("first_reply", 4 * 60))), (), berlin(2026, 11, 24, 15)
    )
    first = clock_of(clocks, Metric.FIRST_REPLY)
    assert first.state is ClockState.MET
    assert first.stopped_at == berlin(2026, 11, 24, 12, 30)
    assert first.elapsed_seconds == 150 * 60


def test_a_customer_created_ticket_stops_first_reply_at_the_first_public_comment() -> None:
    opened = berlin(2026, 11, 24, 10, 0)
    case = timeline(created(opened), customer(opened), reply(berlin(2026, 11, 24, 10, 20)))
    clocks = compute_clocks(
        case, cycle(opened, policy(target("first_reply", 60))), (), berlin(2026, 11, 24, 15)
    )
    assert clock_of(clocks, Metric.FIRST_REPLY).stopped_at == berlin(2026, 11, 24, 10, 20)


def test_next_reply_runs_from_the_oldest_unanswered_customer_message() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    case = timeline(
        created(opened),
        customer(opened),
        reply(berlin(2026, 11, 24, 9, 30)),
        customer(berlin(2026, 11, 24, 10, 0)),  # the oldest unanswered
        customer(berlin(2026, 11, 24, 11, 0)),
    )
    clocks = compute_clocks(
        case, cycle(opened, policy(target("next_reply", 2 * 60))), (), berlin(2026, 11, 24, 11, 30)
    )
    following = clock_of(clocks, Metric.NEXT_REPLY)
    assert following.started_at == berlin(2026, 11, 24, 10, 0)
    assert following.due_at == berlin(2026, 11, 24, 12, 0)
    assert following.state is ClockState.RUNNING


def test_next_reply_waits_for_the_next_customer_message_after_an_answer() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    facts = [
        created(opened),
        customer(opened),
        reply(berlin(2026, 11, 24, 9, 30)),
        customer(berlin(2026, 11, 24, 10, 0)),
        reply(berlin(2026, 11, 24, 13, 0)),  # 3 h: missed
    ]
    plan = policy(target("next_reply", 2 * 60))
    answered = compute_clocks(timeline(*facts), cycle(opened, plan), (), berlin(2026, 11, 24, 14))
    assert clock_of(answered, Metric.NEXT_REPLY).state is ClockState.MISSED
    facts.append(customer(berlin(2026, 11, 24, 15, 0)))
    waiting = compute_clocks(timeline(*facts), cycle(opened, plan), (), berlin(2026, 11, 24, 15, 30))
    current = clock_of(waiting, Metric.NEXT_REPLY)
    assert (current.state, current.started_at) == (ClockState.RUNNING, berlin(2026, 11, 24, 15, 0))
    assert "  earlier in this cycle: 0 met, 1 missed" in waiting.explanation


def test_a_lunch_break_frame_moves_the_deadline_past_lunch() -> None:
    opened = berlin(2026, 11, 25, 11, 30)
    lunch = calendar_settings("mon-fri 09:00-12:00", "mon-fri 13:00-17:00")
    clocks = compute_clocks(
        timeline(created(opened)), cycle(opened, policy(target("first_reply", 60)), lunch), (), opened
    )
    assert clock_of(clocks, Metric.FIRST_REPLY).due_at == berlin(2026, 11, 25, 13, 30)


def test_a_holiday_pushes_the_deadline_to_the_next_working_day() -> None:
    opened = berlin(2026, 12, 23, 16, 30)
    christmas = calendar_settings(holidays=("2026-12-24 Christmas Eve",), country="DE")
    clocks = compute_clocks(
        timeline(created(opened)), cycle(opened, policy(target("first_reply", 60)), christmas), (), opened
    )
    assert clock_of(clocks, Metric.FIRST_REPLY).due_at == berlin(2026, 12, 28, 9, 30)


def test_a_dst_change_keeps_the_office_hours_local_in_spring_and_autumn() -> None:
    spring = berlin(2026, 3, 27, 16, 0)  # Friday before the last Sunday of March
    autumn = berlin(2026, 10, 23, 16, 0)  # Friday before the last Sunday of October
    plan = policy(target("first_reply", 2 * 60), target("resolution", 48 * 60, business=False))
    for opened, offset in ((spring, "+02:00"), (autumn, "+01:00")):
        clocks = compute_clocks(timeline(created(opened)), cycle(opened, plan), (), opened)
        first = clock_of(clocks, Metric.FIRST_REPLY)
        assert first.due_at is not None
        assert first.due_at.astimezone(BERLIN).strftime("%a %H:%M") == "Mon 10:00"
        assert f"  due Mon {first.due_at.astimezone(BERLIN):%Y-%m-%d} 10:00:00 {offset}" in clocks.explanation
        # calendar time is 48 real hours whatever the wall clock does
        assert clock_of(clocks, Metric.RESOLUTION).due_at == opened.astimezone(UTC) + timedelta(hours=48)
    spring_due = compute_clocks(timeline(created(spring)), cycle(spring, plan), (), spring).clocks[1].due_at
    assert (
        spring_due is not None and spring_due.astimezone(BERLIN).hour == 17
    )  # 16:00 CET + 48 h = 17:00 CEST


def test_a_pause_that_resumes_adds_its_length_to_the_deadline() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    facts = [
        created(opened),
        stage(opened, "investigating"),
        stage(berlin(2026, 11, 24, 10, 0), "awaiting_customer"),
    ]
    plan = policy(target("resolution", 4 * 60))
    paused = compute_clocks(timeline(*facts), cycle(opened, plan), AWAITING_PAUSES, berlin(2026, 11, 24, 11))
    held = clock_of(paused, Metric.RESOLUTION)
    assert (held.state, held.due_at, held.elapsed_seconds) == (ClockState.PAUSED, None, HOUR)
    assert held.pauses[0].end is None and held.pauses[0].reason == "awaiting_customer"
    assert "  due: not while paused (the remaining time is kept)" in paused.explanation
    facts.append(stage(berlin(2026, 11, 24, 14, 0), "investigating"))
    resumed = compute_clocks(
        timeline(*facts), cycle(opened, plan), AWAITING_PAUSES, berlin(2026, 11, 24, 14, 30)
    )
    running = clock_of(resumed, Metric.RESOLUTION)
    assert running.state is ClockState.RUNNING
    assert running.due_at == berlin(2026, 11, 24, 17, 0)  # 1 h before the pause + 3 h after 14:00
    assert [(p.start, p.end) for p in resumed.pause_ledger] == [
        (berlin(2026, 11, 24, 10, 0), berlin(2026, 11, 24, 14, 0))
    ]


def test_a_reset_restarts_the_periodic_update_while_a_pause_only_holds_resolution() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    case = timeline(
        created(opened),
        stage(opened, "investigating"),
        reply(berlin(2026, 11, 24, 11, 0)),
        stage(berlin(2026, 11, 24, 11, 0), "awaiting_customer"),
    )
    plan = policy(target("periodic_update", 4 * 60), target("resolution", 8 * 60))
    clocks = compute_clocks(case, cycle(opened, plan), AWAITING_PAUSES, berlin(2026, 11, 24, 12, 0))
    update = clock_of(clocks, Metric.PERIODIC_UPDATE)
    assert update.state is ClockState.RUNNING  # waiting on the customer never pauses the update
    assert [r.at for r in update.resets] == [berlin(2026, 11, 24, 11, 0)]
    assert update.pauses == ()
    assert update.due_at == berlin(2026, 11, 24, 15, 0)
    resolution = clock_of(clocks, Metric.RESOLUTION)
    assert resolution.state is ClockState.PAUSED and resolution.resets == ()
    assert resolution.elapsed_seconds == 2 * HOUR
    assert "  reset Tue 2026-11-24 11:00:00 +01:00 (public reply)" in clocks.explanation


def test_a_reopened_case_resumes_resolution_and_records_the_resolved_time_as_a_pause() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    facts = [
        created(opened),
        stage(opened, "investigating"),
        stage(berlin(2026, 11, 24, 11, 0), "resolved"),
    ]
    plan = policy(target("resolution", 4 * 60))
    resolved = compute_clocks(timeline(*facts), cycle(opened, plan), (), berlin(2026, 11, 25, 9))
    done = clock_of(resolved, Metric.RESOLUTION)
    assert (done.state, done.stopped_at, done.risk) == (
        ClockState.MET,
        berlin(2026, 11, 24, 11, 0),
        Risk.NONE,
    )
    facts.append(stage(berlin(2026, 11, 25, 10, 0), "investigating"))
    reopened = compute_clocks(timeline(*facts), cycle(opened, plan), (), berlin(2026, 11, 25, 10, 30))
    again = clock_of(reopened, Metric.RESOLUTION)
    assert again.state is ClockState.RUNNING
    assert [(p.reason, p.start, p.end) for p in again.pauses] == [
        ("resolved", berlin(2026, 11, 24, 11, 0), berlin(2026, 11, 25, 10, 0))
    ]
    assert again.elapsed_seconds == 2 * HOUR + 30 * 60
    assert again.due_at == berlin(2026, 11, 25, 12, 0)  # 1 h 30 min left from 10:30


def test_a_re_escalation_starts_a_new_cycle() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    again = berlin(2026, 11, 25, 9, 0)
    case = timeline(created(opened), customer(opened), reply(berlin(2026, 11, 24, 9, 10)), escalated(again))
    clocks = compute_clocks(
        case, cycle(again, policy(target("first_reply", 60))), (), berlin(2026, 11, 25, 9, 20)
    )
    first = clock_of(clocks, Metric.FIRST_REPLY)
    assert (first.started_at, first.state, first.due_at) == (
        again,
        ClockState.RUNNING,
        berlin(2026, 11, 25, 10),
    )


def test_a_pause_during_which_the_customer_wrote_is_flagged() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    case = timeline(
        created(opened),
        customer(opened),
        reply(berlin(2026, 11, 24, 9, 30)),
        stage(berlin(2026, 11, 24, 9, 30), "awaiting_customer"),
        customer(berlin(2026, 11, 24, 10, 0)),
        stage(berlin(2026, 11, 24, 12, 0), "investigating"),
    )
    plan = policy(target("next_reply", 4 * 60), target("resolution", 16 * 60))
    clocks = compute_clocks(case, cycle(opened, plan), AWAITING_PAUSES, berlin(2026, 11, 24, 13))
    following = clock_of(clocks, Metric.NEXT_REPLY)
    assert following.pauses[0].customer_wrote
    assert following.elapsed_seconds == HOUR  # 12:00-13:00; the time awaiting the customer did not count
    ledger = {(p.metric, p.customer_wrote) for p in clocks.pause_ledger}
    assert ledger == {(Metric.NEXT_REPLY, True), (Metric.RESOLUTION, True)}
    assert any(line.endswith("customer wrote during this pause") for line in clocks.explanation)


def test_warning_comes_at_the_percentage_when_that_is_first() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    plan = policy(target("resolution", 8 * 60), warning_percent=50, warning_minutes=30)
    clocks = compute_clocks(timeline(created(opened)), cycle(opened, plan), (), berlin(2026, 11, 24, 13, 30))
    resolution = clock_of(clocks, Metric.RESOLUTION)
    assert resolution.warning_at == berlin(2026, 11, 24, 13, 0)
    assert resolution.risk is Risk.WARNING


def test_warning_comes_at_the_absolute_offset_when_that_is_first() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    plan = policy(target("first_reply", 60), warning_percent=90, warning_minutes=30)
    early = compute_clocks(timeline(created(opened)), cycle(opened, plan), (), berlin(2026, 11, 24, 9, 20))
    first = clock_of(early, Metric.FIRST_REPLY)
    assert first.warning_at == berlin(2026, 11, 24, 9, 30)
    assert first.risk is Risk.OK
    later = compute_clocks(timeline(created(opened)), cycle(opened, plan), (), berlin(2026, 11, 24, 9, 31))
    assert clock_of(later, Metric.FIRST_REPLY).risk is Risk.WARNING


def test_the_breach_ladder_climbs_with_time_past_the_deadline() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    ladder = (
        BreachLevel(0, ("notify",)),
        BreachLevel(60, ("notify", "raise_priority")),
        BreachLevel(240, ("recommend_escalation",)),
    )
    plan = policy(target("first_reply", 60), breach_levels=ladder)

    def at(hour: int, minute: int = 0) -> Clock:
        clocks = compute_clocks(
            timeline(created(opened)), cycle(opened, plan), (), berlin(2026, 11, 24, hour, minute)
        )
        return clock_of(clocks, Metric.FIRST_REPLY)

    assert (at(9, 59).breach_level, at(9, 59).breach_actions) == (0, ())
    assert (at(10).breach_level, at(10).breach_actions) == (1, ("notify",))
    assert (at(11, 30).breach_level, at(11, 30).breach_actions) == (2, ("notify", "raise_priority"))
    top = at(14)
    assert (top.breach_level, top.breach_actions) == (3, ("notify", "raise_priority", "recommend_escalation"))
    # over the night the ladder does not climb: business time past the deadline is what counts
    assert at(16, 59).breach_level == 3 and at(16, 59).state is ClockState.BREACHED


def test_time_in_stage_runs_while_in_the_stage_and_resets_on_each_entry() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    case = timeline(
        created(opened),
        stage(opened, "awaiting_engineering"),
        stage(berlin(2026, 11, 24, 10, 0), "investigating"),
        stage(berlin(2026, 11, 24, 11, 0), "awaiting_engineering"),
    )
    plan = policy(target("time_in_stage", 120, stage="awaiting_engineering"))
    clocks = compute_clocks(case, cycle(opened, plan), (), berlin(2026, 11, 24, 11, 30))
    waiting = clocks.clocks[0]
    assert waiting.label == "Time in Awaiting engineering"
    assert (waiting.started_at, waiting.due_at) == (berlin(2026, 11, 24, 11, 0), berlin(2026, 11, 24, 13, 0))
    assert [r.reason for r in waiting.resets] == ["entered awaiting_engineering"]


def test_a_target_for_the_priority_wins_over_one_for_every_priority() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    plan = policy(target("first_reply", 240), target("first_reply", 30, priority="urgent"))
    urgent = compute_clocks(timeline(created(opened), priority="urgent"), cycle(opened, plan), (), opened)
    normal = compute_clocks(timeline(created(opened), priority="normal"), cycle(opened, plan), (), opened)
    assert urgent.clocks[0].target_seconds == 30 * 60
    assert normal.clocks[0].target_seconds == 240 * 60


def test_the_explanation_names_policy_version_calendar_and_zone() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    snapshot = cycle(opened, policy(target("first_reply", 240)))
    clocks = compute_clocks(timeline(created(opened)), snapshot, (), opened)
    assert clocks.explanation[0] == f"Policy: Policy standard (standard), version {snapshot.version}"
    assert clocks.explanation[1] == "Calendar: Calendar office (office), time zone Europe/Berlin"
    assert "First reply: target 4 business hours, running" in clocks.explanation
    assert compute_clocks(timeline(created(opened)), snapshot, (), opened, explain=False).explanation == ()


def test_a_case_without_a_policy_has_no_clocks() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    clocks = compute_clocks(timeline(created(opened)), None, (PauseRule("resolution", ("x",)),), opened)
    assert clocks.clocks == () and clocks.risk is Risk.NONE and clocks.next_due is None


def test_compute_many_gives_every_case_its_clocks_without_explanations() -> None:
    opened = berlin(2026, 11, 24, 9, 0)
    plan = policy(target("first_reply", 60), target("resolution", 8 * 60))
    cases = [
        (timeline(created(opened + timedelta(minutes=n))), cycle(opened + timedelta(minutes=n), plan))
        for n in range(3)
    ]
    now = berlin(2026, 11, 24, 9, 30)
    many = compute_many(cases, (), now)
    assert [c.clocks for c in many] == [compute_clocks(t, s, (), now, explain=False).clocks for t, s in cases]
    assert [c.clocks[0].remaining_seconds for c in many] == [1800, 1860, 1920]
    assert all(c.explanation == () for c in many)
    assert gc.isenabled()
