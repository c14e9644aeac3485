"""Opening the workspace a command was pointed at, with user-facing errors."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import Engine

from core.db.migrate import DatabaseError
from core.workspace import open_workspace
from desktop.cli import CliError
from desktop.paths import default_workspace_dir


def workspace_dir(args: argparse.Namespace) -> Path:
    """The workspace folder named by ``--data-dir``, or the default one."""
    data_dir: Path | None = getattr(args, "data_dir", None)
    return data_dir if data_dir is not None else default_workspace_dir()


def open_engine(args: argparse.Namespace, *, create: bool = False) -> Engine:
    """Open and migrate the workspace of ``args``; a database problem becomes a :class:`CliError`."""
    try:
        engine, _report = open_workspace(workspace_dir(args), create=create)
    except DatabaseError as error:
        raise CliError(str(error)) from error
    return engine
