"""Worker processes refresh every open case's deadline exactly as one process would.

Real processes (a fork server or spawned interpreters) reading the real workspace file.
"""

from __future__ import annotations

import dataclasses
import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from core.config.sla_model import PauseRule
from core.config.storage import load_config, save_config
from core.db.engine import writer
from core.db.models import CaseRow
from core.db.runner import DbRunner
from core.domain.enums import Stage
from core.generator.workspace import generate_workspace
from core.sla import parallel
from core.sla.parallel import DeadlineWorkers, share_ranges
from core.sla.store import refresh_deadlines, sla_settings, soonest_deadlines
from core.sla.types import Metric

ANCHOR = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def generated(engine: Engine, workspace_dir: Path) -> Path:
    """A generated workspace of 240 cases (about a third open), its deadlines computed."""
    generate_workspace(engine, cases=240, seed=11, anchor=ANCHOR)
    return workspace_dir / "handoff.sqlite"


@pytest.fixture
def workers(generated: Path) -> Iterator[DeadlineWorkers]:
    with DeadlineWorkers(generated, workers=2) as pool:
        yield pool


def _deadlines(engine: Engine) -> dict[int, tuple[object, object, object]]:
    with Session(engine) as session:
        rows = session.execute(
            select(CaseRow.id, CaseRow.sla_due_at, CaseRow.sla_warning_at, CaseRow.sla_metric)
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def test_workers_find_every_open_case_deadline_one_process_finds(
    engine: Engine, workers: DeadlineWorkers
) -> None:
    now = ANCHOR + timedelta(hours=5)
    with Session(engine) as session:
        alone = soonest_deadlines(session, None, now)
        shared = workers(session, sla_settings(session), now)

    assert len(shared.current) == len(alone.current) > 50
    assert shared.current == alone.current
    assert shared.stored == alone.stored
    assert sum(due is not None for due, _warning, _metric in shared.current.values()) > 50


def test_a_refresh_through_workers_stores_what_a_refresh_in_one_process_stores(
    engine: Engine, workers: DeadlineWorkers
) -> None:
    later = ANCHOR + timedelta(days=1)
    with Session(writer(engine)) as session, session.begin():
        refresh_deadlines(session, None, later)
    expected = _deadlines(engine)
    with Session(writer(engine)) as session, session.begin():
        session.execute(update(CaseRow).values(sla_due_at=None, sla_warning_at=None, sla_metric=None))
    with Session(writer(engine)) as session, session.begin():
        changes = refresh_deadlines(session, None, later, bulk=workers)

    assert _deadlines(engine) == expected
    assert len(changes.cases) > 50  # every open case with a running clock was written again


def test_the_shares_cover_every_open_case_once_in_near_equal_parts(engine: Engine, generated: Path) -> None:
    with Session(engine) as session:
        open_ids = [
            row[0]
            for row in session.execute(
                text("SELECT id FROM cases WHERE stage NOT IN ('resolved', 'closed') ORDER BY id")
            )
        ]
        ranges = share_ranges(session, 3)

    shares = [[i for i in open_ids if low <= i <= high] for low, high in ranges]
    assert sorted(i for share in shares for i in share) == open_ids
    assert max(map(len, shares)) - min(map(len, shares)) <= 2
    assert all(ranges[k][1] < ranges[k + 1][0] for k in range(len(ranges) - 1))


def _pause_everything_while_investigating_and_close(session: Session, closing: int) -> None:
    config = load_config(session)
    pauses = tuple(PauseRule(metric.value, (Stage.INVESTIGATING.value,)) for metric in Metric)
    save_config(session, dataclasses.replace(config, sla=dataclasses.replace(config.sla, pauses=pauses)))
    case = session.get(CaseRow, closing)
    assert case is not None
    case.stage = Stage.CLOSED.value


def test_new_settings_in_a_large_workspace_refresh_through_workers_and_keep_the_transactions_own_change(
    engine: Engine, db: DbRunner, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "WORTH_IT_OPEN_CASES", 1)
    monkeypatch.setattr(parallel, "worker_count", lambda: 2)
    started: list[Path] = []
    real_workers = parallel.DeadlineWorkers

    def counting_workers(database: Path, workers: int | None = None) -> DeadlineWorkers:
        started.append(database)
        return real_workers(database, workers)

    monkeypatch.setattr(parallel, "DeadlineWorkers", counting_workers)
    before = _deadlines(engine)
    with Session(engine) as session:
        investigating = set(
            session.scalars(select(CaseRow.id).where(CaseRow.stage == Stage.INVESTIGATING.value))
        )
    running = [case_id for case_id in investigating if before[case_id][0] is not None]
    elsewhere = [
        case_id
        for case_id, deadline in before.items()
        if deadline[0] is not None and case_id not in investigating
    ]
    closing = elsewhere[0]

    db.write(_pause_everything_while_investigating_and_close, closing).result()

    after = _deadlines(engine)
    assert started == [generated]  # the refresh of every open case ran in worker processes
    assert len(running) > 10 and all(after[case_id] == (None, None, None) for case_id in running)  # paused
    assert after[closing] == (None, None, None)  # closed in the same transaction: no deadline left
    assert all(after[case_id][0] is not None for case_id in elsewhere[1:])  # other stages still run


def test_a_worker_that_dies_never_fails_the_refresh(engine: Engine, generated: Path) -> None:
    now = ANCHOR + timedelta(hours=5)
    with DeadlineWorkers(generated, workers=2) as workers:
        workers.start()
        pids = workers.pids()
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        with Session(engine) as session:
            alone = soonest_deadlines(session, None, now)
            shared = workers(session, sla_settings(session), now)

    assert len(pids) == 2
    assert shared.current == alone.current and len(shared.current) > 50
