"""The real app in a real process: starts on the qasync loop, paints the inbox, shuts down cleanly."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from desktop.gui import EXIT_AFTER_FIRST_PAINT_ENV, FIRST_PAINT_MARKER
from tests.integration.conftest import run_handoff


def test_app_opens_workspace_paints_inbox_and_quits_cleanly(generated_workspace: Path) -> None:
    result = run_handoff(
        "open", "--data-dir", str(generated_workspace), env_extra={EXIT_AFTER_FIRST_PAINT_ENV: "1"}
    )

    assert result.returncode == 0, result.stderr
    assert FIRST_PAINT_MARKER in result.stdout
    assert "Traceback" not in result.stderr
    assert "Error" not in result.stderr
    # The DB thread was drained and the WAL checkpointed: the database reads back cleanly.
    with sqlite3.connect(generated_workspace / "handoff.sqlite") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_app_creates_a_new_workspace_on_first_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"

    result = run_handoff("--data-dir", str(data_dir), env_extra={EXIT_AFTER_FIRST_PAINT_ENV: "1"})

    assert result.returncode == 0, result.stderr
    assert (data_dir / "handoff.sqlite").exists()


def test_app_refuses_a_workspace_from_a_newer_version_with_a_clear_message(
    generated_workspace: Path, tmp_path: Path
) -> None:
    newer = tmp_path / "newer"
    newer.mkdir()
    target = newer / "handoff.sqlite"
    with (
        closing(sqlite3.connect(generated_workspace / "handoff.sqlite")) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        copy.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        copy.commit()
    before = target.read_bytes()

    result = run_handoff("open", "--data-dir", str(newer), env_extra={EXIT_AFTER_FIRST_PAINT_ENV: "1"})

    assert result.returncode == 1
    assert "newer version of Handoff" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == before
