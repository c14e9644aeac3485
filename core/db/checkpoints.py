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

    The DB thread's connections must run :data:`BackgroundCheckpoints.DISABLE_AUTOMATIC`
    (see :meth:`take_over`). :meth:`stop` runs a last checkpoint and closes the connection.
    """

    DISABLE_AUTOMATIC = _DISABLE_AUTOMATIC

    def __init__(self, database: Path, every_s: float = CHECKPOINT_EVERY_S) -> None:
        self._every_s = every_s
        self._connection = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()  # one checkpoint at a time, and none after stop()
        self._wrote = threading.Event()
        self._stopped = threading.Event()
        self._stopping = False
        self.checkpoints = 0  # how many ran (for tests and the log)
        self._thread = threading.Thread(target=self._run, name="handoff-checkpoints", daemon=True)
        self._thread.start()

    @staticmethod
    def take_over(dbapi_connection: sqlite3.Connection) -> None:
        """Turn the automatic checkpoint off on one of the DB thread's connections."""
        dbapi_connection.execute(_DISABLE_AUTOMATIC)

    def wrote(self) -> None:
        """A transaction was committed: checkpoint soon."""
        self._wrote.set()

    def checkpoint(self) -> None:
        """Copy every WAL page no reader still needs back into the database file, now."""
        with self._lock:
            if self._stopping:
                return
            try:
                self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self.checkpoints += 1
            except sqlite3.Error as error:  # the next one tries again; SQLite's own at close too
                log.warning("WAL checkpoint failed: %s", error)

    def stop(self) -> None:
        """A last checkpoint, then the thread ends and the connection is closed."""
        self.checkpoint()
        with self._lock:
            self._stopping = True
        self._stopped.set()
        self._wrote.set()
        self._thread.join(timeout=5)
        self._connection.close()

    def _run(self) -> None:
        while True:
            self._wrote.wait()
            if self._stopping:
                return
            self._wrote.clear()
            self.checkpoint()
            # Commits arriving meanwhile wait for the next round: one checkpoint per interval at most.
            if self._stopped.wait(self._every_s):
                return
