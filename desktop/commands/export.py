"""``handoff export --data-dir DIR [--format json|csv] [--out FILE]``: write every case out.

Without ``--out`` the export streams to standard output. With it, the export
goes to a temporary file next to ``FILE`` that replaces ``FILE`` only once it
is complete, so a failure (disk full, interrupt) never leaves half a file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sqlalchemy.orm import Session

from core.transfer import export_csv, export_json
from desktop.cli import CliError, add_data_dir_argument
from desktop.commands.workspace_arg import open_engine

Exporter = Callable[[Session, TextIO], int]
FORMATS: dict[str, Exporter] = {"json": export_json, "csv": export_csv}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export every case as JSON (the handoff-export format) or CSV",
        description="Export every case of a workspace: with its whole context (JSON) or one row each (CSV).",
    )
    add_data_dir_argument(parser, required=True)
    parser.add_argument("--format", choices=sorted(FORMATS), default="json", help="default: json")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    exporter = FORMATS[args.format]
    engine = open_engine(args)
    try:
        # One read transaction: the export is a consistent snapshot while others write.
        with Session(engine) as session:
            if args.out is None:
                return _export_to_stdout(session, exporter)
            count = _export_to_file(session, exporter, args.out, newline="" if args.format == "csv" else None)
    finally:
        engine.dispose()
    print(f"Exported {count} case{'s' if count != 1 else ''} to {args.out}")
    return 0


def _export_to_stdout(session: Session, exporter: Exporter) -> int:
    stdout = sys.stdout
    if hasattr(stdout, "reconfigure"):
        stdout.reconfigure(encoding="utf-8")  # customer text is any Unicode, whatever the locale
    try:
        exporter(session, stdout)
        stdout.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep Python from complaining at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return 1
    return 0


def _export_to_file(session: Session, exporter: Exporter, path: Path, *, newline: str | None) -> int:
    """Export into a temporary file beside ``path``, then rename it over ``path``."""
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise CliError(f"Cannot write {path}: {error.strerror or error}.") from error
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            count = exporter(session, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(error, OSError):
            raise CliError(f"Cannot write {path}: {error.strerror or error}; nothing was written.") from error
        raise
    return count
