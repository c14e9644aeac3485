"""``handoff [open] [--data-dir DIR]``: open the main window on a workspace."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from desktop.cli import add_data_dir_argument
from desktop.commands.workspace_arg import workspace_dir


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("open", help="open the main window (the default command)")
    add_data_dir_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return open_window(workspace_dir(args))


def open_window(data_dir: Path, session_secrets: Mapping[str, str] | None = None) -> int:
    """Open the main window on ``data_dir``; returns when the user quits.

    ``session_secrets``: helpdesk connections signed in for this session only (the demo's sandbox).
    """
    from desktop.gui import run_gui  # Qt is imported only when a window is wanted

    return run_gui(data_dir, session_secrets=session_secrets)
