"""A workspace on disk: a folder holding the database file, its backups and the attached files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.db.engine import create_workspace_engine, writer
from core.db.migrate import DatabaseError, MigrationReport, check_revision_file, upgrade
from core.db.types import utc_now
from core.sla.parallel import bulk_refresher
from core.sla.store import refresh_deadlines

FIRST_SLA_REVISION = "0004"
"""Workspaces upgraded from before this revision get their SLA deadlines computed once."""

DB_FILENAME = "handoff.sqlite"
BACKUP_DIRNAME = "backups"
ATTACHMENTS_DIRNAME = "attachments"


@dataclass(frozen=True)
class WorkspacePaths:
    """Where a workspace keeps its files."""

    root: Path

    @classmethod
    def of_database(cls, database: Path) -> WorkspacePaths:
        """The paths of the workspace whose database file is ``database``."""
        return cls(database.parent)

    @property
    def database(self) -> Path:
        return self.root / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.root / BACKUP_DIRNAME

    @property
    def attachments(self) -> Path:
        """Where attached files are stored, each under its SHA-256."""
        return self.root / ATTACHMENTS_DIRNAME


def open_workspace(root: Path, *, create: bool = True) -> tuple[Engine, MigrationReport]:
    """Open (and migrate) the workspace in ``root``; creates it when ``create`` is true.

    Raises :class:`core.db.migrate.DatabaseError` subclasses with a user-facing message.
    """
    paths = WorkspacePaths(root)
    if not paths.database.exists():
        if not create:
            raise DatabaseError(f"There is no Handoff workspace in {root} (no {DB_FILENAME}).")
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(f"Cannot create the workspace folder {root}: {error.strerror}.") from error
    else:
        check_revision_file(paths.database)  # refuse a newer schema before touching the file
    engine = create_workspace_engine(paths.database)
    try:
        report = upgrade(engine, paths.database, paths.backups)
        if report.from_revision is not None and report.from_revision < FIRST_SLA_REVISION:
            _compute_first_deadlines(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine, report


def _compute_first_deadlines(engine: Engine) -> None:
    """A workspace that just gained SLA columns: every open case's deadline, computed once from its log."""
    with Session(writer(engine)) as session, session.begin(), bulk_refresher(session) as bulk:
        refresh_deadlines(session, None, utc_now(), bulk=bulk)
