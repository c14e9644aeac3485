"""Every open case's soonest deadline computed by worker processes, each reading a share of the cases.

A refresh of every open case (new SLA settings, an upgraded workspace) reads and measures the
whole open queue: on one core that takes seconds at 100,000 open cases. :class:`DeadlineWorkers`
splits the open cases into id ranges, one per worker process (one per core); each worker
opens the workspace file itself, reads its share (:func:`core.sla.store.soonest_deadlines`,
nothing written) and sends back plain epoch-second tuples, which the caller then compares and
stores in its own transaction.

Workers see **committed** data only. The SLA settings are passed explicitly (a settings change
is refreshed before it commits); cases changed in the caller's open transaction must be
refreshed by the caller itself afterwards (the write hook does).

Processes come from a fork server (POSIX) preloaded with the SLA modules, or are spawned
(Windows); a frozen build calls :func:`multiprocessing.freeze_support` first.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from core.config.sla_model import SlaSettings
from core.db.engine import create_workspace_engine
from core.sla.cycles import CycleRow
from core.sla.log_reader import DONE_LIST, OPEN_CASES, Soonest, rows
from core.sla.store import BulkDeadlines, SoonestDeadlines, soonest_deadlines

_log = logging.getLogger(__name__)

MAX_WORKERS = 8
WORTH_IT_OPEN_CASES = 20_000  # below this, starting processes costs more than it saves

ShareResult = tuple[dict[int, Soonest], dict[int, Soonest], list[CycleRow]]


def worker_count() -> int:
    """One worker per core the process may use (at most :data:`MAX_WORKERS`)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


class DeadlineWorkers:
    """A pool of worker processes computing the soonest deadlines of one workspace's open cases.

    Use as a context manager (or call :meth:`shutdown`); :meth:`start` brings the processes up
    ahead of time. Calling the object computes what :func:`core.sla.store.soonest_deadlines`
    would for every open case: it is a :data:`core.sla.store.BulkDeadlines`.
    """

    def __init__(self, database: Path, workers: int | None = None) -> None:
        self._database = str(database)
        self._workers = workers or worker_count()
        context = multiprocessing.get_context(_start_method())
        if _start_method() == "forkserver":
            context.set_forkserver_preload(["core.sla.store"])
        self._pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=context)

    @property
    def workers(self) -> int:
        """How many processes share the work."""
        return self._workers

    def pids(self) -> list[int]:
        """The worker processes' ids (after :meth:`start`), e.g. for a task manager or a test."""
        return [process.pid for process in self._pool._processes.values() if process.pid is not None]

    def start(self) -> None:
        """Bring every worker process up (imports done, workspace opened) before the first refresh."""
        warmed = [self._pool.submit(_open_workspace, self._database) for _ in range(self._workers * 2)]
        for future in warmed:
            future.result()

    def __call__(self, session: Session, settings: SlaSettings, now: datetime) -> SoonestDeadlines:
        """Every open case's soonest deadline; in this process if the workers cannot do it.

        A worker that dies (killed, out of memory) or processes that cannot be started never
        fail the caller's transaction: the work is done here instead, and the problem logged.
        """
        moment = now.astimezone(UTC) if now.tzinfo is not None else now.replace(tzinfo=UTC)
        try:
            return self._in_workers(session, settings, moment)
        except (BrokenExecutor, OSError, EOFError) as error:
            _log.warning("SLA worker processes failed (%s); computing in this process", error)
            return soonest_deadlines(session, None, moment, settings=settings)

    def _in_workers(self, session: Session, settings: SlaSettings, moment: datetime) -> SoonestDeadlines:
        shares: list[Future[ShareResult]] = [
            self._pool.submit(_share, self._database, id_range, settings, moment)
            for id_range in share_ranges(session, self._workers)
        ]
        current: dict[int, Soonest] = {}
        stored: dict[int, Soonest] = {}
        new_cycles: list[CycleRow] = []
        for future in shares:
            share_current, share_stored, share_cycles = future.result()
            current.update(share_current)
            stored.update(share_stored)
            new_cycles.extend(share_cycles)
        return SoonestDeadlines(current, stored, new_cycles)

    def shutdown(self) -> None:
        """Stop the worker processes."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> DeadlineWorkers:
        return self

    def __exit__(self, *_: object) -> None:
        self.shutdown()


def share_ranges(session: Session, shares: int) -> list[tuple[int, int]]:
    """Inclusive id ranges splitting the open cases into ``shares`` shares of (nearly) equal size.

    Contiguous ranges rather than every n-th id: each worker then reads its own stretch of
    every index instead of every page of it.
    """
    ids = sorted(case_id for (case_id,) in rows(session, "{ids}", [OPEN_CASES]))
    if not ids:
        return []
    size = -(-len(ids) // shares)
    return [(ids[start], ids[min(start + size, len(ids)) - 1]) for start in range(0, len(ids), size)]


@contextmanager
def bulk_refresher(session: Session) -> Iterator[BulkDeadlines | None]:
    """Worker processes for refreshing every open case of ``session``'s workspace, while in the block.

    None (compute in this process) for a small workspace, a single core or a database not in
    a file; the workers are stopped when the block ends.
    """
    database = session.connection().engine.url.database
    if not database or database == ":memory:" or not worth_parallel(session):
        yield None
        return
    with DeadlineWorkers(Path(database)) as workers:
        yield workers


def worth_parallel(session: Session) -> bool:
    """Whether the workspace has enough open cases (and the machine cores) for worker processes."""
    if worker_count() < 2:
        return False
    open_cases = session.execute(
        text(f"SELECT count(*) FROM cases WHERE stage NOT IN ({DONE_LIST})")
    ).scalar_one()
    return int(open_cases) >= WORTH_IT_OPEN_CASES


def _start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


# -- in the worker processes --------------------------------------------------------------------


@cache
def _engine(database: str) -> Engine:
    return create_workspace_engine(Path(database))


def _open_workspace(database: str) -> None:
    with _engine(database).connect() as connection:
        connection.execute(text("SELECT 1"))


def _share(database: str, id_range: tuple[int, int], settings: SlaSettings, now: datetime) -> ShareResult:
    # The cyclic collector paused, as the app runs (desktop.gc_guard): the share allocates
    # hundreds of thousands of small tuples and lists, which would trigger a full collection
    # several times over (a third of the time), while none of them forms a cycle.
    gc.disable()
    try:
        with Session(_engine(database)) as session:
            found = soonest_deadlines(session, None, now, settings=settings, share=id_range)
        return found.current, found.stored, found.new_cycles
    finally:
        gc.enable()
