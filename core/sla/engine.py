"""The clock engine: a case's event log + its cycle's policy → every clock, to the second, with why.

Pure: no database. For each metric with a target for the case's priority, :mod:`core.sla.metrics`
says when its current instance started, stopped, paused and reset; this module measures that
window against the calendar (business hours) or the wall clock (calendar time): counted time,
deadline, warning, state, risk and breach ladder. ``explain=False`` skips the segments and the
explanation text (what a bulk refresh of every open case wants).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

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

_TARGETS: dict[tuple[int, str], tuple[SlaPolicy, tuple[SlaTarget, ...]]] = {}
_PAUSES: dict[int, tuple[Sequence[PauseRule], dict[str, frozenset[str]]]] = {}


def targets_for(policy: SlaPolicy, priority: str) -> tuple[SlaTarget, ...]:
    """The policy's target per metric (and per stage for time in stage) for ``priority``, in metric order.

    A target naming the priority wins over one for every priority (``""``).
    """
    cached = _TARGETS.get((id(policy), priority))
    if cached is not None and cached[0] is policy:
        return cached[1]
    chosen: dict[tuple[str, str], SlaTarget] = {}
    for wanted in (priority, ""):
        for target in policy.targets:
            if target.metric not in _ORDER or (target.metric == Metric.TIME_IN_STAGE and not target.stage):
                continue
            key = (target.metric, target.stage if target.metric == Metric.TIME_IN_STAGE else "")
            if target.priority == wanted and key not in chosen:
                chosen[key] = target
    found = tuple(chosen[key] for key in sorted(chosen, key=lambda key: (_ORDER[key[0]], key[1])))
    if len(_TARGETS) > 1024:
        _TARGETS.clear()
    _TARGETS[(id(policy), priority)] = (policy, found)
    return found


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


def _runs(window: Window, end: int) -> list[tuple[int, int]]:
    """The stretches of the window outside its pauses."""
    runs: list[tuple[int, int]] = []
    cursor = window.start
    for start, stop, _ in window.pauses:
        if start > cursor:
            runs.append((cursor, min(start, end)))
        cursor = end if stop is None else max(cursor, stop)
    if cursor < end:
        runs.append((cursor, end))
    return runs


class _Measure:
    """The counted time of a window and the moments it reaches given amounts."""

    def __init__(self, window: Window, counter: Counter, now: int) -> None:
        self.end = window.stop if window.stop is not None else now
        self.runs = _runs(window, self.end)
        self.counts = [counter.count(a, b) for a, b in self.runs]
        self.counted = sum(self.counts)
        self.counter = counter
        self.start = window.start
        self.paused = window.stop is None and bool(window.pauses) and window.pauses[-1][1] is None

    def reaches(self, goal: int, *, project: bool) -> int | None:
        """When the counted time reaches ``goal`` (projected past the end while the clock runs)."""
        if goal <= 0:
            return self.start
        before = 0
        for (start, _), count in zip(self.runs, self.counts, strict=True):
            if before + count >= goal:
                return self.counter.add(start, goal - before)
            before += count
        if self.paused or not project:
            return None
        return self.counter.add(self.end, goal - self.counted)


def _warning_goal(policy: SlaPolicy, target_seconds: int) -> int | None:
    goals = []
    if 0 < policy.warning_percent < 100:
        goals.append(-(-target_seconds * policy.warning_percent // 100))
    if policy.warning_minutes > 0:
        goals.append(max(0, target_seconds - policy.warning_minutes * 60))
    return min(goals) if goals else None


def _ladder(policy: SlaPolicy, overtime: int, stopped: bool) -> tuple[int, tuple[str, ...]]:
    if overtime < 0 or (stopped and overtime == 0):
        return 0, ()
    reached = [level for level in policy.breach_levels if overtime >= level.after_minutes * 60]
    if stopped:
        return len(reached), ()
    actions = dict.fromkeys(action for level in reached for action in level.actions)
    return len(reached), tuple(actions)


def _state(window: Window, measure: _Measure, target_seconds: int) -> ClockState:
    if window.stop is not None:
        return ClockState.MET if measure.counted <= target_seconds else ClockState.MISSED
    if measure.paused:
        return ClockState.PAUSED
    return ClockState.BREACHED if measure.counted >= target_seconds else ClockState.RUNNING


def _segments(measure: _Measure, due: int | None, running: bool) -> tuple[Segment, ...]:
    found = [
        Segment(from_epoch(a), from_epoch(b))
        for run in measure.runs
        for a, b in measure.counter.stretches(*run)
    ]
    if running and due is not None and due > measure.end:
        found.extend(
            Segment(from_epoch(a), from_epoch(b), projected=True)
            for a, b in measure.counter.stretches(measure.end, due)
        )
    return tuple(found)


def _clock(
    metric: Metric,
    label: str,
    target: SlaTarget,
    window: Window,
    facts: CycleFacts,
    counter: Counter,
    policy: SlaPolicy,
    explain: bool,
) -> Clock:
    target_seconds = target.minutes * 60
    measure = _Measure(window, counter, facts.now)
    state = _state(window, measure, target_seconds)
    stopped = window.stop is not None
    due = measure.reaches(target_seconds, project=True)
    warning_goal = _warning_goal(policy, target_seconds)
    warning = None if warning_goal is None else measure.reaches(warning_goal, project=not stopped)
    if stopped:
        risk = Risk.NONE
    elif measure.counted >= target_seconds:
        risk = Risk.BREACHED
    elif warning_goal is not None and measure.counted >= warning_goal:
        risk = Risk.WARNING
    else:
        risk = Risk.OK
    level, actions = _ladder(policy, measure.counted - target_seconds, stopped)
    pauses = tuple(
        Pause(metric, from_epoch(a), None if b is None else from_epoch(b), reason, facts.customer_wrote(a, b))
        for a, b, reason in window.pauses
    )
    return Clock(
        metric=metric,
        label=label,
        state=state,
        risk=risk,
        target_seconds=target_seconds,
        business_hours=target.business_hours,
        started_at=from_epoch(window.start),
        due_at=None if due is None else from_epoch(due),
        warning_at=None if warning is None else from_epoch(warning),
        stopped_at=None if window.stop is None else from_epoch(window.stop),
        elapsed_seconds=measure.counted,
        remaining_seconds=target_seconds - measure.counted,
        breach_level=level,
        breach_actions=actions,
        segments=_segments(measure, due, state in (ClockState.RUNNING, ClockState.BREACHED))
        if explain
        else (),
        pauses=pauses,
        resets=tuple(Reset(metric, from_epoch(at), reason) for at, reason in window.resets),
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


def _stage_label(stage: str) -> str:
    return f"Time in {stage.replace('_', ' ').capitalize()}"


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
    calendar = calendar_for(cycle.calendar)
    facts = CycleFacts(timeline, to_epoch(cycle.started_at), to_epoch(now))
    pausing = _pausing(pauses)
    clocks: list[Clock] = []
    extras: dict[Metric, list[str]] = {}
    for target in targets_for(policy, timeline.priority):
        metric = Metric(target.metric)
        counter: Counter = calendar if target.business_hours else WALL_CLOCK
        if metric is Metric.TIME_IN_STAGE:
            label, window = _stage_label(target.stage), time_in_stage_window(facts, target.stage)
        else:
            label, window_for = _WINDOWS[metric]
            window = window_for(facts, pausing.get(metric, _NO_STAGES))
        if window is None:
            continue
        clocks.append(_clock(metric, label, target, window, facts, counter, policy, explain))
        if explain and window.earlier:
            extras[metric] = _earlier_summary(window, target, facts, counter, pausing.get(metric, _NO_STAGES))
    ledger = tuple(sorted((p for clock in clocks for p in clock.pauses), key=lambda p: (p.start, p.metric)))
    return CaseClocks(
        case_id=timeline.case_id,
        number=timeline.number,
        policy_key=policy.key,
        policy_name=policy.name,
        policy_version=cycle.version,
        calendar_key=cycle.calendar.key,
        cycle_started_at=cycle.started_at,
        clocks=tuple(clocks),
        pause_ledger=ledger,
        computed_at=now,
        explanation=explanation(
            (policy.name, policy.key, cycle.version),
            cycle.calendar,
            calendar.zone,
            cycle.started_at,
            clocks,
            extras,
        )
        if explain
        else (),
    )
