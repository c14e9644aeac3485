"""What one sync run did, per connection: for the terminal, the logs and the tests."""

from __future__ import annotations

from dataclasses import dataclass

from core.remote.dtos import ConnectionStatus


@dataclass(frozen=True)
class ConnectionReport:
    """One connection's run: what was pulled and delivered, and how it ended.

    ``error`` is the user-facing sentence of the failure that ended the run early (None: the
    run completed; entries may still wait for a retry, see ``retrying``).
    """

    name: str
    state: ConnectionStatus
    tickets_pulled: int = 0
    pages_pulled: int = 0
    delivered: int = 0
    failed: int = 0
    conflicts: int = 0
    retrying: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the run completed without an error ending it."""
        return self.error is None and self.state == ConnectionStatus.CONNECTED


@dataclass(frozen=True)
class SyncReport:
    """Every connection's report of one ``run_once``."""

    connections: tuple[ConnectionReport, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every connection synced without an error ending its run."""
        return all(report.ok for report in self.connections)

    def connection(self, name: str) -> ConnectionReport | None:
        """The report of the connection called ``name``."""
        return next((report for report in self.connections if report.name == name), None)
