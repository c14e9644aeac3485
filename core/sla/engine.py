"""The clock engine: a case's event log + its cycle's policy → every clock, to the second, with why.

Pure: no database. For each metric with a target for the case's priority, :mod:`core.sla.metrics`
says when its current instance started, stopped, paused and reset; this module measures that
window against the calendar (business hours) or the wall clock (calendar time): counted time,
deadline, warning, state, risk and breach ladder. ``explain=False`` skips the segments and the
explanation text (what a bulk refresh of every open case wants).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from core.config.sla_model import PauseRule, SlaPolicy, SlaTarget
from core.sla.calendar import WALL_CLOCK, BusinessCalendar, WallClock, calendar_for, from_epoch, to_epoch
from core.sla.explain import explanation
from core.sla.metrics import (
    CycleFacts,
    Window,
    first_reply_window,
    next_reply_window,
    periodic_update_window,
    resolution_window,
    time_in_stage_window,
)
from core.sla.types import (
    CaseClocks,
    CaseTimeline,
    Clock,
    ClockState,
    CycleSnapshot,
    Metric,
    Pause,
    Reset,
    Risk,
    Segment,
)

Counter = BusinessCalendar | WallClock
WindowFor = Callable[[CycleFacts, frozenset[str]], Window | None]

_WINDOWS: dict[Metric, tuple[str, WindowFor]] = {
    Metric.FIRST_REPLY: ("First reply", first_reply_window),
    Metric.NEXT_REPLY: ("Next reply", next_reply_window),
    Metric.PERIODIC_UPDATE: ("Periodic update", periodic_update_window),
    Metric.RESOLUTION: ("Resolution", resolution_window),
}
_ORDER = {metric.value: position for position, metric in enumerate(Metric)}
_NO_STAGES: frozenset[str] = frozenset()


class _Plan(NamedTuple):
    """One target of a policy, read once: what the clock needs besides the case's facts."""

    target: SlaTarget
    metric: Metric
    label: str
    window_for: WindowFor | None  # None: time in ``target.stage``
    seconds: int
    warning_goal: int | None  # counted seconds at which the warning starts
    ladder: tuple[tuple[int, tuple[str, ...]], ...]  # (seconds past the deadline, actions)


_PLANS: dict[tuple[int, str], tuple[SlaPolicy, tuple[_Plan, ...]]] = {}
_PAUSES: dict[int, tuple[Sequence[PauseRule], dict[str, frozenset[str]]]] = {}


def targets_for(policy: SlaPolicy, priority: str) -> tuple[SlaTarget, ...]:
    """The policy's target per metric (and per stage for time in stage) for ``priority``, in metric order.

    A target naming the priority wins over one for every priority (``""``).
    """
    chosen: dict[tuple[str, str], SlaTarget] = {}
    for wanted in (priority, ""):
        for target in policy.targets:
            if target.metric not in _ORDER or (target.metric == Metric.TIME_IN_STAGE and not target.stage):
                continue
            key = (target.metric, target.stage if target.metric == Metric.TIME_IN_STAGE else "")
            if target.priority == wanted and key not in chosen:
                chosen[key] = target
    return tuple(chosen[key] for key in sorted(chosen, key=lambda key: (_ORDER[key[0]], key[1])))


def _warning_goal(policy: SlaPolicy, target_seconds: int) -> int | None:
    goals = []
    if 0 < policy.warning_percent < 100:
        goals.append(-(-target_seconds * policy.warning_percent // 100))
    if policy.warning_minutes > 0:
        goals.append(max(0, target_seconds - policy.warning_minutes * 60))
    return min(goals) if goals else None


def _plans(policy: SlaPolicy, priority: str) -> tuple[_Plan, ...]:
    cached = _PLANS.get((id(policy), priority))
    if cached is not None and cached[0] is policy:
        return cached[1]
    ladder = tuple(sorted((level.after_minutes * 60, level.actions) for level in policy.breach_levels))
    plans = []
    for target in targets_for(policy, priority):
        metric = Metric(target.metric)
        if metric is Metric.TIME_IN_STAGE:
            label, window_for = f"Time in {target.stage.replace('_', ' ').capitalize()}", None
        else:
            label, window_for = _WINDOWS[metric]
        seconds = target.minutes * 60
        plans.append(
            _Plan(target, metric, label, window_for, seconds, _warning_goal(policy, seconds), ladder)
        )
    if len(_PLANS) > 1024:
        _PLANS.clear()
    _PLANS[(id(policy), priority)] = (policy, tuple(plans))
    return tuple(plans)


def _pausing(pauses: Sequence[PauseRule]) -> dict[str, frozenset[str]]:
    cached = _PAUSES.get(id(pauses))
    if cached is not None and cached[0] is pauses:
        return cached[1]
    stages: dict[str, set[str]] = {}
    for rule in pauses:
        stages.setdefault(rule.metric, set()).update(rule.stages)
    found = {metric: frozenset(names) for metric, names in stages.items()}
    if len(_PAUSES) > 64:
        _PAUSES.clear()
    _PAUSES[id(pauses)] = (pauses, found)
    return found


class _Measure:
    """The counted time of a window (outside its pauses) and the moments it reaches given amounts."""

    __slots__ = ("counted", "counter", "counts", "end", "paused", "runs", "start")

    def __init__(self, window: Window, counter: Counter, now: int) -> None:
        end = self.end = window.stop if window.stop is not None else now
        self.start = cursor = window.start
        self.counter = counter
        self.paused = False
        if window.pauses:
            runs: list[tuple[int, int]] = []
            for start, stop, _ in window.pauses:
                if start > cursor:
                    runs.append((cursor, min(start, end)))
                cursor = end if stop is None else max(cursor, stop)
            if cursor < end:
                runs.append((cursor, end))
            self.paused = window.stop is None and window.pauses[-1][1] is None
        else:
            runs = [(cursor, end)] if cursor < end else []
        self.runs = runs
        self.counts = [counter.count(a, b) for a, b in runs]
        self.counted = sum(self.counts)

    def reaches(self, goal: int, project: bool) -> int | None:
        """When the counted time reaches ``goal`` (projected past the end while the clock runs)."""
        if goal <= 0:
            return self.start
        if goal <= self.counted:
            before = 0
            for index, count in enumerate(self.counts):
                if before + count >= goal:
                    return self.counter.add(self.runs[index][0], goal - before)
                before += count
        if self.paused or not project:
            return None
        return self.counter.add(self.end, goal - self.counted)


def _ladder(plan: _Plan, overtime: int, stopped: bool) -> tuple[int, tuple[str, ...]]:
    if overtime < 0 or (stopped and overtime == 0):
        return 0, ()
    reached = [actions for after, actions in plan.ladder if overtime >= after]
    if stopped or not reached:
        return len(reached), ()
    if len(reached) == 1:
        return 1, reached[0]
    return len(reached), tuple(dict.fromkeys(action for actions in reached for action in actions))


def _segments(measure: _Measure, due: int | None, running: bool) -> tuple[Segment, ...]:
    counter = measure.counter
    found = [
        Segment(from_epoch(a), from_epoch(b)) for run in measure.runs for a, b in counter.stretches(*run)
    ]
    if running and due is not None and due > measure.end:
        found.extend(
            Segment(from_epoch(a), from_epoch(b), projected=True)
            for a, b in counter.stretches(measure.end, due)
        )
    return tuple(found)


def _clock(plan: _Plan, window: Window, facts: CycleFacts, counter: Counter, explain: bool) -> Clock:
    seconds = plan.seconds
    metric = plan.metric
    measure = _Measure(window, counter, facts.now)
    counted = measure.counted
    stopped = window.stop is not None
    due = measure.reaches(seconds, True)
    goal = plan.warning_goal
    warning = None if goal is None else measure.reaches(goal, not stopped)
    if stopped:
        state = ClockState.MET if counted <= seconds else ClockState.MISSED
        risk = Risk.NONE
    else:
        if measure.paused:
            state = ClockState.PAUSED
        else:
            state = ClockState.BREACHED if counted >= seconds else ClockState.RUNNING
        if counted >= seconds:
            risk = Risk.BREACHED
        elif goal is not None and counted >= goal:
            risk = Risk.WARNING
        else:
            risk = Risk.OK
    level, actions = _ladder(plan, counted - seconds, stopped)
    pauses = (
        tuple(
            Pause(
                metric,
                from_epoch(a),
                None if b is None else from_epoch(b),
                reason,
                facts.customer_wrote(a, b),
            )
            for a, b, reason in window.pauses
        )
        if window.pauses
        else ()
    )
    resets = (
        tuple(Reset(metric, from_epoch(at), reason) for at, reason in window.resets) if window.resets else ()
    )
    running = state is ClockState.RUNNING or state is ClockState.BREACHED
    return Clock(
        metric=metric,
        label=plan.label,
        state=state,
        risk=risk,
        target_seconds=seconds,
        business_hours=plan.target.business_hours,
        started_at=from_epoch(window.start),
        due_at=None if due is None else from_epoch(due),
        warning_at=None if warning is None else from_epoch(warning),
        stopped_at=None if window.stop is None else from_epoch(window.stop),
        elapsed_seconds=counted,
        remaining_seconds=seconds - counted,
        breach_level=level,
        breach_actions=actions,
        segments=_segments(measure, due, running) if explain else (),
        pauses=pauses,
        resets=resets,
    )


def _earlier_summary(
    window: Window, target: SlaTarget, facts: CycleFacts, counter: Counter, pausing: frozenset[str]
) -> list[str]:
    if not window.earlier:
        return []
    met = missed = 0
    for start, stop in window.earlier:
        earlier = Window(start, stop, facts.pauses(pausing, start, stop))
        if _Measure(earlier, counter, facts.now).counted <= target.minutes * 60:
            met += 1
        else:
            missed += 1
    return [f"earlier in this cycle: {met} met, {missed} missed"]


def _windows(
    timeline: CaseTimeline, cycle: CycleSnapshot, pauses: Sequence[PauseRule], now: int
) -> Iterator[tuple[_Plan, Window, CycleFacts, Counter, frozenset[str]]]:
    """Each target of the cycle's policy with its metric's current window (metrics with none are left out).

    ``now`` in UTC epoch seconds.
    """
    calendar = calendar_for(cycle.calendar)
    facts = CycleFacts(timeline, cycle.start, now)
    pausing = _pausing(pauses)
    for plan in _plans(cycle.policy, timeline.priority):
        counter: Counter = calendar if plan.target.business_hours else WALL_CLOCK
        stages = pausing.get(plan.metric, _NO_STAGES)
        if plan.window_for is None:
            window = time_in_stage_window(facts, plan.target.stage)
        else:
            window = plan.window_for(facts, stages)
        if window is not None:
            yield plan, window, facts, counter, stages


def next_deadline(
    timeline: CaseTimeline, cycle: CycleSnapshot | None, pauses: Sequence[PauseRule], now: datetime
) -> tuple[datetime, datetime | None, Metric] | None:
    """The running clock due soonest as (due, warning, metric): what :attr:`CaseClocks.next_due` says,
    without building the clocks (for refreshing the stored deadlines of many cases)."""
    soonest = soonest_deadline(timeline, cycle, pauses, to_epoch(now))
    if soonest is None:
        return None
    due, warning, metric = soonest
    return from_epoch(due), None if warning is None else from_epoch(warning), metric


def soonest_deadline(
    timeline: CaseTimeline, cycle: CycleSnapshot | None, pauses: Sequence[PauseRule], now: int
) -> tuple[int, int | None, Metric] | None:
    """:func:`next_deadline` in UTC epoch seconds (``now`` too): what a bulk refresh compares and stores.

    The same windows as :func:`compute_clocks` measures, walked inline: this runs for every
    open case of a workspace when its SLA settings change.
    """
    if cycle is None:
        return None
    calendar = calendar_for(cycle.calendar)
    facts = CycleFacts(timeline, cycle.start, now)
    pausing = _pausing(pauses)
    best: tuple[int, int | None, Metric] | None = None
    for plan in _plans(cycle.policy, timeline.priority):
        window_for = plan.window_for
        if window_for is None:
            window = time_in_stage_window(facts, plan.target.stage)
        else:
            window = window_for(facts, pausing.get(plan.metric, _NO_STAGES))
        if window is None or window.stop is not None:
            continue
        counter: Counter = calendar if plan.target.business_hours else WALL_CLOCK
        goal = plan.warning_goal
        if window.pauses:
            if window.pauses[-1][1] is None:
                continue  # paused now: no deadline runs
            measure = _Measure(window, counter, now)
            due = measure.reaches(plan.seconds, True)
            if due is not None and (best is None or due < best[0]):
                best = (due, None if goal is None else measure.reaches(goal, True), plan.metric)
        else:
            # Never paused: counting from the start to now and on past it is counting from the start.
            due = counter.add(window.start, plan.seconds)
            if best is None or due < best[0]:
                best = (due, None if goal is None else counter.add(window.start, goal), plan.metric)
    return best


def compute_clocks(
    timeline: CaseTimeline,
    cycle: CycleSnapshot | None,
    pauses: Sequence[PauseRule],
    now: datetime,
    *,
    explain: bool = True,
) -> CaseClocks:
    """Every clock of the case's current cycle at ``now`` (no clocks when ``cycle`` is None).

    ``explain=False`` leaves out the counted segments and the explanation (faster, for bulk refreshes).
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if cycle is None:
        return CaseClocks(
            case_id=timeline.case_id,
            number=timeline.number,
            policy_key="",
            policy_name="",
            policy_version="",
            calendar_key="",
            cycle_started_at=None,
            clocks=(),
            pause_ledger=(),
            computed_at=now,
            explanation=("No SLA policy applies to this case.",) if explain else (),
        )
    policy = cycle.policy
    clocks: list[Clock] = []
    extras: dict[Metric, list[str]] = {}
    for plan, window, facts, counter, stages in _windows(timeline, cycle, pauses, to_epoch(now)):
        clocks.append(_clock(plan, window, facts, counter, explain))
        if explain and window.earlier:
            extras[plan.metric] = _earlier_summary(window, plan.target, facts, counter, stages)
    ledger = [pause for clock in clocks for pause in clock.pauses]
    if len(ledger) > 1:
        ledger.sort(key=lambda pause: (pause.start, pause.metric))
    return CaseClocks(
        case_id=timeline.case_id,
        number=timeline.number,
        policy_key=policy.key,
        policy_name=policy.name,
        policy_version=cycle.version,
        calendar_key=cycle.calendar.key,
        cycle_started_at=cycle.started_at,
        clocks=tuple(clocks),
        pause_ledger=tuple(ledger),
        computed_at=now,
        explanation=explanation(
            (policy.name, policy.key, cycle.version),
            cycle.calendar,
            calendar_for(cycle.calendar).zone,
            cycle.started_at,
            clocks,
            extras,
        )
        if explain
        else (),
    )


def compute_many(
    cases: Iterable[tuple[CaseTimeline, CycleSnapshot | None]],
    pauses: Sequence[PauseRule],
    now: datetime,
    *,
    explain: bool = False,
) -> list[CaseClocks]:
    """:func:`compute_clocks` for many cases at once (a bulk refresh), without explanations by default.

    The cyclic garbage collector is held meanwhile: the clocks are plain values with no cycles,
    and collections triggered by so many new objects would otherwise cost a third of the time.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return [compute_clocks(timeline, cycle, pauses, now, explain=explain) for timeline, cycle in cases]
    finally:
        if collecting:
            gc.enable()
