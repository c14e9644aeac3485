"""``handoff generate --data-dir DIR --cases N [--seed S]``: fill a new workspace with realistic cases.

For demos, manual testing and benchmarks. The workspace must not hold any
data yet; the generator never mixes invented cases with real ones. Progress
goes to stderr (a bar redrawn in place on a terminal, a few plain lines when
redirected), the summary to stdout.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine, text

from core.db.migrate import DatabaseError
from core.generator import GenerationReport, WorkspaceNotEmptyError, generate_workspace
from core.workspace import open_workspace
from desktop.cli import CliError, add_data_dir_argument

DEFAULT_SEED = 1


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "generate",
        help="fill a new workspace with realistic generated cases",
        description="Create (or fill an empty) workspace with a generated support organisation and cases. "
        "The same seed gives the same workspace for the same hour.",
    )
    add_data_dir_argument(parser, required=True)
    parser.add_argument(
        "--cases", type=positive_int, required=True, metavar="N", help="number of cases (≥ 1)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, metavar="S", help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--open-only",
        action="store_true",
        help="every case still open (no resolved or closed cases): a live queue, for load tests",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    data_dir: Path = args.data_dir
    report = generate_into(
        data_dir, cases=args.cases, seed=args.seed, stream=sys.stderr, open_only=args.open_only
    )
    print(
        f"Generated {report.cases:,} cases with {report.events:,} timeline events in {report.seconds:.1f} s "
        f"({report.customers:,} customers, {report.people} people) in {data_dir}"
    )
    return 0


def generate_into(
    data_dir: Path, *, cases: int, seed: int, stream: TextIO, open_only: bool = False
) -> GenerationReport:
    """Generate ``cases`` cases into the empty workspace ``data_dir``, drawing progress on ``stream``.

    Times are anchored at the current hour (UTC). Raises :class:`CliError` for
    a workspace that cannot be opened or already holds data.
    """
    engine = open_generation_target(data_dir)
    try:
        existing = count_cases(engine)
        if existing:
            raise CliError(
                f"The workspace in {data_dir} already contains {existing:,} cases. "
                "Generate into a new folder (or an empty workspace)."
            )
        progress = TerminalProgress(stream, unit="cases")
        anchor = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        try:
            report = generate_workspace(
                engine,
                cases=cases,
                seed=seed,
                anchor=anchor,
                progress=progress.update,
                phase=progress.phase,
                open_only=open_only,
            )
        except WorkspaceNotEmptyError as error:
            raise CliError(str(error)) from error
        finally:
            progress.close()
    finally:
        engine.dispose()
    return report


def open_generation_target(data_dir: Path) -> Engine:
    """Open (creating and migrating) the workspace in ``data_dir``; problems become a :class:`CliError`."""
    try:
        engine, _report = open_workspace(data_dir, create=True)
    except DatabaseError as error:
        raise CliError(str(error)) from error
    return engine


def count_cases(engine: Engine) -> int:
    """How many cases the workspace holds."""
    with engine.connect() as connection:
        count: int = connection.execute(text("SELECT count(*) FROM cases")).scalar_one()
    return count


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m {seconds:02d}s"


class TerminalProgress:
    """A text progress bar with percentage, rate and ETA.

    On a terminal the bar is redrawn in place with ``\\r``; when the stream is
    redirected (a log file, CI) it prints a plain line at each quarter instead,
    so logs stay short and readable.
    """

    WIDTH = 30

    def __init__(self, stream: TextIO, *, unit: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._unit = unit
        self._clock = clock
        self._started = clock()
        self._tty = stream.isatty()
        self._drawn = False
        self._next_quarter = 0

    def update(self, done: int, total: int) -> None:
        """Show that ``done`` of ``total`` units are finished."""
        elapsed = self._clock() - self._started
        fraction = done / total if total else 1.0
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = _duration((total - done) / rate) if rate > 0 else "?"
        if self._tty:
            filled = int(self.WIDTH * fraction)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            unit = self._unit
            line = f"[{bar}] {fraction:6.1%}  {done:,}/{total:,} {unit}  {rate:,.0f} {unit}/s  ETA {eta}"
            self._stream.write(f"\r{line}\x1b[K")
            self._drawn = True
        else:
            quarter = int(fraction * 4)
            if quarter < self._next_quarter:
                return
            self._next_quarter = quarter + 1
            self._stream.write(
                f"{fraction:.0%}: {done:,}/{total:,} {self._unit}, {rate:,.0f} {self._unit}/s, ETA {eta}\n"
            )
        self._stream.flush()

    def phase(self, description: str) -> None:
        """Announce a step that has no progress of its own (indexing, committing)."""
        self.close()
        elapsed = _duration(self._clock() - self._started)
        self._stream.write(f"{description[:1].upper()}{description[1:]} ({elapsed} so far)…\n")
        self._stream.flush()

    def close(self) -> None:
        """End a bar drawn in place, so that what is printed next starts on its own line."""
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()
            self._drawn = False
