"""Fault injection for sandbox servers: 429s, server errors, slow answers, dropped connections, conflicts.

A :class:`FaultSpec` is parsed from a short text such as
``"429=0.1,500=0.05,slow=0.1:2.0,drop=0.02,conflict=0.05,seed=7"``; a
:class:`FaultInjector` draws the fate of each request from a seeded random
stream (the same seed and the same requests give the same faults), and
:class:`FaultMiddleware` applies it in front of the app, so a faulted request
never reaches it. The spec can be replaced while the server runs.
"""

from __future__ import annotations

import asyncio
import math
import random
import threading
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, replace
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_RETRY_AFTER_S = 1
DEFAULT_SLOW_S = 1.0
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
INJECTED_KEPT = 10_000
_RESPONSE_FAULTS = ("429", "500", "503", "drop")
_RATE_KEYS = {"429": "rate_429", "500": "rate_500", "503": "rate_503", "drop": "drop_rate"}
_KNOWN_KEYS = "429, 500, 503, slow, drop, conflict, seed"


@dataclass(frozen=True)
class FaultSpec:
    """How often each fault happens (rates from 0 to 1, per request) and the random seed.

    ``429``, ``500``, ``503`` and ``drop`` exclude each other (their rates add
    up to at most 1); ``slow`` delays a request by ``slow_seconds`` before
    anything else; ``conflict`` has another agent edit the record just before
    a write is handled.
    """

    rate_429: float = 0.0
    retry_after: int = DEFAULT_RETRY_AFTER_S
    rate_500: float = 0.0
    rate_503: float = 0.0
    slow_rate: float = 0.0
    slow_seconds: float = DEFAULT_SLOW_S
    drop_rate: float = 0.0
    conflict_rate: float = 0.0
    seed: int | None = None

    @classmethod
    def parse(cls, text: str) -> FaultSpec:
        """Read ``key=value`` items separated by commas; ``ValueError`` says what is wrong.

        Keys: ``429=RATE[:RETRY_AFTER_SECONDS]``, ``500=RATE``, ``503=RATE``,
        ``slow=RATE[:SECONDS]``, ``drop=RATE``, ``conflict=RATE``, ``seed=INT``.
        An empty text means no faults.
        """
        spec = cls()
        seen: set[str] = set()
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            key, equals, value = (piece.strip() for piece in item.partition("="))
            if not equals or not value:
                raise ValueError(f"fault {item!r} needs a value, as in {key or '429'}=0.1")
            if key in seen:
                raise ValueError(f"fault {key!r} is given twice")
            seen.add(key)
            spec = spec._with_item(key, value)
        total = spec.rate_429 + spec.rate_500 + spec.rate_503 + spec.drop_rate
        if total > 1 + 1e-9:
            raise ValueError(f"the rates of 429, 500, 503 and drop add up to {total:g}, more than 1")
        return spec

    def _with_item(self, key: str, value: str) -> FaultSpec:
        if key == "seed":
            try:
                return replace(self, seed=int(value))
            except ValueError:
                raise ValueError(f"seed must be a whole number, not {value!r}") from None
        if key in _RATE_KEYS:
            rate_text, colon, extra = value.partition(":")
            rate = _rate(key, rate_text)
            if key == "429" and colon:
                return replace(self, rate_429=rate, retry_after=_whole_seconds(key, extra))
            if colon:
                raise ValueError(f"fault {key!r} takes only a rate, not {value!r}")
            if key == "500":
                return replace(self, rate_500=rate)
            if key == "503":
                return replace(self, rate_503=rate)
            return replace(self, rate_429=rate) if key == "429" else replace(self, drop_rate=rate)
        if key == "slow":
            rate_text, colon, seconds_text = value.partition(":")
            seconds = _seconds(key, seconds_text) if colon else DEFAULT_SLOW_S
            return replace(self, slow_rate=_rate(key, rate_text), slow_seconds=seconds)
        if key == "conflict":
            return replace(self, conflict_rate=_rate(key, value))
        raise ValueError(f"unknown fault {key!r}; known: {_KNOWN_KEYS}")

    @property
    def active(self) -> bool:
        """Whether any fault can happen."""
        return any(
            (self.rate_429, self.rate_500, self.rate_503, self.slow_rate, self.drop_rate, self.conflict_rate)
        )

    def __str__(self) -> str:
        parts = []
        if self.rate_429:
            parts.append(f"429={self.rate_429:g}:{self.retry_after}")
        for key in ("500", "503", "drop"):
            rate = getattr(self, _RATE_KEYS[key])
            if rate:
                parts.append(f"{key}={rate:g}")
        if self.slow_rate:
            parts.append(f"slow={self.slow_rate:g}:{self.slow_seconds:g}")
        if self.conflict_rate:
            parts.append(f"conflict={self.conflict_rate:g}")
        if self.seed is not None:
            parts.append(f"seed={self.seed}")
        return ",".join(parts)


NO_FAULTS = FaultSpec()


def _rate(key: str, text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        raise ValueError(f"the rate of {key!r} must be a number from 0 to 1, not {text!r}") from None
    if not 0.0 <= rate <= 1.0 or math.isnan(rate):
        raise ValueError(f"the rate of {key!r} must be from 0 to 1, not {text}")
    return rate


def _seconds(key: str, text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"the delay of {key!r} must be a number of seconds, not {text!r}") from None
    if not 0.0 <= seconds <= 600.0 or math.isnan(seconds):
        raise ValueError(f"the delay of {key!r} must be from 0 to 600 seconds, not {text}")
    return seconds


def _whole_seconds(key: str, text: str) -> int:
    try:
        seconds = int(text)
    except ValueError:
        raise ValueError(f"the Retry-After of {key!r} must be whole seconds, not {text!r}") from None
    if not 0 <= seconds <= 3600:
        raise ValueError(f"the Retry-After of {key!r} must be from 0 to 3600 seconds, not {text}")
    return seconds


@dataclass(frozen=True)
class Fate:
    """What happens to one request: a delay, then a faulty answer (or none), or a conflicting edit first."""

    delay: float = 0.0
    response: str | None = None  # "429", "500", "503", "drop" or None
    conflict: bool = False


class FaultInjector:
    """Draws each request's :class:`Fate` from the current spec; thread-safe, deterministic per seed."""

    def __init__(self, spec: FaultSpec = NO_FAULTS) -> None:
        self._lock = threading.Lock()
        self._spec = spec
        self._random = random.Random(spec.seed)
        self.injected: deque[tuple[str, str, str]] = deque(maxlen=INJECTED_KEPT)
        """``(fault, method, path)`` of every fault injected, oldest first."""

    @property
    def spec(self) -> FaultSpec:
        return self._spec

    @spec.setter
    def spec(self, spec: FaultSpec) -> None:
        """Switch to ``spec`` from the next request on (the random stream restarts from its seed)."""
        with self._lock:
            self._spec = spec
            self._random = random.Random(spec.seed)

    def fate(self, method: str) -> Fate:
        """The fate of the next request; three draws per request whatever the outcome, to stay in step."""
        with self._lock:
            spec = self._spec
            if not spec.active:
                return Fate()
            response_draw, slow_draw, conflict_draw = (self._random.random() for _ in range(3))
        delay = spec.slow_seconds if slow_draw < spec.slow_rate else 0.0
        response = None
        threshold = 0.0
        for name, rate in zip(
            _RESPONSE_FAULTS, (spec.rate_429, spec.rate_500, spec.rate_503, spec.drop_rate), strict=True
        ):
            threshold += rate
            if response_draw < threshold:
                response = name
                break
        conflict = response is None and method in WRITE_METHODS and conflict_draw < spec.conflict_rate
        return Fate(delay=delay, response=response, conflict=conflict)

    def record(self, fault: str, method: str, path: str) -> None:
        self.injected.append((fault, method, path))


SERVER_SEND_KEY = "sandbox.server_send"
"""Where a middleware outside :class:`FaultMiddleware` that wraps ``send`` leaves the server's own
``send`` in the scope, so a dropped connection can still reach the server's transport."""

ConflictHook = Callable[[str, str], None]
"""Called with (method, path) of a write chosen for a conflict, before the app handles it."""


class FaultMiddleware:
    """An ASGI layer that applies a :class:`FaultInjector`'s fates to HTTP requests.

    Put it outside the app; a layer further out that wraps ``send`` must
    keep the server's ``send`` under :data:`SERVER_SEND_KEY` in the scope.
    """

    def __init__(
        self, app: AsgiApp, injector: FaultInjector, on_conflict: ConflictHook | None = None
    ) -> None:
        self._app = app
        self._injector = injector
        self._on_conflict = on_conflict

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        fate = self._injector.fate(method)
        if fate.delay:
            self._injector.record("slow", method, path)
            await asyncio.sleep(fate.delay)
        if fate.response == "drop":
            self._injector.record("drop", method, path)
            await _drop_connection(scope.get(SERVER_SEND_KEY, send))
            return
        if fate.response is not None:
            self._injector.record(fate.response, method, path)
            await _error_response(send, int(fate.response), self._injector.spec.retry_after)
            return
        if fate.conflict and self._on_conflict is not None:
            self._injector.record("conflict", method, path)
            self._on_conflict(method, path)
        await self._app(scope, receive, send)


_REASONS = {429: b"Too Many Requests", 500: b"Internal Server Error", 503: b"Service Unavailable"}


async def _error_response(send: Send, status: int, retry_after: int) -> None:
    body = _REASONS[status]
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    if status == 429:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _drop_connection(send: Send) -> None:
    """Close the connection without answering (the client sees the server disconnect).

    uvicorn's ``send`` is a method of its request cycle, which holds the
    transport: abort it and wait for uvicorn to notice the disconnect, so it
    neither answers nor logs. Elsewhere, fall back to a truncated response.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(transport, "abort"):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]})
        return
    transport.abort()
    for _ in range(100):
        if getattr(cycle, "disconnected", True):
            return
        await asyncio.sleep(0)
