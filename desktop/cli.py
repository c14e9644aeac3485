"""The ``handoff`` command line: opens the window by default, or runs a subcommand.

Each subcommand lives in its own module under :mod:`desktop.commands` and
exposes ``register(subparsers)``; modules are imported lazily enough that
commands which do not need Qt never import it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from desktop.logging_setup import configure_logging
from desktop.paths import log_dir

COMMAND_MODULES = (
    "open",
    "demo",
    "generate",
    "search",
    "screenshot",
    "export",
    "import_",
    "db",
    "doctor",
    "bench",
    "config",
    "sla",
    "sandbox",
    "connect",
    "sync",
    "policy",
)

GUI_COMMANDS = frozenset({"open", "demo"})


class CliError(Exception):
    """A problem the user can fix; printed without a traceback, exit status 2."""


def handoff_version() -> str:
    """The installed version of Handoff."""
    try:
        return version("handoff")
    except PackageNotFoundError:
        return "0+unknown"


def add_data_dir_argument(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    """The ``--data-dir DIR`` option shared by every command that works on a workspace."""
    if required:
        parser.add_argument("--data-dir", type=Path, required=True, metavar="DIR", help="workspace folder")
    else:
        # SUPPRESS: a value given before the subcommand is not reset by the subcommand's default.
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=argparse.SUPPRESS,
            metavar="DIR",
            help="workspace folder (default: the user data directory)",
        )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="handoff",
        description="Handoff: work escalated support cases in a fast native window.",
    )
    parser.add_argument("--version", action="version", version=f"handoff {handoff_version()}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages to stderr")
    add_data_dir_argument(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"desktop.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        data_dir = getattr(args, "data_dir", None)
        args = parser.parse_args(["open", *([] if data_dir is None else ["--data-dir", str(data_dir)])])
    configure_logging(log_dir() if args.command in GUI_COMMANDS else None, verbose=args.verbose)
    if args.command != "policy":  # `policy check FILE` reads another file; `policy show` reads it itself
        from desktop.policy_source import load_app_policy

        load_app_policy()  # each problem logged; core.policy.current_policy() from here on
    try:
        result: int = args.func(args)
    except CliError as error:
        print(f"handoff: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("handoff: interrupted", file=sys.stderr)
        return 130
    return result
