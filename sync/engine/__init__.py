"""The sync engine: pulls every connection's changes, then delivers the outbox, in the background.

Pure asyncio (no Qt): the GUI runs it on the qasync loop, ``handoff sync`` on a plain loop.
"""

from __future__ import annotations

from sync.engine.engine import ConnectorFactory, SyncEngine
from sync.engine.errors import ConnectorUnavailable, NoSuchConnection, SignInRequired
from sync.engine.report import ConnectionReport, SyncReport

__all__ = [
    "ConnectionReport",
    "ConnectorFactory",
    "ConnectorUnavailable",
    "NoSuchConnection",
    "SignInRequired",
    "SyncEngine",
    "SyncReport",
]
