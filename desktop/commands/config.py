"""``handoff config export|import``: the workspace configuration as one TOML file a team can edit.

``export`` writes the configuration the workspace uses (the shipped defaults
until one is imported) to FILE or standard output, with the organisation (teams,
people, skills, capacity, presence) as the workspace's tables hold it. ``import``
validates FILE completely first, including what depends on the workspace (its
product areas, teams its cases still refer to); on any problem it prints every one
of them, naming section and field, and changes nothing (exit status 2). A valid
file is applied in one transaction. A file without teams and people leaves the
organisation as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from core.config import ConfigError, WorkspaceConfig, export_config, load_config, parse_config, save_config
from core.db.engine import writer
from core.policy.config_lock import refuse_locked_changes
from desktop.cli import CliError, add_data_dir_argument
from desktop.commands.workspace_arg import open_engine, workspace_dir
from desktop.policy_source import loaded_app_policy


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "config",
        help="export or import the workspace configuration (criteria, readiness, templates, teams, …)",
        description="Exchange the workspace configuration as one human-readable TOML file.",
    )
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    export_parser = actions.add_parser(
        "export",
        help="write the configuration as TOML",
        description="Write the workspace configuration as TOML to FILE, or to standard output.",
    )
    add_data_dir_argument(export_parser, required=True)
    export_parser.add_argument("file", type=Path, nargs="?", metavar="FILE", help="default: standard output")
    export_parser.set_defaults(func=run_export)
    import_parser = actions.add_parser(
        "import",
        help="validate a TOML file and make it the configuration",
        description="Validate FILE completely; if it is valid, make it the workspace configuration.",
    )
    add_data_dir_argument(import_parser, required=True)
    import_parser.add_argument(
        "file", type=Path, metavar="FILE", help="a file written by `handoff config export`"
    )
    import_parser.set_defaults(func=run_import)


def run_export(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    try:
        with Session(engine) as session:
            text = export_config(_load(session))
    finally:
        engine.dispose()
    if args.file is None:
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")  # the file is UTF-8, whatever the locale
        sys.stdout.write(text)
        return 0
    _write_atomically(args.file, text)
    print(f"Exported the configuration to {args.file}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise CliError(f"Cannot read {args.file}: {reason}.") from error
    try:
        config = parse_config(text)
    except ConfigError as error:
        raise _not_imported(args.file, error) from error
    engine = open_engine(args, create=True)
    try:
        with Session(writer(engine)) as session, session.begin():
            refuse_locked_changes(session, config, loaded_app_policy().policy)  # the IT policy's locks
            save_config(session, config)
    except ConfigError as error:  # what only the workspace can tell (rolled back: nothing changed)
        raise _not_imported(args.file, error) from error
    finally:
        engine.dispose()
    print(f"Imported the configuration from {args.file} into {workspace_dir(args)}")
    return 0


def _not_imported(path: Path, error: ConfigError) -> CliError:
    return CliError(f"{path} was not imported; nothing changed.\n{error}")


def _load(session: Session) -> WorkspaceConfig:
    try:
        return load_config(session)
    except ConfigError as error:
        raise CliError(f"The stored configuration cannot be read; import a valid file.\n{error}") from error


def _write_atomically(path: Path, text: str) -> None:
    """Write into a temporary file beside ``path``, then rename it over ``path``: never half a file."""
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise CliError(f"Cannot write {path}: {error.strerror or error}.") from error
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise CliError(f"Cannot write {path}: {error.strerror or error}; nothing was written.") from error
