"""``handoff sync``: sync a workspace with its helpdesks from the terminal (no window).

``--once`` pulls every change and delivers the outbox once, then exits: 0 when every
connection synced, 1 with the reason (sign-in refused, host unreachable, certificate not
trusted...) otherwise. Without it, it keeps syncing every ``--interval`` seconds until Ctrl+C
or SIGTERM. Progress goes to standard error ("Acme Zendesk: pulled 1,200 tickets…").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import TYPE_CHECKING

from core.db.runner import DbRunner
from core.remote.dtos import ConnectionStatus
from core.remote.status import ConnectionSyncStatus
from desktop.cli import CliError, add_data_dir_argument
from desktop.commands.workspace_arg import open_engine

if TYPE_CHECKING:
    from sync.engine import SyncEngine, SyncReport
    from sync.engine.report import ConnectionReport

DEFAULT_INTERVAL_S = 60.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="sync the workspace with its helpdesks (no window)",
        description="Pull every helpdesk change and deliver the outbox, once or until Ctrl+C.",
    )
    add_data_dir_argument(parser, required=True)
    parser.add_argument("--once", action="store_true", help="sync once and exit (status 1 on failure)")
    parser.add_argument("--connection", metavar="NAME", help="only this connection (default: every one)")
    parser.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL_S,
        metavar="SECONDS",
        help=f"seconds between syncs without --once (default {DEFAULT_INTERVAL_S:g})",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # The sync packages (HTTP client, connectors) load only when this command runs, not with
    # every other command's parser.
    from sync.engine import NoSuchConnection
    from sync.http import install_redaction

    install_redaction()
    if args.interval <= 0:
        raise CliError(f"--interval must be more than 0 seconds, not {args.interval:g}")
    db = DbRunner(open_engine(args))
    try:
        return asyncio.run(_sync(db, args))
    except NoSuchConnection as unknown:
        raise CliError(str(unknown)) from None
    finally:
        db.shutdown()


async def _sync(db: DbRunner, args: argparse.Namespace) -> int:
    from sync.engine import SyncEngine
    from sync.factory import connector_factory

    engine = SyncEngine(db, connector_factory(), on_progress=_print_progress)
    try:
        if args.once:
            report = await engine.run_once(args.connection)
            return _print_report(report)
        if args.connection is not None:
            raise CliError("--connection works with --once only; without it every connection syncs")
        await _until_stopped(engine, args.interval)
        return 0
    finally:
        await engine.aclose()


async def _until_stopped(engine: SyncEngine, interval: float) -> None:
    """Run the background loop until Ctrl+C or SIGTERM, printing each change of state."""
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C still raises KeyboardInterrupt
            loop.add_signal_handler(number, engine.stop)
    watcher = asyncio.create_task(_print_states(engine))
    try:
        await engine.run_forever(interval)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    print("Sync stopped.", file=sys.stderr)


async def _print_states(engine: SyncEngine) -> None:
    """Say when a connection's state changes (connected, offline, sign-in needed...)."""
    seen: dict[int, tuple[ConnectionStatus, str | None]] = {}
    while True:
        for connection in engine.status().connections:
            now = (connection.state, connection.message)
            if (
                seen.get(connection.connection_id) != now
                and connection.state != ConnectionStatus.NEVER_SYNCED
            ):
                seen[connection.connection_id] = now
                print(_state_line(connection), file=sys.stderr, flush=True)
        await asyncio.sleep(1.0)


def _print_progress(connection: ConnectionSyncStatus) -> None:
    progress = connection.progress
    print(
        f"{connection.name}: pulled {progress.tickets_pulled:,} tickets ({progress.pages_pulled:,} pages), "
        f"delivered {progress.entries_delivered:,} changes…",
        file=sys.stderr,
        flush=True,
    )


def _state_line(connection: ConnectionSyncStatus) -> str:
    words = {
        ConnectionStatus.CONNECTED: "connected",
        ConnectionStatus.OFFLINE: "offline",
        ConnectionStatus.SIGN_IN_NEEDED: "sign-in needed",
        ConnectionStatus.ERROR: "error",
        ConnectionStatus.NEVER_SYNCED: "never synced",
    }
    line = f"{connection.name}: {words[connection.state]}"
    return f"{line}. {connection.message}" if connection.message else line


def _print_report(report: SyncReport) -> int:
    """One summary line per connection; the exit status."""
    if not report.connections:
        print("No connection to sync; add one with 'handoff connect zendesk'.", file=sys.stderr)
        return 0
    for connection in report.connections:
        print(_summary(connection), file=sys.stderr if connection.error else sys.stdout)
    return 0 if report.ok else 1


def _summary(report: ConnectionReport) -> str:
    line = f"{report.name}: {report.tickets_pulled:,} tickets pulled, {report.delivered:,} changes delivered"
    extras = [
        f"{count:,} {what}"
        for count, what in (
            (report.failed, "refused"),
            (report.conflicts, "in conflict"),
            (report.retrying, "to retry later"),
        )
        if count
    ]
    if extras:
        line += " (" + ", ".join(extras) + ")"
    if report.error:
        return f"{line}. Sync stopped: {report.error}"
    return line + "."
