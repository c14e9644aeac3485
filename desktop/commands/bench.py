"""``handoff bench --data-dir DIR [--json]``: measure a workspace's performance figures."""

from __future__ import annotations

import argparse
import json
import sys

from core.db.migrate import DatabaseError
from desktop.cli import CliError, add_data_dir_argument


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bench", help="measure start-up, search, case-opening, board-drop and SLA times"
    )
    add_data_dir_argument(parser, required=True)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from desktop.bench import run_bench

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        report = run_bench(args.data_dir, progress=progress)
    except (DatabaseError, RuntimeError) as error:
        raise CliError(str(error)) from error
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
        return 0
    print(f"Workspace:        {report.cases:,} cases")
    print(f"First paint:      {report.first_paint_s:.2f} s (cold {report.first_paint_cold_s:.2f} s)")
    print(f"Search:           p50 {report.search_ms.p50:.1f} ms, p95 {report.search_ms.p95:.1f} ms")
    print(
        f"Open case:        p50 {report.open_case_ms.p50:.1f} ms, p95 {report.open_case_ms.p95:.1f} ms "
        f"({report.open_case_events}+ events)"
    )
    print(
        f"Board drop:       p50 {report.board_drop_ms.p50:.1f} ms, p95 {report.board_drop_ms.p95:.1f} ms "
        f"({report.board_cards:,} cards in {report.board_lanes} lanes)"
    )
    print(
        f"SLA, every clock: {report.sla_all_s:.2f} s ({report.sla_open_cases:,} open cases from scratch, "
        f"{report.sla_workers} worker processes; {report.sla_all_one_process_s:.2f} s in one process, "
        f"{report.sla_all_explained_s:.2f} s with every explanation)"
    )
    print(
        f"SLA, one update:  p50 {report.sla_update_ms.p50:.2f} ms, p95 {report.sla_update_ms.p95:.2f} ms "
        "(read, compute, store one case)"
    )
    print(
        f"Sync, first:      {report.sync_tickets_per_s:,.0f} tickets/s ({report.sync_tickets:,} tickets, "
        f"{report.sync_comments:,} comments; merging {report.sync_merge_share:.0%} of the time)"
    )
    print(f"Peak memory:      {report.peak_rss_mb:.0f} MB (window process {report.gui_peak_rss_mb:.0f} MB)")
    return 0
