"""Per-host pacing shared by every :class:`ApiClient` of a host, and the per-host online hint.

Three things slow requests to one host down:

- a client-side cap (requests per rolling minute), so Handoff never bursts past a plan's limit;
- the server's usage headers (``x-rate-limit-remaining``, ``ratelimit-remaining``,
  ``rate-limit-remaining`` with their ``*-reset``): close to zero, the remaining requests
  are spread over the time left until the reset, and at zero nothing is sent before it;
- a 429's ``Retry-After``, which holds back every client of the host, not only the one told.

Reservations are made synchronously (no lock held across an ``await``), so the registry
works on any event loop and from several threads.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

DEFAULT_REQUESTS_PER_MINUTE = 600
WINDOW_SECONDS = 60.0

REMAINING_HEADERS = (
    "x-rate-limit-remaining",
    "ratelimit-remaining",
    "rate-limit-remaining",
    "x-ratelimit-remaining",
)
LIMIT_HEADERS = ("x-rate-limit", "ratelimit-limit", "rate-limit", "x-ratelimit-limit")
RESET_HEADERS = ("ratelimit-reset", "rate-limit-reset", "x-ratelimit-reset", "x-rate-limit-reset")
_UNIX_TIME_THRESHOLD = 1_000_000_000  # a reset above this is a moment (Unix seconds), not a duration


def host_key(url: str | httpx.URL) -> str:
    """``scheme://host:port`` of ``url``: what requests share a rate limit and an online state."""
    parsed = httpx.URL(url)
    port = parsed.port or {"https": 443, "http": 80}.get(parsed.scheme, 0)
    return f"{parsed.scheme}://{parsed.host}:{port}"


@dataclass
class _Host:
    requests_per_minute: int
    sends: list[float] = field(default_factory=list)  # sorted reserved send moments (monotonic)
    not_before: float = 0.0
    online: bool | None = None


class RateLimits:
    """The pacing state of every host; share one instance between the clients of a process.

    ``clock`` is a monotonic clock and ``wall_clock`` the Unix time (injectable for tests).
    ``slow_down_below`` is the remaining-request count under which requests are spread out.
    """

    def __init__(
        self,
        *,
        requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE,
        slow_down_below: int = 10,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._default_cap = requests_per_minute
        self._slow_down_below = slow_down_below
        self._clock = clock
        self._wall_clock = wall_clock
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def configure(self, url: str, *, requests_per_minute: int) -> None:
        """Set the client-side cap for the host of ``url`` (for example from the account's plan)."""
        with self._lock:
            self._host(host_key(url)).requests_per_minute = max(1, requests_per_minute)

    def reserve(self, url: str | httpx.URL) -> float:
        """Book a send to the host of ``url``; returns how many seconds to wait before sending."""
        with self._lock:
            host = self._host(host_key(url))
            now = self._clock()
            start = max(now, host.not_before)
            del host.sends[: bisect.bisect_right(host.sends, now - WINDOW_SECONDS)]
            while True:
                in_window = [t for t in host.sends if start - WINDOW_SECONDS < t <= start]
                if len(in_window) < host.requests_per_minute:
                    break
                start = in_window[0] + WINDOW_SECONDS
            bisect.insort(host.sends, start)
            return start - now

    def hold(self, url: str | httpx.URL, seconds: float) -> None:
        """Send nothing to the host of ``url`` for ``seconds`` (a 429's Retry-After)."""
        with self._lock:
            host = self._host(host_key(url))
            host.not_before = max(host.not_before, self._clock() + seconds)

    def observe(self, url: str | httpx.URL, headers: Mapping[str, str]) -> None:
        """Read the server's usage headers from a response and slow down when few requests remain."""
        remaining = _lowest(headers, REMAINING_HEADERS)
        if remaining is None or remaining >= self._slow_down_below:
            return
        reset = _lowest(headers, RESET_HEADERS)
        if reset is None:
            seconds = WINDOW_SECONDS
        elif reset > _UNIX_TIME_THRESHOLD:
            seconds = max(0.0, reset - self._wall_clock())
        else:
            seconds = max(0.0, reset)
        self.hold(url, seconds / (max(remaining, 0) + 1))

    def mark_reachable(self, url: str | httpx.URL, reachable: bool) -> None:
        """Record whether the last request to the host got an answer (any status) or failed in transport."""
        with self._lock:
            self._host(host_key(url)).online = reachable

    def is_online(self, url: str | httpx.URL) -> bool | None:
        """True after the host last answered, False after it last failed to, None before any request."""
        with self._lock:
            host = self._hosts.get(host_key(url))
            return None if host is None else host.online

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(self._default_cap)
        return host


def _lowest(headers: Mapping[str, str], names: tuple[str, ...]) -> float | None:
    values = [_number(headers.get(name)) for name in names]
    present = [value for value in values if value is not None]
    return min(present) if present else None


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text.strip())
    except ValueError:
        return None


SHARED_RATE_LIMITS = RateLimits()


def is_online(url: str | httpx.URL) -> bool | None:
    """The online hint for the host of ``url`` in the process-wide registry (see ``RateLimits``)."""
    return SHARED_RATE_LIMITS.is_online(url)
