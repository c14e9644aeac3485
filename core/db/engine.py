"""SQLAlchemy engine for a workspace database file, with the pragmas of ARCHITECTURE.md.

Every connection runs in WAL mode with ``synchronous=NORMAL``, foreign keys on
and a busy timeout. Transactions are started explicitly: writers (sessions
bound to :func:`writer`) begin with ``BEGIN IMMEDIATE`` so that two writers
never deadlock on a lock upgrade.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import ConnectionPoolEntry

BUSY_TIMEOUT_MS = 5000
_WRITE_OPTION = "handoff_write"


def create_workspace_engine(db_path: Path) -> Engine:
    """An engine on the SQLite file ``db_path`` with Handoff's pragmas on every connection."""
    engine = create_engine(
        f"sqlite+pysqlite:///{db_path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the driver so BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute("PRAGMA cache_size=-32000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions begin with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def dispose(engine: Engine, **_: Any) -> None:
    """Close every pooled connection (checkpointing the WAL on the last one)."""
    engine.dispose()
