"""When to try again: an outbox entry after a retryable failure, a connection after it failed,
and the wake-up of the background loop (its interval, or at once when nudged)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta

from sync.http import RetryPolicy, backoff_delay

# An entry that failed n times waits 5 s, 10 s, 20 s ... up to 10 min (jittered).
ENTRY_RETRY = RetryPolicy(base_delay=5.0, max_delay=600.0)
# A connection that failed n runs in a row (offline, 5xx) waits 5 s, 10 s ... up to 5 min.
CONNECTION_RETRY = RetryPolicy(base_delay=5.0, max_delay=300.0)


def entry_retry_at(now: datetime, attempts: int, random: Callable[[], float]) -> datetime:
    """When an entry tried ``attempts`` times (at least once) goes out again."""
    return now + timedelta(seconds=backoff_delay(max(0, attempts - 1), ENTRY_RETRY, random))


def connection_retry_delay(failures: int, random: Callable[[], float]) -> float:
    """Seconds before a connection that failed ``failures`` runs in a row is tried again."""
    return backoff_delay(max(0, failures - 1), CONNECTION_RETRY, random)


class Waker:
    """The background loop's pause: ``wait(seconds)`` returns early once ``nudge()`` was called.

    The event is created on first use, inside the running loop.
    """

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._nudged = False

    def nudge(self) -> None:
        """Wake the loop now (or skip its next wait when it is not waiting)."""
        self._nudged = True
        if self._event is not None:
            self._event.set()

    async def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``; return at once when nudged meanwhile."""
        if self._event is None:
            self._event = asyncio.Event()
        if self._nudged:
            self._nudged = False
            self._event.clear()
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout=max(0.0, seconds))
        self._nudged = False
        self._event.clear()
