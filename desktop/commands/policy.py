"""``handoff policy check FILE`` and ``handoff policy show``: the IT policy, validated and explained.

``check`` lists every problem of a policy file (the key, the value found, what is allowed) and
exits with 1 if there is any, 0 if the file is valid. ``show`` prints the policy in effect on
this machine as a complete document, where it came from, and its problems.

The other commands ask :func:`require_feature` and :func:`require_connection_allowed`
before doing what the policy may forbid.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.policy import POLICY_FILE_ENV, Feature, load_policy_file
from core.policy.describe import policy_to_tree
from core.policy.hosts import ConnectionFields, user_connection_problems
from desktop.cli import CliError
from desktop.policy_source import loaded_app_policy, read_policy


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "policy",
        help="check an IT policy file, or show the policy in effect",
        description="The IT policy pins settings for every user of this machine "
        f"(/etc/handoff/policy.json; {POLICY_FILE_ENV} names another file).",
    )
    actions = parser.add_subparsers(dest="policy_action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate a policy file and explain every problem")
    check.add_argument("file", type=Path, metavar="FILE", help="the policy file (JSON)")
    check.set_defaults(func=run_check)
    show = actions.add_parser("show", help="print the policy in effect and where it came from")
    show.set_defaults(func=run_show)


def run_check(args: argparse.Namespace) -> int:
    result = load_policy_file(args.file)
    if result.valid:
        print(f"{args.file}: the policy is valid.")
        return 0
    count = len(result.problems)
    print(f"{args.file}: {count} problem{'s' if count != 1 else ''} (each falls back to a safe default):")
    for problem in result.problems:
        print(f"  {problem}")
    return 1


def run_show(_args: argparse.Namespace) -> int:
    loaded = read_policy()
    print(f"Source: {loaded.source.describe()}")
    for problem in loaded.problems:
        print(f"Problem: {problem}")
    print(json.dumps(policy_to_tree(loaded.policy), indent=2))
    return 0


def require_feature(feature: Feature, what: str) -> None:
    """Raise :class:`CliError` if the machine's policy turns ``feature`` off (``what`` names the command)."""
    if not loaded_app_policy().policy.feature_enabled(feature):
        raise CliError(f"{what} is turned off by your organization's policy.")


def require_connection_allowed(draft: ConnectionFields) -> None:
    """Raise :class:`CliError` if the policy does not let users save ``draft`` (host, locked connections)."""
    problems = user_connection_problems(draft, loaded_app_policy().policy)
    if problems:
        raise CliError("; ".join(problem.split(": ", 1)[1] for problem in problems))
