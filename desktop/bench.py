"""``handoff bench``: the performance figures of a workspace, measured the way a user meets them.

- first paint: a fresh ``handoff open`` process, from spawn to the first painted inbox page;
- search: what the inbox does per keystroke (ranked ids + the first page of rows), over a
  fixed set of queries typed letter by letter;
- open case: the real main window opening the largest cases (DB load, timeline render), until
  ``case_loaded``;
- peak RSS: the larger of the GUI process's and this process's peak resident memory;
- board drop: a card dropped on another lane, until the move is committed, on a generated
  board of about 2,000 open cards of its own (:mod:`desktop.bench_board`; the user's
  workspace is never written);
- sync: a first sync of 100,000 tickets with their comments from the sandbox Zendesk (in its
  own process) into a new workspace, end to end (:mod:`desktop.bench_sync`);
- SLA: every clock of every open case computed from scratch (by worker processes, and in one
  process), and one case's deadline refreshed after a change (:mod:`desktop.bench_sla`;
  rolled back, nothing written).

``tests/benchmarks`` runs the same code.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.domain.dtos import InboxQuery, SortKey
from core.domain.enums import SavedView
from core.queries.inbox import inbox_case_ids, inbox_rows
from core.workspace import open_workspace
from desktop.bench_board import bench_board_drop
from desktop.bench_sla import measure_sla_all, measure_sla_all_in_workers, measure_sla_update
from desktop.bench_sync import SYNC_BENCH_TICKETS, bench_initial_sync

SEARCH_QUERIES: tuple[str, ...] = (
    "okta",
    "sso login",
    "invoice duplicate",
    "timeout",
    "502",
    "webhook signature",
    '"certificate rotation"',
    "export csv",
    "ios crash",
    "rate limit",
    "refund",
    "dashboard slow",
)
FIRST_PAGE = 200
FIRST_PAINT_TIMEOUT_S = 60


@dataclass(frozen=True)
class Percentiles:
    """p50 and p95 of a list of timings, in milliseconds."""

    p50: float
    p95: float
    samples: int

    @classmethod
    def of(cls, values_ms: Sequence[float]) -> Percentiles:
        ordered = sorted(values_ms)
        p95_index = max(0, min(len(ordered) - 1, round(0.95 * (len(ordered) - 1))))
        return cls(round(statistics.median(ordered), 2), round(ordered[p95_index], 2), len(ordered))


@dataclass(frozen=True)
class BenchReport:
    """Every figure ``handoff bench`` reports (``--json`` prints it as one object)."""

    cases: int
    first_paint_s: float
    first_paint_cold_s: float
    search_ms: Percentiles
    open_case_ms: Percentiles
    open_case_events: int
    peak_rss_mb: float
    gui_peak_rss_mb: float
    board_drop_ms: Percentiles
    board_cards: int
    board_lanes: int
    sla_all_s: float = 0.0
    sla_all_one_process_s: float = 0.0
    sla_workers: int = 0
    sla_all_explained_s: float = 0.0
    sla_open_cases: int = 0
    sla_update_ms: Percentiles = Percentiles(0.0, 0.0, 0)
    sync_tickets_per_s: float = 0.0
    sync_tickets: int = 0
    sync_comments: int = 0
    sync_merge_share: float = 0.0  # of the sync's time, the share the DB thread spent merging pages

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def typed_prefixes(query: str) -> list[str]:
    """The successive texts of the search box while ``query`` is typed (from 2 characters on)."""
    return [query[:end] for end in range(2, len(query) + 1) if not query[:end].endswith(" ")]


def handoff_command() -> list[str]:
    """How to start another ``handoff`` process: the frozen executable itself, or this Python."""
    return [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "desktop"]


def measure_first_paint(
    data_dir: Path, runs: int = 3, command: Sequence[str] | None = None
) -> tuple[list[float], float]:
    """Seconds from spawning ``handoff open`` to its first painted inbox page, per run; GUI peak RSS.

    ``command`` starts Handoff (default: :func:`handoff_command`; the release smoke test passes
    a frozen build's executable).
    """
    from desktop.gui import EXIT_AFTER_FIRST_PAINT_ENV, FIRST_PAINT_MARKER

    env = dict(os.environ, **{EXIT_AFTER_FIRST_PAINT_ENV: "1"})
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    timings: list[float] = []
    peak_mb = 0.0
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(
            [*(command or handoff_command()), "open", "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert process.stdout is not None
        line = ""
        deadline = started + FIRST_PAINT_TIMEOUT_S
        while time.perf_counter() < deadline:
            line = process.stdout.readline()
            if not line or line.startswith(FIRST_PAINT_MARKER):
                break
        elapsed = time.perf_counter() - started
        try:
            _out, err = process.communicate(timeout=FIRST_PAINT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, err = process.communicate()
        if not line.startswith(FIRST_PAINT_MARKER):
            raise RuntimeError(f"the window never reported its first paint: {err.strip()[-2000:]}")
        timings.append(elapsed)
        peak_mb = max(peak_mb, float(line.split("peak_rss_mb=")[1]))
    return timings, peak_mb


def _inbox_keystroke(session: Session, search: str) -> int:
    """What the inbox runs for one keystroke: ranked ids, then the first page of rows."""
    ids = inbox_case_ids(session, InboxQuery(view=SavedView.ALL_OPEN, search=search, sort=SortKey.RELEVANCE))
    inbox_rows(session, ids[:FIRST_PAGE])
    return len(ids)


def measure_search(db: DbRunner, queries: Sequence[str] = SEARCH_QUERIES, rounds: int = 2) -> list[float]:
    """Milliseconds per keystroke-search, every prefix of every query, ``rounds`` times."""
    timings: list[float] = []
    for _ in range(rounds):
        for query in queries:
            for typed in typed_prefixes(query):
                started = time.perf_counter()
                db.read(_inbox_keystroke, typed).result()
                timings.append((time.perf_counter() - started) * 1000)
    return timings


def _largest_cases(session: Session, count: int) -> list[tuple[int, int]]:
    rows = session.execute(
        text(
            "SELECT case_id, count(*) AS events FROM timeline_events GROUP BY case_id "
            "ORDER BY events DESC, case_id LIMIT :count"
        ),
        {"count": count},
    ).all()
    return [(row[0], row[1]) for row in rows]


def measure_open_case(db: DbRunner, cases: int = 30, rounds: int = 2) -> tuple[list[float], int]:
    """Milliseconds to open the largest cases in the real main window; and their event count."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.qt_app import create_application
    from desktop.qt_wait import wait_for_signal
    from ui.data_access import DataAccess
    from ui.main_window import MainWindow

    create_application()
    largest = db.read(_largest_cases, cases).result()
    window = MainWindow(DataAccess(db), workspace_label="bench")
    window.resize(1400, 900)
    window.show()
    wait_for_signal(window.inbox_loaded, 60_000, "the inbox to load")
    timings: list[float] = []
    for _ in range(rounds):
        for case_id, _events in largest:
            started = time.perf_counter()
            window.open_case(case_id)
            wait_for_signal(window.case_loaded, 10_000, f"case {case_id} to open")
            timings.append((time.perf_counter() - started) * 1000)
            window.show_inbox()
    window.close()
    return timings, min(events for _case, events in largest)


def _count_cases(session: Session) -> int:
    return int(session.execute(text("SELECT count(*) FROM cases")).scalar_one())


def run_bench(data_dir: Path, *, progress: Callable[[str], None] = lambda _message: None) -> BenchReport:
    """Measure every figure on the workspace in ``data_dir``."""
    engine, _report = open_workspace(data_dir, create=False)
    db = DbRunner(engine)
    try:
        cases = db.read(_count_cases).result()
        progress(f"workspace: {cases:,} cases")
        progress("first paint (3 fresh processes)…")
        paints, gui_peak = measure_first_paint(data_dir)
        progress("search while typing…")
        searches = measure_search(db)
        progress("opening the largest cases…")
        opens, events = measure_open_case(db)
        progress("computing every SLA clock of the open cases…")
        sla_all, sla_cases, sla_workers = measure_sla_all_in_workers(engine)
        sla_one_process, _cases = measure_sla_all(engine)
        sla_explained, _cases = measure_sla_all(engine, explained=True)
        progress("refreshing one case's SLA deadline after a change…")
        sla_updates = measure_sla_update(engine)
    finally:
        db.shutdown()
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the board is generated
    progress("dropping cards on a generated board of about 2,000 cards…")
    drops, board_cards, board_lanes = bench_board_drop()
    progress(f"a first sync of {SYNC_BENCH_TICKETS:,} tickets from the sandbox Zendesk…")
    synced = bench_initial_sync(SYNC_BENCH_TICKETS)
    return BenchReport(
        cases=cases,
        first_paint_s=round(statistics.median(paints), 3),
        first_paint_cold_s=round(paints[0], 3),
        search_ms=Percentiles.of(searches),
        open_case_ms=Percentiles.of(opens),
        open_case_events=events,
        peak_rss_mb=round(max(gui_peak, own_peak), 1),
        gui_peak_rss_mb=round(gui_peak, 1),
        board_drop_ms=Percentiles.of(drops),
        board_cards=board_cards,
        board_lanes=board_lanes,
        sla_all_s=round(sla_all, 3),
        sla_all_one_process_s=round(sla_one_process, 3),
        sla_workers=sla_workers,
        sla_all_explained_s=round(sla_explained, 3),
        sla_open_cases=sla_cases,
        sla_update_ms=Percentiles.of(sla_updates),
        sync_tickets_per_s=round(synced.tickets_per_s, 1),
        sync_tickets=synced.tickets,
        sync_comments=synced.comments,
        sync_merge_share=round(synced.merge_seconds / synced.seconds, 3) if synced.seconds else 0.0,
    )
