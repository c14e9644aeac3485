"""What wraps every sandbox Zendesk answer: the request log and the rate-limit headers (and limit).

Zendesk counts requests per account and minute and reports the count in
``x-rate-limit``/``x-rate-limit-remaining`` and ``ratelimit-limit``/
``-remaining``/``-reset`` on every answer. The sandbox does the same; it
refuses requests over the limit (429 with ``Retry-After``) only when told to.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sync.sandbox.faults import SERVER_SEND_KEY, AsgiApp, Message, Receive, Scope, Send
from sync.sandbox.zendesk.store import ZendeskStore

RATE_LIMIT_PER_MINUTE = 700
"""What a Zendesk Suite Professional account allows."""


@dataclass(frozen=True)
class RateLimit:
    """Requests allowed per clock minute, and whether going over answers 429."""

    per_minute: int = RATE_LIMIT_PER_MINUTE
    enforce: bool = False


DEFAULT_RATE_LIMIT = RateLimit()


class _RateMeter:
    """Counts requests per clock minute."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._minute = 0
        self._count = 0

    def tick(self) -> tuple[int, int]:
        """Count a request: (requests counted this minute, seconds until the minute ends)."""
        now = time.time()
        minute = int(now // 60)
        with self._lock:
            if minute != self._minute:
                self._minute, self._count = minute, 0
            self._count += 1
            count = self._count
        return count, 60 - int(now % 60)


class ZendeskEnvelope:
    """Logs each request in ``store.requests_seen``, adds the rate-limit headers, enforces them if told."""

    def __init__(self, app: AsgiApp, store: ZendeskStore, limit: RateLimit) -> None:
        self._app = app
        self._store = store
        self._limit = limit
        self._meter = _RateMeter(limit.per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        self._store.requests_seen.append((scope["method"], scope["path"]))
        scope.setdefault(SERVER_SEND_KEY, send)
        count, reset = self._meter.tick()
        limit = str(self._limit.per_minute).encode()
        remaining = str(max(0, self._limit.per_minute - count)).encode()
        headers = [
            (b"x-rate-limit", limit),
            (b"x-rate-limit-remaining", remaining),
            (b"ratelimit-limit", limit),
            (b"ratelimit-remaining", remaining),
            (b"ratelimit-reset", str(reset).encode()),
            (b"x-zendesk-api-version", b"v2"),
        ]
        if self._limit.enforce and count > self._limit.per_minute:
            await _too_many_requests(send, headers, retry_after=reset)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self._app(scope, receive, send_with_headers)


async def _too_many_requests(send: Send, headers: list[tuple[bytes, bytes]], retry_after: int) -> None:
    body = b"Too Many Requests"
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(retry_after).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
