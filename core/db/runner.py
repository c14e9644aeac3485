"""DbRunner: the one thread that owns the engine and runs every unit of work.

A unit of work is a plain function ``fn(session, *args) -> DTO | list[DTO] | ChangeSet``.
It runs in a short session on the DB thread and must return plain data, never
ORM rows. Async callers wrap the returned future with ``asyncio.wrap_future``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry

from core.db.checkpoints import BackgroundCheckpoints
from core.db.engine import writer
from core.sla.write_hook import install_write_hook

P = ParamSpec("P")
T = TypeVar("T")


class DbRunner:
    """Runs units of work one at a time on a dedicated thread.

    Reads run in a deferred transaction; writes in ``BEGIN IMMEDIATE`` and are
    committed only if the function returns without raising. The WAL is checkpointed on a
    thread of its own (:mod:`core.db.checkpoints`), never inside a commit.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handoff-db")
        self._thread_ids: set[int] = set()
        database = engine.url.database
        self._checkpoints: BackgroundCheckpoints | None = None
        if engine.dialect.name == "sqlite" and database and database != ":memory:":
            self._checkpoints = BackgroundCheckpoints(Path(database))
            if not event.contains(engine, "checkout", _without_automatic_checkpoints):
                event.listen(engine, "checkout", _without_automatic_checkpoints)

    @property
    def engine(self) -> Engine:
        return self._engine

    def read(self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Schedule a read-only unit of work; its changes, if any, are rolled back."""
        return self._executor.submit(self._run, self._engine, False, lambda s: fn(s, *args, **kwargs))

    def write(self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Schedule a unit of work that writes; it commits when ``fn`` returns."""
        return self._executor.submit(self._run, self._writer, True, lambda s: fn(s, *args, **kwargs))

    def is_db_thread(self) -> bool:
        """Whether the calling thread is the DB thread (for assertions)."""
        return threading.get_ident() in self._thread_ids

    def shutdown(self, wait: bool = True) -> None:
        """Finish (or, with ``wait=False``, abandon) queued work and release the engine."""
        self._executor.shutdown(wait=wait, cancel_futures=not wait)
        if self._checkpoints is not None:
            self._checkpoints.stop()
            if event.contains(self._engine, "checkout", _without_automatic_checkpoints):
                event.remove(self._engine, "checkout", _without_automatic_checkpoints)
        self._engine.dispose()  # connections opened from now on checkpoint automatically again

    def _run(self, bind: Engine, commit: bool, work: Callable[[Session], T]) -> T:
        self._thread_ids.add(threading.get_ident())
        with Session(bind, expire_on_commit=False) as session:
            if not commit:
                try:
                    return work(session)
                finally:
                    session.rollback()
            install_write_hook(session)  # every write recomputes the SLA deadlines of the cases it touched
            with session.begin():
                result = work(session)
        if self._checkpoints is not None:
            self._checkpoints.wrote()
        return result


_TAKEN_OVER = "handoff.background_checkpoints"


def _without_automatic_checkpoints(
    dbapi_connection: sqlite3.Connection, record: ConnectionPoolEntry, _proxy: Any
) -> None:
    """Pool checkout: the connection leaves checkpoints to :class:`BackgroundCheckpoints` (once each)."""
    if not record.info.get(_TAKEN_OVER):
        BackgroundCheckpoints.take_over(dbapi_connection)
        record.info[_TAKEN_OVER] = True
