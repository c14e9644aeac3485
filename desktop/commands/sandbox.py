"""``handoff sandbox zendesk``: run a sandbox Zendesk on this machine until Ctrl+C.

It serves a seeded Zendesk Support API on ``127.0.0.1`` (HTTPS with a
freshly made certificate, or plain HTTP with ``--http``). Once it accepts
connections it prints one line: the base URL, the agent credentials it
accepts and, for HTTPS, the certificate to trust, e.g.::

    https://127.0.0.1:8443 email=agent@sandbox.test token=Xy… ca=/tmp/…/sandbox-cert.pem

It stops cleanly (exit status 0) on Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from core.db.migrate import DatabaseError
from desktop.cli import CliError
from desktop.commands.generate import positive_int
from sync.sandbox.faults import FaultSpec
from sync.sandbox.zendesk.envelope import RATE_LIMIT_PER_MINUTE, RateLimit
from sync.sandbox.zendesk.seed import load_seed
from sync.sandbox.zendesk.server import DEFAULT_CASES, DEFAULT_SEED, ZendeskSandbox
from sync.sandbox.zendesk.workspace_link import seed_from_workspace

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help="run a sandbox helpdesk on this machine (for demos and trying sync)",
        description="Run a helpdesk sandbox on 127.0.0.1 with generated tickets, until Ctrl+C.",
    )
    kinds = parser.add_subparsers(dest="sandbox", metavar="HELPDESK", required=True)
    zendesk = kinds.add_parser(
        "zendesk",
        help="a sandbox Zendesk Support account",
        description="Serve a seeded Zendesk Support API. Prints one line with its base URL and the "
        "credentials it accepts once it is ready.",
    )
    zendesk.add_argument("--port", type=int, default=0, metavar="P", help="port (default: any free port)")
    zendesk.add_argument(
        "--cases",
        type=positive_int,
        default=DEFAULT_CASES,
        metavar="N",
        help=f"number of tickets (default {DEFAULT_CASES})",
    )
    zendesk.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, metavar="S", help=f"random seed (default {DEFAULT_SEED})"
    )
    zendesk.add_argument(
        "--faults",
        type=fault_spec,
        default=FaultSpec(),
        metavar="SPEC",
        help="inject faults, e.g. 429=0.1,500=0.05,slow=0.1:2.0,drop=0.02,conflict=0.05,seed=7",
    )
    zendesk.add_argument(
        "--from-workspace",
        type=Path,
        default=None,
        metavar="DIR",
        help="serve the cases of this workspace as tickets (its teams, people and customers as groups, "
        "agents and organizations) instead of generated ones",
    )
    zendesk.add_argument("--http", action="store_true", help="plain HTTP instead of HTTPS")
    zendesk.add_argument(
        "--rate-limit",
        type=positive_int,
        default=RATE_LIMIT_PER_MINUTE,
        metavar="N",
        help=f"requests per minute the rate-limit headers advertise (default {RATE_LIMIT_PER_MINUTE})",
    )
    zendesk.add_argument(
        "--enforce-rate-limit",
        action="store_true",
        help="answer 429 with Retry-After beyond --rate-limit requests in a minute",
    )
    zendesk.add_argument(
        "--replies-every",
        type=positive_seconds,
        default=None,
        metavar="SECONDS",
        help="a customer writes back on an open ticket this often (default: never)",
    )
    zendesk.set_defaults(func=run_zendesk)


def fault_spec(text: str) -> FaultSpec:
    """An argparse type: a fault specification."""
    try:
        return FaultSpec.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def positive_seconds(text: str) -> float:
    """An argparse type: a number of seconds above zero."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return seconds


def run_zendesk(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise CliError(f"--port must be from 0 to 65535, not {args.port}")
    if args.from_workspace is not None:
        print(f"Reading the workspace in {args.from_workspace}…", file=sys.stderr, flush=True)
        try:
            seed_data = seed_from_workspace(args.from_workspace)
        except DatabaseError as error:
            raise CliError(str(error)) from None
    else:
        print(f"Preparing {args.cases:,} tickets (seed {args.seed})…", file=sys.stderr, flush=True)
        seed_data = load_seed(args.cases, args.seed)
    sandbox = ZendeskSandbox(
        seed_data=seed_data,
        http=args.http,
        port=args.port,
        faults=args.faults,
        customer_reply_every_s=args.replies_every,
        rate_limit=RateLimit(args.rate_limit, args.enforce_rate_limit),
    )
    # The seeded helpdesk lives as long as the process: left out of every garbage collection
    # (walking its millions of objects again and again took most of the time of a large export).
    gc.freeze()
    stop = threading.Event()
    previous = {number: signal.signal(number, _stopper(stop)) for number in _STOP_SIGNALS}
    try:
        try:
            sandbox.start()
        except OSError as error:
            raise CliError(f"Cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}") from None
        ca = f" ca={sandbox.ca_bundle}" if sandbox.ca_bundle else ""
        print(f"{sandbox.base_url} email={sandbox.email} token={sandbox.token}{ca}", flush=True)
        while not stop.wait(0.2):
            pass
    finally:
        sandbox.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
    print("Sandbox stopped.", file=sys.stderr)
    return 0


def _stopper(stop: threading.Event) -> Callable[[int, FrameType | None], None]:
    """A signal handler that asks the main loop to stop."""

    def handle(number: int, frame: FrameType | None) -> None:
        stop.set()

    return handle
