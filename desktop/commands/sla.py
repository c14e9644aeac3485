"""``handoff sla --data-dir DIR --case NUMBER [--json]``: a case's SLA clocks, deadlines and why.

Prints the policy the case's cycle follows (and its version), the calendar and time zone,
each clock with its deadline in the calendar's local time (ISO 8601 with offset), the
explanation and the pause ledger; a synced case also its helpdesk's own SLA targets.
``--json`` prints the same as one JSON object.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.engine import writer
from core.db.models import CaseRow
from core.db.types import utc_now
from core.sla.clocks_json import calendar_zone, clocks_to_json, local_iso
from core.sla.store import CaseSla, case_sla
from core.sla.types import Clock, Pause
from core.sla.vendor import VendorSlaTarget, targets_to_json, vendor_targets
from desktop.cli import CliError, add_data_dir_argument
from desktop.commands.workspace_arg import open_engine


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sla",
        help="show a case's SLA clocks, deadlines, explanation and pause ledger",
        description="Show when each SLA clock of a case is due and why, in the calendar's time zone.",
    )
    add_data_dir_argument(parser, required=True)
    parser.add_argument("--case", type=int, required=True, metavar="NUMBER", help="the case number")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    try:
        # A writer: the first look at a cycle stores the policy it started with.
        with Session(writer(engine)) as session, session.begin():
            case_id = session.scalar(select(CaseRow.id).where(CaseRow.number == args.case))
            if case_id is None:
                raise CliError(f"there is no case {args.case} in {args.data_dir}")
            sla = case_sla(session, case_id, utc_now())
            vendor = vendor_targets(session, case_id)
    finally:
        engine.dispose()
    if args.json:
        print(
            json.dumps(
                {
                    "case": args.case,
                    **clocks_to_json(sla.clocks, sla.timezone),
                    "helpdesk_targets": targets_to_json(vendor),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(format_sla(args.case, sla, vendor))
    return 0


def format_sla(number: int, sla: CaseSla, vendor: Sequence[VendorSlaTarget] = ()) -> str:
    """The clocks of case ``number`` as a readable report: header, a table, why, the pause ledger.

    A synced case ends with its helpdesk's own SLA targets.
    """
    clocks = sla.clocks
    zone = calendar_zone(sla.timezone)
    helpdesk = _helpdesk_lines(vendor, zone)
    if not clocks.policy_key:
        return "\n".join([f"Case {number}: no SLA policy applies, so no clock runs.", *helpdesk])
    lines = [
        f"Case {number}: policy {clocks.policy_name} ({clocks.policy_key}, version {clocks.policy_version})",
        f"Calendar {clocks.calendar_key} ({sla.timezone or 'UTC'}); "
        f"cycle started {local_iso(clocks.cycle_started_at, zone) or '-'}",
        "",
        _table(clocks.clocks, zone),
    ]
    if clocks.explanation:
        lines += ["", "Why:", *(f"  {line}" for line in clocks.explanation)]
    lines += ["", "Pause ledger:"]
    lines += [f"  {_pause(pause, zone)}" for pause in clocks.pause_ledger] or ["  (no pauses)"]
    return "\n".join([*lines, *helpdesk])


def _helpdesk_lines(vendor: Sequence[VendorSlaTarget], zone: tzinfo) -> list[str]:
    if not vendor:
        return []
    lines = ["", "The helpdesk's own SLA:"]
    for target in vendor:
        policy = f" ({target.policy_name})" if target.policy_name else ""
        if target.due_at is not None:
            when = f", due {local_iso(target.due_at, zone)}"
        elif target.completed_at is not None:
            when = f", done {local_iso(target.completed_at, zone)}"
        else:
            when = ""
        lines.append(f"  {target.source} {target.metric}{policy}: {target.state.value}{when}")
    return lines


def _table(clocks: tuple[Clock, ...], zone: tzinfo) -> str:
    header = ("CLOCK", "STATE", "RISK", "TARGET", "STARTED", "DUE", "REMAINING", "LEVEL")
    rows = [header] + [
        (
            clock.label,
            clock.state.value,
            clock.risk.value,
            duration(clock.target_seconds) + (" (business)" if clock.business_hours else ""),
            local_iso(clock.started_at, zone) or "-",
            local_iso(clock.due_at, zone) or "-",
            duration(clock.remaining_seconds),
            str(clock.breach_level),
        )
        for clock in clocks
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def _pause(pause: Pause, zone: tzinfo) -> str:
    end = local_iso(pause.end, zone) or "still paused"
    wrote = "; the customer wrote meanwhile" if pause.customer_wrote else ""
    return f"{pause.metric.value}: {local_iso(pause.start, zone)} to {end} ({pause.reason}){wrote}"


def duration(seconds: int) -> str:
    """``2d 3h``, ``1h 30m``, ``45m``, ``-20m`` (overdue) for a number of seconds."""
    sign = "-" if seconds < 0 else ""
    minutes = abs(seconds) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    text = " ".join(part for part in parts if part)
    return sign + (text or "0m")
