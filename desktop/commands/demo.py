"""``handoff demo [--cases N] [--fresh] [--no-open] [--no-sync]``: open a generated demo workspace.

The demo workspace is generated relative to the hour it is created (on first use), so its
"recently resolved" cases and waiting times age; ``--fresh`` replaces it with a new one (and
picks up what newer Handoff versions generate, such as routing skills and capacities).

The window syncs with a sandbox Zendesk made from the workspace (:mod:`desktop.demo_helpdesk`):
what a specialist does reaches the helpdesk, and customers write back now and then.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from contextlib import ExitStack

from core.policy import Feature
from desktop.commands.generate import count_cases, generate_into, open_generation_target, positive_int
from desktop.commands.policy import require_feature
from desktop.paths import demo_workspace_dir

DEMO_SEED = 7
DEFAULT_DEMO_CASES = 2000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="open a demo workspace with generated cases",
        description="Create the demo workspace once (kept apart from real workspaces), then open it.",
    )
    parser.add_argument(
        "--cases",
        type=positive_int,
        default=DEFAULT_DEMO_CASES,
        metavar="N",
        help=f"cases to generate the first time (default {DEFAULT_DEMO_CASES:,})",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="replace the demo workspace with a newly generated one (what you changed in it is lost)",
    )
    parser.add_argument(
        "--no-open", action="store_true", help="only create the workspace and print its folder"
    )
    parser.add_argument(
        "--no-sync",
        action="store_true",
        help="open without the sandbox Zendesk (by default a sandbox made from the demo workspace runs "
        "on 127.0.0.1 and the window syncs with it)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    require_feature(Feature.DEMO, "handoff demo")  # the IT policy may turn the demo off
    path = demo_workspace_dir()
    if args.fresh and path.exists():
        print(f"Removing the demo workspace in {path}…", file=sys.stderr)
        shutil.rmtree(path)
    engine = open_generation_target(path)
    try:
        existing = count_cases(engine)
    finally:
        engine.dispose()
    if existing:
        print(f"Using the demo workspace in {path} ({existing:,} cases).", file=sys.stderr)
    else:
        print(f"Creating the demo workspace in {path}…", file=sys.stderr)
        report = generate_into(path, cases=args.cases, seed=DEMO_SEED, stream=sys.stderr)
        print(f"Generated {report.cases:,} cases in {report.seconds:.1f} s.", file=sys.stderr)
    if args.no_open:
        print(path)
        return 0
    from desktop.commands.open import open_window  # Qt is imported only when a window is wanted

    if args.no_sync:
        return open_window(path)
    from desktop.demo_helpdesk import DEMO_CONNECTION, connect_demo, sandbox_arguments
    from desktop.sandbox_process import running_sandbox

    print("Starting the sandbox Zendesk made from the demo workspace…", file=sys.stderr)
    with ExitStack() as stack:
        try:
            sandbox = stack.enter_context(running_sandbox(sandbox_arguments(path)))
        except RuntimeError as error:
            print(f"handoff: {error}; opening the demo without sync.", file=sys.stderr)
            return open_window(path)
        tickets = connect_demo(path, sandbox)
        print(f"Syncing {tickets:,} tickets with {sandbox.url} ({DEMO_CONNECTION}).", file=sys.stderr)
        return open_window(path, session_secrets={DEMO_CONNECTION: sandbox.token})
