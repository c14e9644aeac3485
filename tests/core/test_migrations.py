"""Migration discipline: golden databases upgrade without loss; newer or foreign files stay untouched."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.db.migrate import NewerSchemaError, NotAWorkspaceError, backup_database, head_revision
from core.search import search_cases
from core.workspace import DB_FILENAME, open_workspace

GOLDEN_DIR = Path(__file__).parent / "golden"
GOLDEN_FILES = sorted(GOLDEN_DIR.glob("schema_*.sqlite"))
GOLDEN_CASE_NUMBERS = [4101, 4102, 4103]  # written by golden/make_golden.py into every golden file


def _install(golden: Path, workspace_dir: Path) -> Path:
    """A copy of ``golden`` as the database of a workspace in ``workspace_dir``."""
    workspace_dir.mkdir(parents=True, exist_ok=True)
    database = workspace_dir / DB_FILENAME
    shutil.copyfile(golden, database)
    return database


def _table_contents(database: Path) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """Every ordinary table's columns and rows (FTS shadow tables and Alembic's own excluded)."""
    connection = sqlite3.connect(database)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'case_fts%' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name"
            )
        ]
        contents = {}
        for table in tables:
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            rows = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            contents[table] = (columns, rows)
        return contents
    finally:
        connection.close()


def _rows_in(database: Path, table: str, columns: list[str]) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(database)
    try:
        selected = ", ".join(f'"{column}"' for column in columns)
        return connection.execute(f'SELECT {selected} FROM "{table}" ORDER BY rowid').fetchall()
    finally:
        connection.close()


def test_there_is_a_golden_file_for_the_head_revision() -> None:
    assert GOLDEN_DIR / f"schema_{head_revision()}.sqlite" in GOLDEN_FILES


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda path: path.stem)
def test_upgrading_a_golden_database_keeps_every_row(golden: Path, workspace_dir: Path) -> None:
    database = _install(golden, workspace_dir)
    before = _table_contents(database)
    assert sum(len(rows) for _columns, rows in before.values()) > 20

    engine, report = open_workspace(workspace_dir, create=False)
    engine.dispose()

    assert report.to_revision == head_revision()
    for table, (columns, rows) in before.items():
        # Later schemas may add columns; the columns the golden file had keep their values.
        assert _rows_in(database, table, columns) == rows, f"rows of {table} changed"


@pytest.mark.parametrize(
    "golden", [path for path in GOLDEN_FILES if path.stem < "schema_0004"], ids=lambda path: path.stem
)
def test_a_workspace_gaining_sla_columns_gets_its_open_cases_deadlines(
    golden: Path, workspace_dir: Path
) -> None:
    database = _install(golden, workspace_dir)

    engine, _report = open_workspace(workspace_dir, create=False)
    engine.dispose()

    rows = _rows_in(database, "cases", ["number", "stage", "sla_due_at", "sla_metric"])
    open_rows = [row for row in rows if row[1] not in ("resolved", "closed")]
    assert open_rows, "the golden file has open cases"
    assert all(row[2] is not None and row[3] for row in open_rows), open_rows


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda path: path.stem)
def test_search_finds_the_golden_cases_after_upgrade(golden: Path, workspace_dir: Path) -> None:
    _install(golden, workspace_dir)
    engine, _report = open_workspace(workspace_dir, create=False)
    try:
        with Session(engine) as session:
            found = {
                word: [hit.number for hit in search_cases(session, word)]
                for word in ("okta", "invoice", "webhook", "HAR file", "clock skew")
            }
    finally:
        engine.dispose()
    assert found == {
        "okta": [4101],
        "invoice": [4102],
        "webhook": [4103],
        "HAR file": [4101],
        "clock skew": [4101],
    }


def test_a_database_from_a_newer_handoff_is_refused_and_left_untouched(workspace_dir: Path) -> None:
    database = _install(GOLDEN_FILES[-1], workspace_dir)
    connection = sqlite3.connect(database)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    original = database.read_bytes()

    with pytest.raises(NewerSchemaError) as refused:
        open_workspace(workspace_dir, create=False)

    message = str(refused.value)
    assert "newer version of Handoff" in message
    assert "Update Handoff" in message
    assert "9999_from_the_future" in message
    assert database.read_bytes() == original
    assert not (workspace_dir / "backups").exists()


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(workspace_dir: Path) -> None:
    workspace_dir.mkdir(parents=True)
    database = workspace_dir / DB_FILENAME
    database.write_bytes(b"These are my meeting notes, not a database.\n" * 200)
    original = database.read_bytes()

    with pytest.raises(NotAWorkspaceError) as refused:
        open_workspace(workspace_dir, create=False)

    assert "not a Handoff workspace" in str(refused.value)
    assert database.read_bytes() == original


def test_backup_database_writes_a_readable_consistent_copy(workspace_dir: Path, tmp_path: Path) -> None:
    _install(GOLDEN_FILES[-1], workspace_dir)
    engine, _report = open_workspace(workspace_dir, create=False)
    engine.dispose()

    copy = backup_database(workspace_dir / DB_FILENAME, tmp_path / "backups", "manual")

    assert copy.parent == tmp_path / "backups"
    assert copy != workspace_dir / DB_FILENAME
    connection = sqlite3.connect(copy)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        numbers = [row[0] for row in connection.execute("SELECT number FROM cases ORDER BY number")]
        assert numbers == GOLDEN_CASE_NUMBERS
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    finally:
        connection.close()


def test_engine_connections_use_wal_foreign_keys_and_a_busy_timeout(engine: Engine) -> None:
    with engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
        }
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 1, "busy_timeout": 5000}
