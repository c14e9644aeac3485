"""What each metric's clock covers in a cycle: its start, stop, pauses and resets, from the case's facts.

Works on whole UTC epoch seconds. :class:`CycleFacts` reads the event log once (stages as
stretches, the public replies that count, customer messages); the ``*_window`` functions
turn it into a :class:`Window` per metric, which :mod:`core.sla.engine` then measures
against the calendar. Every metric stops when the case is resolved or closed; a reopen
resumes it and the time spent resolved is a pause (reason: that stage).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import partial
from typing import NamedTuple, cast

from core.domain.enums import Stage
from core.sla.types import CaseTimeline

DONE = frozenset({Stage.RESOLVED.value, Stage.CLOSED.value})

Interval = tuple[int, int | None, str]  # start, end (None: ongoing), reason


class StageStretch(NamedTuple):
    """The case sat in ``stage`` from ``start`` until ``end`` (None: still there)."""

    start: int
    end: int | None
    stage: str


# Made without the named tuple's Python-level constructor: a bulk refresh makes hundreds of thousands.
_new_stretch = cast(
    Callable[[tuple[int, int | None, str]], StageStretch], partial(tuple.__new__, StageStretch)
)


class Window:
    """One metric's current instance: when it started and stopped, and what paused or reset it."""

    __slots__ = ("earlier", "pauses", "resets", "start", "stop")

    def __init__(
        self,
        start: int,
        stop: int | None,
        pauses: Sequence[Interval] = (),
        resets: Sequence[tuple[int, str]] = (),
        earlier: Sequence[tuple[int, int]] = (),  # completed earlier instances
    ) -> None:
        self.start = start
        self.stop = stop
        self.pauses = pauses
        self.resets = resets
        self.earlier = earlier


class CycleFacts:
    """The facts of one cycle, read once: stage stretches, counting replies, customer messages."""

    def __init__(self, timeline: CaseTimeline, cycle_start: int, now: int) -> None:
        self.start = cycle_start
        self.now = now
        log = timeline.log
        stages = log.stage_changes
        if stages and stages[-1][0] > now:
            stages = stages[: bisect_right(stages, now, key=_moment)]
        replies = self.replies = _between(log.replies, cycle_start, now)
        self.messages = _between(log.messages, cycle_start, now)
        if replies and log.agent_opened and cycle_start <= log.created == replies[0]:
            del replies[0]  # Zendesk: an agent's opening comment is no reply
        stretches = self.stretches = _stretches(stages, timeline.stage, cycle_start)
        seen = self._stages_seen = frozenset([stretch[2] for stretch in stretches])
        self.done_since: int | None = None  # the case is resolved/closed now, since then
        self._reopened = False  # resolved or closed, then reopened (within the cycle)
        if seen.isdisjoint(DONE):
            return
        index = len(stretches)
        if stretches[-1].stage in DONE:
            index -= 1
            while index > 0 and stretches[index - 1].stage in DONE:
                index -= 1
            self.done_since = stretches[index].start
        self._reopened = any(stretch.stage in DONE for stretch in stretches[:index])

    def customer_wrote(self, start: int, end: int | None) -> bool:
        """Whether a customer message falls within ``[start, end]`` (end None: until now)."""
        index = bisect_left(self.messages, start)
        return index < len(self.messages) and self.messages[index] <= (self.now if end is None else end)

    def pauses(self, stages: frozenset[str], start: int, stop: int | None) -> list[Interval]:
        """The stretches within ``[start, stop)`` in a pausing stage or a resolved stage later reopened."""
        if not self._reopened and self._stages_seen.isdisjoint(stages):
            return []
        found: list[Interval] = []
        limit = self.now if stop is None else stop
        for stretch in self.stretches:
            if stretch.end is not None and stretch.end <= start:
                continue
            if stretch.start >= limit:
                break
            if stretch.stage not in stages and stretch.stage not in DONE:
                continue
            if stretch.stage in DONE and self.done_since is not None and stretch.start >= self.done_since:
                break  # the final resolution stops the clock rather than pausing it
            a = max(stretch.start, start)
            b = (None if stop is None else stop) if stretch.end is None else min(stretch.end, limit)
            if found and found[-1][1] == a and found[-1][2] in DONE and stretch.stage in DONE:
                found[-1] = (found[-1][0], b, found[-1][2])  # resolved then closed: one pause
            else:
                found.append((a, b, stretch.stage))
        return found

    def done_stop(self, start: int) -> int | None:
        """When the clock stops because the case is resolved/closed now (never before ``start``)."""
        return None if self.done_since is None else max(self.done_since, start)

    @property
    def first_reply(self) -> int | None:
        return self.replies[0] if self.replies else None


def _moment(change: tuple[int, str]) -> int:
    return change[0]


def _between(moments: Sequence[int], start: int, end: int) -> list[int]:
    """The sorted ``moments`` within ``[start, end]`` (a new list)."""
    if not moments:
        return []
    if moments[0] >= start and moments[-1] <= end:
        return list(moments)
    return list(moments[bisect_left(moments, start) : bisect_right(moments, end)])


def _stretches(changes: Sequence[tuple[int, str]], current: str, cycle_start: int) -> list[StageStretch]:
    new = _new_stretch
    if not changes:
        return [new((cycle_start, None, current))]
    index = bisect_right(changes, (cycle_start, "\uffff"))
    at, stage = cycle_start, changes[index - 1][1] if index else ""
    stretches: list[StageStretch] = []
    for end, next_stage in changes[index:]:
        if end > at:
            stretches.append(new((at, end, stage)))
        at, stage = end, next_stage
    stretches.append(new((at, None, stage)))
    return stretches


def _earliest(*moments: int | None) -> int | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None


def first_reply_window(facts: CycleFacts, pausing: frozenset[str]) -> Window:
    """From the cycle start to the first public reply (or the resolution)."""
    stop = _earliest(facts.first_reply, facts.done_stop(facts.start))
    return Window(facts.start, stop, facts.pauses(pausing, facts.start, stop))


def next_reply_window(facts: CycleFacts, pausing: frozenset[str]) -> Window | None:
    """From the oldest customer message not yet answered (after the first reply) to the next reply."""
    first = facts.first_reply
    if first is None:
        return None
    instances: list[tuple[int, int | None]] = []
    answered_until = first
    for message in facts.messages:
        if message <= answered_until:
            continue
        index = bisect_left(facts.replies, message)
        if index == len(facts.replies):
            instances.append((message, None))
            break
        answered_until = facts.replies[index]
        instances.append((message, answered_until))
    if not instances:
        return None
    start, answered = instances[-1]
    stop = _earliest(answered, facts.done_stop(start))
    earlier = [(a, b) for a, b in instances[:-1] if b is not None]
    return Window(start, stop, facts.pauses(pausing, start, stop), earlier=earlier)


def periodic_update_window(facts: CycleFacts, pausing: frozenset[str]) -> Window:
    """From the last public reply (or the cycle start); every reply resets it."""
    resets = [(at, "public reply") for at in facts.replies if at > facts.start]
    start = resets[-1][0] if resets else facts.start
    stop = facts.done_stop(start)
    return Window(start, stop, facts.pauses(pausing, start, stop), resets=resets)


def resolution_window(facts: CycleFacts, pausing: frozenset[str]) -> Window:
    """From the cycle start until the case is resolved or closed."""
    stop = facts.done_stop(facts.start)
    return Window(facts.start, stop, facts.pauses(pausing, facts.start, stop))


def time_in_stage_window(facts: CycleFacts, stage: str) -> Window | None:
    """The latest stay in ``stage``; every new entry resets it."""
    stays = [stretch for stretch in facts.stretches if stretch.stage == stage]
    if not stays:
        return None
    resets = [(stay.start, f"entered {stage}") for stay in stays[1:]]
    return Window(stays[-1].start, stays[-1].end, resets=resets)
