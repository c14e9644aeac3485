"""How long to wait before trying again: the retry policy, jittered exponential backoff, Retry-After."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RetryPolicy:
    """How hard :meth:`ApiClient.send` tries before raising a retryable error.

    - ``max_attempts``: sends in all for 5xx, timeouts and dropped connections (1 = never retry);
    - ``base_delay``/``max_delay``: the backoff before retry *n* is
      ``min(max_delay, base_delay * 2**n)``, jittered into its upper half;
    - ``max_rate_limit_wait``: seconds one call accepts to wait for the host in total (429s'
      ``Retry-After``, the host's pacing); asked for more, it raises :class:`RateLimited` at
      once, with the wait in ``retry_after`` (the engine reschedules instead of blocking);
    - ``max_rate_limited_tries``: 429s one call accepts before raising :class:`RateLimited`;
    - ``retry_ambiguous``: whether to resend after a failure that may have happened *after* the
      server applied the request (5xx, read timeout, dropped connection). ``None`` means: only
      for safe methods (GET, HEAD, OPTIONS). Writes then raise with ``may_have_landed=True`` so
      the caller checks before sending again. Failures before the request left (connection
      refused, connect timeout) and 429s are retried for every method.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_rate_limit_wait: float = 120.0
    max_rate_limited_tries: int = 10
    retry_ambiguous: bool | None = None

    def retries_ambiguous(self, method: str) -> bool:
        """Whether a failure that may have landed on the server is retried for ``method``."""
        if self.retry_ambiguous is not None:
            return self.retry_ambiguous
        return method.upper() in SAFE_METHODS


DEFAULT_RETRY = RetryPolicy()
# One try, no waiting at all (a paced or rate-limited host raises RateLimited): "Test connection".
NO_RETRY = RetryPolicy(max_attempts=1, max_rate_limit_wait=0.0)


def backoff_delay(retry: int, policy: RetryPolicy, random: Callable[[], float]) -> float:
    """Seconds to wait before retry number ``retry`` (0-based): exponential, capped, jittered.

    ``random`` returns a float in [0, 1); the delay lies between half and all of the
    exponential step, so concurrent clients spread out but never hammer the server.
    """
    step = min(policy.max_delay, policy.base_delay * 2.0**retry)
    return step * (0.5 + 0.5 * random())


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date); None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
