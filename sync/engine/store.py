"""The engine's way into the workspace: each core unit of work run on the DB thread, awaited.

Every write's :class:`ChangeSet` is handed to ``on_changes`` (the GUI publishes it to its views).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import TypeVar

from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.outbox import OutboxEntry
from core.remote import connections, delivery, merge, search_backlog
from core.remote.delivery import DeliveryTarget, OutboxCounts
from core.remote.dtos import Conflict, Connection, ConnectionStatus, PushResult, RemotePage

T = TypeVar("T")
ChangeListener = Callable[[ChangeSet], None]

TICKETS = "tickets"  # the resource whose cursor the pull follows


class SyncStore:
    """Async wrappers around :mod:`core.remote` for the engine (one DB round trip each)."""

    def __init__(self, db: DbRunner, on_changes: ChangeListener | None = None) -> None:
        self._db = db
        self._on_changes = on_changes

    async def connections(self) -> list[Connection]:
        """Every connection, by name."""
        return await _wait(self._db.read(connections.list_connections))

    async def cursor(self, connection: Connection) -> str | None:
        """Where the connection's next ticket pull starts (None: never pulled)."""
        return await _wait(self._db.read(connections.cursor_of, connection, TICKETS))

    async def first_pull(self, connection: Connection) -> bool:
        """Whether the connection's first pull is running (or about to start): timelines and SLA
        deadlines wait for its end, and its groups are merged bigger."""
        return await _wait(self._db.read(search_backlog.defers_indexing, connection, TICKETS))

    async def set_status(
        self,
        connection: Connection,
        status: ConnectionStatus,
        message: str | None = None,
        synced_at: datetime | None = None,
    ) -> None:
        """Record where the connection stands (and when it last synced)."""
        await _wait(self._db.write(connections.set_status, connection.id, status, message, synced_at))

    async def apply_pages(self, connection: Connection, pages: Sequence[RemotePage], now: datetime) -> None:
        """Merge pulled pages and the last one's cursor in one transaction."""
        self._publish(await _wait(self._db.write(merge.apply_pages, connection, pages, now)))

    async def index_search_backlog(self, connection: Connection, now: datetime) -> int:
        """Index the next few thousand timelines a first pull left for later (0: none left)."""
        return await _wait(self._db.write(search_backlog.index_backlog, connection, now))

    async def deliverable(self, kind: str, now: datetime) -> list[tuple[OutboxEntry, DeliveryTarget]]:
        """The next outbox entries to push for connections of ``kind``."""
        return await _wait(self._db.read(delivery.deliverable, kind, now))

    async def mark_sending(self, entry: OutboxEntry, now: datetime) -> None:
        """Committed before the request leaves: the entry may land from here on."""
        self._publish(await _wait(self._db.write(delivery.mark_sending, entry.id, now)))

    async def mark_delivered(self, entry: OutboxEntry, result: PushResult, now: datetime) -> None:
        """The helpdesk has the entry."""
        self._publish(await _wait(self._db.write(delivery.mark_delivered, entry.id, result, now)))

    async def mark_retry(self, entry: OutboxEntry, message: str, next_attempt_at: datetime) -> None:
        """Try the entry again at ``next_attempt_at``."""
        self._publish(await _wait(self._db.write(delivery.mark_retry, entry.id, message, next_attempt_at)))

    async def mark_failed(self, entry: OutboxEntry, message: str) -> None:
        """The helpdesk refused the entry; the user decides."""
        self._publish(await _wait(self._db.write(delivery.mark_failed, entry.id, message)))

    async def mark_conflict(self, entry: OutboxEntry, conflict: Conflict) -> None:
        """The ticket changed meanwhile; the user resolves it side by side."""
        self._publish(await _wait(self._db.write(delivery.mark_conflict, entry.id, conflict)))

    async def outbox_counts(self) -> OutboxCounts:
        """Pending, failed and conflicting entries."""
        return await _wait(self._db.read(delivery.outbox_counts))

    def _publish(self, changes: ChangeSet) -> None:
        if self._on_changes is not None and not changes.is_empty:
            self._on_changes(changes)


async def _wait(future: Future[T]) -> T:
    return await asyncio.wrap_future(future)
