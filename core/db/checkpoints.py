"""WAL checkpoints on a thread of their own, so that no commit on the DB thread waits for one.

In WAL mode every commit appends to the ``-wal`` file, and SQLite's automatic checkpoint (at
1,000 pages) copies the pages back into the database file inside the commit that crossed the
mark: during a first sync, a tenth of the DB thread's time. :class:`BackgroundCheckpoints`
turns the automatic checkpoint off on the DB thread's connections and runs a ``PASSIVE``
checkpoint on its own connection after writes instead. SQLite does that work without
Python's lock, so it runs on the other core while the DB thread goes on merging.

A passive checkpoint never blocks a writer or a reader, and durability is unchanged: a commit
is in the WAL either way, and a WAL left behind (a kill) is replayed when the file is opened.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger("handoff.db.checkpoints")

# After a write, at most this often: a checkpoint copies what every commit since the last added.
CHECKPOINT_EVERY_S = 0.25
_DISABLE_AUTOMATIC = "PRAGMA wal_autocheckpoint=0"


class BackgroundCheckpoints:
    """Checkpoints the WAL of ``database`` on a daemon thread after :meth:`wrote` is called.

    The DB thread's connections must have the automatic checkpoint off (:meth:`take_over`).
    The thread opens, uses and closes its own connection: creating this object does no I/O on
    the caller's thread. :meth:`stop` has the thread run a last checkpoint and end.
    """

    def __init__(self, database: Path, every_s: float = CHECKPOINT_EVERY_S) -> None:
        self._database = database
        self._every_s = every_s
        self._wrote = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="handoff-checkpoints", daemon=True)
        self._thread.start()

    @staticmethod
    def take_over(dbapi_connection: sqlite3.Connection) -> None:
        """Turn the automatic checkpoint off on one of the DB thread's connections."""
        dbapi_connection.execute(_DISABLE_AUTOMATIC)

    def wrote(self) -> None:
        """A transaction was committed: checkpoint soon."""
        self._wrote.set()

    def stop(self) -> None:
        """Have the thread run a last checkpoint, close its connection and end (waits for it)."""
        self._stopping.set()
        self._wrote.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        connection = sqlite3.connect(self._database, isolation_level=None)
        try:
            while not self._stopping.is_set():
                self._wrote.wait()
                self._wrote.clear()
                _checkpoint(connection)
                # Commits arriving meanwhile wait for the next round: one checkpoint per interval.
                self._stopping.wait(self._every_s)
            _checkpoint(connection)  # what the last commits added
        finally:
            connection.close()


def _checkpoint(connection: sqlite3.Connection) -> None:
    """Copy every WAL page no reader still needs back into the database file."""
    try:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    except sqlite3.Error as error:  # the next one tries again; SQLite's own at close too
        log.warning("WAL checkpoint failed: %s", error)
