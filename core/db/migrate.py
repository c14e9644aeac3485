"""Schema migrations with Handoff's discipline: refuse newer schemas, back up, never delete data.

Alembic runs without an ini file; ``script_location`` is set in code as a
package resource so that the frozen build finds the migrations too.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

log = logging.getLogger("handoff.db")

SCRIPT_LOCATION = "core.db:migrations"


class DatabaseError(Exception):
    """A known database problem, with a message written for the user."""


class NewerSchemaError(DatabaseError):
    """The workspace was written by a newer Handoff than this one."""


class NotAWorkspaceError(DatabaseError):
    """The file is not a Handoff workspace database (or is damaged)."""


@dataclass(frozen=True)
class MigrationReport:
    """What :func:`upgrade` found and did."""

    from_revision: str | None
    to_revision: str
    backup_path: Path | None

    @property
    def upgraded(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str:
    """The newest schema revision this version of Handoff knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except Exception as error:  # sqlite3.DatabaseError through SQLAlchemy
        raise _not_a_workspace(str(engine.url.database), getattr(error, "orig", error)) from error


def _not_a_workspace(path: str, error: object) -> NotAWorkspaceError:
    return NotAWorkspaceError(f"The file {path} is not a Handoff workspace or is damaged ({error}).")


def _refuse_unknown(revision: str | None) -> str | None:
    if revision is None:
        return None
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if revision not in known:
        raise NewerSchemaError(
            f"This workspace was written by a newer version of Handoff (schema {revision}; "
            f"this version knows up to {head_revision()}). Update Handoff to open it; "
            "nothing was changed."
        )
    return revision


def check_revision(engine: Engine) -> str | None:
    """The stored revision, after refusing one this version does not know (a newer Handoff's)."""
    return _refuse_unknown(current_revision(engine))


def check_revision_file(db_path: Path) -> str | None:
    """Like :func:`check_revision`, through a read-only connection that changes not one byte.

    Run before an engine is created: the engine's connections switch the file to WAL.
    """
    try:
        connection = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            has_table = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            row = (
                connection.execute("SELECT version_num FROM alembic_version").fetchone()
                if has_table
                else None
            )
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise _not_a_workspace(str(db_path), error) from error
    return _refuse_unknown(row[0] if row else None)


def backup_database(db_path: Path, backup_dir: Path, label: str) -> Path:
    """Copy the database consistently (SQLite online backup) into ``backup_dir``; return the copy."""
    if not db_path.is_file():
        raise DatabaseError(f"There is no database at {db_path} to back up.")
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{db_path.stem}-{label}-{stamp}.sqlite"
    source = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    log.info("backed up %s to %s", db_path, target)
    return target


def upgrade(engine: Engine, db_path: Path, backup_dir: Path) -> MigrationReport:
    """Bring the database to the head revision, backing it up first if it holds a schema.

    Raises :class:`NewerSchemaError` for a database from a newer Handoff and
    :class:`NotAWorkspaceError` for a file that is not a workspace. A failed
    migration rolls back (SQLite DDL is transactional) and leaves the backup.
    """
    revision = check_revision(engine)
    head = head_revision()
    if revision == head:
        return MigrationReport(revision, head, None)
    backup = backup_database(db_path, backup_dir, f"before-{head}") if revision is not None else None
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("migrated %s from %s to %s", db_path, revision, head)
    return MigrationReport(revision, head, backup)
