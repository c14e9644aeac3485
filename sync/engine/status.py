"""The engine's live status: updated as it works, read by the UI as one frozen snapshot.

:meth:`StatusBoard.snapshot` never touches the database; the engine feeds the board the
connections it read, the outbox counts after each run, and its progress as it goes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.remote.delivery import OutboxCounts
from core.remote.dtos import Connection, ConnectionStatus
from core.remote.status import ConnectionSyncStatus, SyncProgress, SyncStatus


class StatusBoard:
    """Mutable keeper of :class:`SyncStatus`; every update builds a new snapshot."""

    def __init__(self) -> None:
        self._connections: dict[int, ConnectionSyncStatus] = {}
        self._snapshot = SyncStatus()

    def snapshot(self) -> SyncStatus:
        """The current status (a frozen value; cheap to call every second)."""
        return self._snapshot

    def set_running(self, running: bool) -> None:
        """Whether the engine is at work (started, or a single run going on)."""
        self._publish(running=running)

    def know(self, connections: list[Connection]) -> None:
        """The connections the engine syncs (from the workspace); forgets removed ones."""
        known: dict[int, ConnectionSyncStatus] = {}
        for connection in connections:
            current = self._connections.get(connection.id)
            if current is None:
                current = ConnectionSyncStatus(
                    connection_id=connection.id,
                    name=connection.name,
                    kind=connection.kind,
                    state=connection.status,
                    message=connection.status_message,
                    last_synced_at=connection.last_synced_at,
                )
            else:
                current = replace(current, name=connection.name, kind=connection.kind)
            known[connection.id] = current
        self._connections = known
        self._publish()

    def begin_run(self, connection_id: int) -> None:
        """A new run of the connection starts: its progress counts from zero."""
        self._update(connection_id, progress=SyncProgress())

    def activity(self, connection_id: int, text: str | None) -> None:
        """What the engine is doing with the connection now (None: idle)."""
        self._update(connection_id, activity=text)

    def pulled(self, connection_id: int, tickets: int) -> int:
        """One more page with ``tickets`` tickets applied; returns the run's ticket count."""
        current = self._connections.get(connection_id)
        if current is None:
            return 0
        progress = current.progress
        progress = replace(
            progress, tickets_pulled=progress.tickets_pulled + tickets, pages_pulled=progress.pages_pulled + 1
        )
        self._update(connection_id, progress=progress)
        return progress.tickets_pulled

    def delivered(self, connection_id: int) -> None:
        """One more outbox entry delivered in this run."""
        current = self._connections.get(connection_id)
        if current is not None:
            progress = current.progress
            self._update(
                connection_id, progress=replace(progress, entries_delivered=progress.entries_delivered + 1)
            )

    def state(
        self,
        connection_id: int,
        state: ConnectionStatus,
        message: str | None = None,
        synced_at: datetime | None = None,
    ) -> None:
        """Where the connection stands now (``synced_at``: it just synced successfully)."""
        current = self._connections.get(connection_id)
        if current is None:
            return
        last = synced_at if synced_at is not None else current.last_synced_at
        self._update(connection_id, state=state, message=message, last_synced_at=last)

    def counts(self, counts: OutboxCounts) -> None:
        """The outbox counts read after a run."""
        self._publish(pending=counts.pending, failed=counts.failed, conflict=counts.conflict)

    def connection(self, connection_id: int) -> ConnectionSyncStatus | None:
        """The current status of one connection."""
        return self._connections.get(connection_id)

    def _update(self, connection_id: int, **changes: object) -> None:
        current = self._connections.get(connection_id)
        if current is None:
            return
        self._connections[connection_id] = replace(current, **changes)  # type: ignore[arg-type]
        self._publish()

    def _publish(self, **changes: object) -> None:
        self._snapshot = replace(
            self._snapshot,
            connections=tuple(self._connections.values()),
            **changes,  # type: ignore[arg-type]
        )
