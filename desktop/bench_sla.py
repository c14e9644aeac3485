"""``handoff bench``'s SLA figures: every clock of every open case from scratch, and one case's update.

- ``sla_all_s``: reading the timelines of all open cases and measuring every clock to find
  each case's soonest deadline, nothing stored, as when the workspace's SLA settings change:
  by worker processes (:mod:`core.sla.parallel`, one per core, started beforehand: the
  clocks are computed from scratch, the interpreters are not), as the app does for a large
  workspace; ``sla_all_one_process_s``: the same in this one process
  (:func:`core.sla.store.soonest_deadlines`);
- ``sla_all_explained_s``: the same with every clock built in full, explanation included
  (:func:`core.sla.store.sla_for_cases`), for comparison;
- ``sla_update_ms``: what the write hook adds to a transaction that changes one case: a
  customer message is added, then the case's timeline is read, its clocks computed and its
  deadline stored (:func:`core.sla.store.refresh_deadlines`).

Both run as the app runs them: with Python's automatic garbage collection off (the app
collects on the Qt thread, see :mod:`desktop.gc_guard`). The update samples run in one
transaction that is rolled back, so the workspace is never written.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from core.db.engine import writer
from core.db.models import TimelineEventRow
from core.db.types import utc_now
from core.domain.enums import DONE_STAGES, EventKind, Visibility
from core.sla.parallel import DeadlineWorkers
from core.sla.store import refresh_deadlines, sla_for_cases, sla_settings, soonest_deadlines

UPDATE_SAMPLES = 200


@contextmanager
def _collector_off() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def measure_sla_all(engine: Engine, *, explained: bool = False) -> tuple[float, int]:
    """Seconds to compute the clocks of every open case from its event log in this process; and
    how many cases.

    ``explained`` builds every clock in full (segments, explanation) instead of measuring each
    case's clocks for its soonest deadline.
    """
    with Session(engine) as session, _collector_off():
        started = time.perf_counter()
        if explained:
            count = len(sla_for_cases(session, None, utc_now(), persist=False))
        else:
            count = len(soonest_deadlines(session, None, utc_now()).current)
        elapsed = time.perf_counter() - started
    return elapsed, count


def measure_sla_all_in_workers(engine: Engine) -> tuple[float, int, int]:
    """Seconds for worker processes to find every open case's soonest deadline; cases; workers.

    The median of three runs (the first in each worker also lays out the calendars).
    """
    database = Path(str(engine.url.database))
    timings: list[float] = []
    with DeadlineWorkers(database) as workers, _collector_off():
        workers.start()
        for _ in range(3):
            with Session(engine) as session:
                started = time.perf_counter()
                found = workers(session, sla_settings(session), utc_now())
                timings.append(time.perf_counter() - started)
    return statistics.median(timings), len(found.current), workers.workers


def _sample_open_cases(session: Session, count: int) -> list[int]:
    """``count`` open cases spread evenly over the workspace (the same ones on every run)."""
    done = ", ".join(f"'{stage.value}'" for stage in DONE_STAGES)
    ids = [
        int(case_id)
        for (case_id,) in session.execute(
            text(f"SELECT id FROM cases WHERE stage NOT IN ({done}) ORDER BY id")
        )
    ]
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def measure_sla_update(engine: Engine, samples: int = UPDATE_SAMPLES) -> list[float]:
    """Milliseconds to refresh one case's deadline after a customer message arrives, per sample."""
    timings: list[float] = []
    with Session(writer(engine)) as session, _collector_off():
        session.begin()
        try:
            now = utc_now()
            for number, case_id in enumerate(_sample_open_cases(session, samples)):
                session.add(
                    TimelineEventRow(
                        case_id=case_id,
                        kind=EventKind.CUSTOMER_MESSAGE.value,
                        visibility=Visibility.CUSTOMER.value,
                        occurred_at=now - timedelta(seconds=number),
                        author_name="Bench",
                        body_text="Any news?",
                    )
                )
                session.flush()
                started = time.perf_counter()
                refresh_deadlines(session, [case_id], now)
                timings.append((time.perf_counter() - started) * 1000)
        finally:
            session.rollback()
    return timings
