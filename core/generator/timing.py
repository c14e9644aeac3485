"""Putting stories on the clock: every time is a whole number of seconds before the anchor.

Working in integer offsets keeps the generator fast and exactly reproducible;
:class:`Clock` turns an offset into the text SQLite stores for a
:class:`core.db.types.UtcDateTime` column (the same text as
:func:`core.db.types.format_utc`).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from random import Random

from core.domain.enums import Priority, Stage
from core.generator.beats import Story

HOUR = 3600
DAY = 24 * HOUR
HISTORY_DAYS = 540
"""Cases are created over the last ~18 months before the anchor."""

MIN_GAP = 60
"""At least a minute between two events of a case, so their order is never ambiguous."""


class Clock:
    """Converts offsets (seconds relative to the anchor, negative in the past) to stored text."""

    def __init__(self, anchor: datetime) -> None:
        if anchor.tzinfo is None:
            raise ValueError("the anchor must be an aware datetime")
        self.anchor = anchor.astimezone(UTC).replace(tzinfo=None, microsecond=0)

    def text(self, offset: int) -> str:
        """The stored text of ``anchor + offset`` seconds."""
        return (self.anchor + timedelta(seconds=offset)).isoformat(sep=" ")

    def naive(self, offset: int) -> datetime:
        """``anchor + offset`` seconds as a naive UTC datetime."""
        return self.anchor + timedelta(seconds=offset)


_PACE = {Priority.URGENT: 0.25, Priority.HIGH: 0.5, Priority.NORMAL: 1.0, Priority.LOW: 1.5}
"""How long an open case's gaps are, by priority (normal = 1)."""


def _lognormal(rng: Random, median: float, sigma: float, low: float, high: float) -> float:
    return min(high, max(low, median * math.exp(rng.gauss(0.0, sigma))))


class Scheduler:
    """Chooses when a case happened and spreads its beats over that window."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng

    def place(self, story: Story) -> None:
        """Set ``at`` on every beat: strictly increasing, the last one before the anchor."""
        start, end = self._window(story)
        beats = story.beats
        rng = self._rng
        weights = [beat.wait * rng.expovariate(1.0) for beat in beats[1:]]
        total = sum(weights) or 1.0
        spread = end - start - MIN_GAP * (len(beats) - 1)
        beats[0].at = start
        cumulative = 0.0
        for index, (beat, weight) in enumerate(zip(beats[1:], weights, strict=True), start=1):
            cumulative += weight
            beat.at = start + MIN_GAP * index + int(spread * min(cumulative / total, 1.0))

    def _window(self, story: Story) -> tuple[int, int]:
        """(start, end) offsets of the case's first and last event."""
        rng = self._rng
        events = len(story.beats)
        if story.stage is Stage.NEW:
            span = _lognormal(rng, 5 * HOUR, 0.9, HOUR, 4 * DAY)
            end = -_lognormal(rng, 3 * HOUR, 1.0, 300, 3 * DAY)
        else:
            median = DAY * (1.5 + events / 5) * (1.5 if story.tier == 3 else 1.0)
            span = _lognormal(rng, median, 0.8, 3 * HOUR, 150 * DAY)
            if story.stage is Stage.RESOLVED:
                end = -rng.uniform(HOUR, 10 * DAY)
            elif story.stage is Stage.CLOSED:
                history = max(DAY, HISTORY_DAYS * DAY - span)
                end = -(HOUR + history * rng.random() ** 1.3)
            else:
                # The last touch of an open case: hours ago while someone works on it, about a
                # day while it waits (most cases keep within their SLA, a realistic few do not).
                # Urgent cases are touched (and worked through) sooner.
                waiting = story.stage in (Stage.AWAITING_CUSTOMER, Stage.AWAITING_ENGINEERING)
                pace = _PACE[story.priority]
                end = -_lognormal(rng, (0.5 if waiting else 0.25) * pace * DAY, 0.8, 600, 12 * DAY)
                span *= min(1.0, pace**0.5)
        span = max(span, MIN_GAP * 2 * events + HOUR)
        return int(end - span), int(end)
