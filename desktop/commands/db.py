"""``handoff db upgrade|check|backup --data-dir DIR``: look after a workspace database.

- ``upgrade`` migrates to the newest schema (backing up first) and prints from → to.
- ``check`` runs SQLite's integrity check, the full-text index's own check and a
  comparison of the index with the cases, the foreign-key check and the schema
  revision; it prints OK or each problem, and exits 1 when there is one. It
  writes no data (the index check runs in a transaction that is rolled back).
- ``backup`` writes a consistent copy (SQLite online backup) into the
  workspace's ``backups`` folder, or to ``--out FILE``, and prints its path.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from core.db.engine import create_workspace_engine
from core.db.migrate import (
    DatabaseError,
    NewerSchemaError,
    NotAWorkspaceError,
    backup_database,
    check_revision,
    current_revision,
    head_revision,
)
from core.workspace import WorkspacePaths, open_workspace
from desktop.cli import CliError, add_data_dir_argument
from desktop.commands.workspace_arg import workspace_dir

MAX_PROBLEMS_PER_CHECK = 20


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("db", help="upgrade, check or back up a workspace database")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    for name, run, help_text in (
        ("upgrade", run_upgrade, "migrate to the newest schema (after a backup)"),
        ("check", run_check, "check integrity, search index, foreign keys and schema revision"),
        ("backup", run_backup, "write a consistent copy of the database"),
    ):
        action = actions.add_parser(name, help=help_text, description=f"{name}: {help_text}")
        add_data_dir_argument(action, required=True)
        action.set_defaults(func=run)
        if name == "backup":
            action.add_argument("--out", type=Path, metavar="FILE", help="write the copy to FILE")


def _existing_database(args: argparse.Namespace) -> Path:
    database = WorkspacePaths(workspace_dir(args)).database
    if not database.is_file():
        raise CliError(f"There is no Handoff workspace in {database.parent} (no {database.name}).")
    return database


def run_upgrade(args: argparse.Namespace) -> int:
    database = _existing_database(args)
    try:
        engine, report = open_workspace(database.parent, create=False)
    except DatabaseError as error:
        raise CliError(str(error)) from error
    engine.dispose()
    if not report.upgraded:
        print(f"{database} is at schema {report.to_revision}, the newest; nothing to do.")
        return 0
    print(f"Upgraded {database}: schema {report.from_revision or 'none'} -> {report.to_revision}.")
    if report.backup_path is not None:
        print(f"Backup of the previous version: {report.backup_path}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    database = _existing_database(args)
    out: Path | None = args.out
    if out is not None and out.exists():
        raise CliError(f"{out} already exists; choose another file name.")
    if out is not None and not out.parent.is_dir():
        raise CliError(f"The folder {out.parent} does not exist.")
    engine = create_workspace_engine(database)
    try:
        current_revision(engine)  # refuses a file that is not a workspace; any schema version is fine
    except DatabaseError as error:
        raise CliError(str(error)) from error
    finally:
        engine.dispose()
    backup_dir = WorkspacePaths(database.parent).backups if out is None else out.parent
    try:
        copy = backup_database(database, backup_dir, "manual")
        if out is not None:
            os.replace(copy, out)
            copy = out
    except (OSError, sqlite3.Error) as error:
        raise CliError(f"Cannot write the backup: {error}.") from error
    print(copy)
    return 0


def run_check(args: argparse.Namespace) -> int:
    database = _existing_database(args)
    print(f"Checking {database}")
    engine = create_workspace_engine(database)
    try:
        problems = _run_checks(engine)
    finally:
        engine.dispose()
    if problems:
        print(f"{problems} problem{'s' if problems != 1 else ''} found.")
        return 1
    print("All checks passed.")
    return 0


def _run_checks(engine: Engine) -> int:
    """Print each check's outcome; returns the number of problems found."""
    schema_problems, has_schema, revision_note = _check_schema(engine)
    total = _report("schema revision", schema_problems, revision_note)
    if not has_schema:
        return total
    checks: list[tuple[str, Callable[[Connection], list[str]]]] = [
        ("database file", _check_integrity),
        ("search index", _check_search_index),
        ("foreign keys", _check_foreign_keys),
    ]
    with engine.connect() as connection:
        for label, check in checks:
            try:
                problems = check(connection)
            except DBAPIError as error:
                problems = [f"the check could not run: {error.orig}"]
            finally:
                connection.rollback()
            total += _report(label, problems)
    return total


def _report(label: str, problems: list[str], note: str = "") -> int:
    if not problems:
        print(f"  {label:<16} OK{note}")
        return 0
    print(f"  {label:<16} PROBLEM")
    for problem in problems[:MAX_PROBLEMS_PER_CHECK]:
        print("      " + problem.replace("\n", "\n      "))
    if len(problems) > MAX_PROBLEMS_PER_CHECK:
        print(f"      … and {len(problems) - MAX_PROBLEMS_PER_CHECK} more")
    return len(problems)


def _check_schema(engine: Engine) -> tuple[list[str], bool, str]:
    """Problems with the schema revision, whether there is a schema to check further, and a note."""
    try:
        revision = check_revision(engine)
    except NewerSchemaError as error:
        return [str(error)], True, ""  # still a SQLite database worth checking
    except NotAWorkspaceError as error:
        return [str(error)], False, ""
    if revision is None:
        return ["the database has no Handoff schema; run `handoff db upgrade` to create it"], False, ""
    head = head_revision()
    if revision == head:
        return [], True, f" ({revision}, the newest)"
    return [], True, f" ({revision}; Handoff upgrades it to {head} when it next opens the workspace)"


def _check_integrity(connection: Connection) -> list[str]:
    rows = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check").all()]
    return [] if rows == ["ok"] else rows


def _check_search_index(connection: Connection) -> list[str]:
    problems: list[str] = []
    try:
        connection.exec_driver_sql("INSERT INTO case_fts(case_fts) VALUES('integrity-check')")
    except DBAPIError as error:
        problems.append(f"the full-text index is damaged ({error.orig})")
    missing = connection.execute(
        text("SELECT count(*) FROM cases WHERE id NOT IN (SELECT rowid FROM case_fts)")
    ).scalar_one()
    orphans = connection.execute(
        text("SELECT count(*) FROM case_fts WHERE rowid NOT IN (SELECT id FROM cases)")
    ).scalar_one()
    stale = connection.execute(
        text(
            "SELECT count(*) FROM cases c JOIN case_fts f ON f.rowid = c.id "
            "WHERE f.subject IS NOT c.subject OR f.description IS NOT c.description"
        )
    ).scalar_one()
    for count, what in (
        (missing, "cases missing from the search index"),
        (orphans, "search index entries of cases that no longer exist"),
        (stale, "cases whose subject or description is out of date in the search index"),
    ):
        if count:
            problems.append(f"{what}: {count}")
    return problems


def _check_foreign_keys(connection: Connection) -> list[str]:
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    violations = Counter((table, parent) for table, _rowid, parent, _fkid in rows)
    return [
        f"rows of {table} that point to a missing row of {parent}: {count}"
        for (table, parent), count in sorted(violations.items())
    ]
