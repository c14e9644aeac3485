"""The WAL is copied back into the database file on a thread of its own, never inside a commit."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.workspace import open_workspace

PAYLOAD = "x" * 4000  # about a page per row


def _write_rows(session: Session, count: int) -> None:
    session.execute(text("CREATE TABLE IF NOT EXISTS scratch (body TEXT)"))
    session.execute(text("INSERT INTO scratch (body) VALUES (:body)"), [{"body": PAYLOAD}] * count)


def _automatic_checkpoint_pages(session: Session) -> int:
    return int(session.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def _database_file(engine: Engine) -> Path:
    return Path(str(engine.url.database))


def _wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_commits_on_the_db_thread_leave_checkpoints_to_the_background(db: DbRunner) -> None:
    assert db.read(_automatic_checkpoint_pages).result() == 0
    database = _database_file(db.engine)
    size_before = database.stat().st_size

    db.write(_write_rows, 1_500).result()  # 6 MB: past SQLite's own 1,000-page mark

    # The pages reach the database file itself without any further write on the DB thread.
    assert _wait_for(lambda: database.stat().st_size > size_before + 5_000_000)


def test_after_shutdown_the_data_is_all_there_and_sqlite_checkpoints_again(workspace_dir: Path) -> None:
    engine, _report = open_workspace(workspace_dir)
    db = DbRunner(engine)
    for _ in range(5):
        db.write(_write_rows, 300).result()
    db.shutdown()

    with Session(engine) as session:
        assert session.execute(text("SELECT count(*) FROM scratch")).scalar_one() == 1_500
        assert _automatic_checkpoint_pages(session) == 1000  # SQLite's default, for code without a DbRunner
    engine.dispose()
    wal = Path(f"{_database_file(engine)}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
