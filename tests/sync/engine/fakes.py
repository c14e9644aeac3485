"""An in-process connector for the engine's ordering, backoff and state tests (no HTTP).

Pages are scripted; pushes answer from a queue of results or exceptions per call; every call is
recorded so a test can say what reached "the helpdesk" and in which order.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from core.outbox import OutboxEntry
from core.remote.delivery import DeliveryTarget
from core.remote.dtos import PushResult, RemotePage
from sync.connectors.base import AccountCheck


@dataclass(frozen=True)
class LandedButLost:
    """A push the helpdesk applied whose answer never arrived: it lands, then ``error`` is raised."""

    error: Exception


def page(cursor: str, *, end: bool = True) -> RemotePage:
    """An empty page of changes ending at ``cursor``."""
    return RemotePage(resource="tickets", cursor=cursor, end_of_stream=end)


@dataclass
class FakeConnector:
    """A scripted helpdesk. ``pages``: what successive pulls return (or raise); once empty, pulls
    return an empty final page at the last cursor. ``push_answers``: what successive pushes return
    or raise (default: delivered). ``landed``: idempotency keys ``find_delivered`` finds."""

    kind: str = "zendesk"
    pages: deque[RemotePage | Exception] = field(default_factory=deque)
    pull_error: Exception | None = None  # raised by every pull while set
    push_answers: deque[PushResult | Exception | LandedButLost] = field(default_factory=deque)
    landed: set[str] = field(default_factory=set)
    pulled_from: list[str | None] = field(default_factory=list)
    pushed: list[str] = field(default_factory=list)  # idempotency keys, in order
    looked_for: list[str] = field(default_factory=list)
    closed: bool = False

    async def check(self) -> AccountCheck:
        return AccountCheck("Fake Agent", "agent@example.com", True)

    async def pull(self, cursor: str | None) -> RemotePage:
        self.pulled_from.append(cursor)
        if self.pull_error is not None:
            raise self.pull_error
        if self.pages:
            answer = self.pages.popleft()
            if isinstance(answer, Exception):
                raise answer
            return answer
        return page(cursor or "start")

    async def push(self, entry: OutboxEntry, target: DeliveryTarget) -> PushResult:
        answer = self.push_answers.popleft() if self.push_answers else PushResult({"comment": "1"})
        if isinstance(answer, Exception):
            raise answer
        self.pushed.append(entry.idempotency_key)
        self.landed.add(entry.idempotency_key)
        if isinstance(answer, LandedButLost):
            raise answer.error
        return answer

    async def find_delivered(self, entry: OutboxEntry, target: DeliveryTarget) -> PushResult | None:
        self.looked_for.append(entry.idempotency_key)
        return PushResult({"comment": "1"}) if entry.idempotency_key in self.landed else None

    async def aclose(self) -> None:
        self.closed = True
