"""What the sync status area shows, as one small frozen snapshot the UI polls every second.

The sync engine keeps a :class:`SyncStatus` up to date as it works (``engine.status()`` never
touches the database or the network); the UI only reads it. Activity texts are plain English
for logs and the terminal; the UI builds its own (translated) words from the states and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.remote.dtos import ConnectionStatus

# The states in the order the status area ranks them: the first one any connection is in wins.
_WORST_FIRST = (
    ConnectionStatus.SIGN_IN_NEEDED,
    ConnectionStatus.ERROR,
    ConnectionStatus.OFFLINE,
    ConnectionStatus.NEVER_SYNCED,
    ConnectionStatus.CONNECTED,
)


@dataclass(frozen=True)
class SyncProgress:
    """How far the current (or last) sync run of a connection got."""

    tickets_pulled: int = 0
    pages_pulled: int = 0
    entries_delivered: int = 0


@dataclass(frozen=True)
class ConnectionSyncStatus:
    """One connection as the status area shows it.

    ``state`` is where it stands, ``message`` why (the error's own sentence, for the user),
    ``activity`` what the engine is doing with it right now (None: idle).
    """

    connection_id: int
    name: str
    kind: str
    state: ConnectionStatus
    message: str | None = None
    last_synced_at: datetime | None = None
    progress: SyncProgress = field(default_factory=SyncProgress)
    activity: str | None = None


@dataclass(frozen=True)
class SyncStatus:
    """Every connection's state plus the outbox counts (pending, failed, in conflict)."""

    connections: tuple[ConnectionSyncStatus, ...] = ()
    pending: int = 0
    failed: int = 0
    conflict: int = 0
    running: bool = False  # the engine is started (run_forever) or a run_once is going on

    @property
    def state(self) -> ConnectionStatus:
        """The state the status area leads with: the worst of the connections' (never synced: none)."""
        states = {connection.state for connection in self.connections}
        return next((state for state in _WORST_FIRST if state in states), ConnectionStatus.NEVER_SYNCED)

    @property
    def last_synced_at(self) -> datetime | None:
        """The latest successful sync of any connection."""
        moments = [c.last_synced_at for c in self.connections if c.last_synced_at is not None]
        return max(moments) if moments else None

    @property
    def activity(self) -> str | None:
        """What the engine is doing right now, across connections (None: idle)."""
        busy = [c.activity for c in self.connections if c.activity]
        return "; ".join(busy) if busy else None

    def connection(self, name: str) -> ConnectionSyncStatus | None:
        """The status of the connection called ``name``, if the engine knows it."""
        return next((c for c in self.connections if c.name == name), None)
