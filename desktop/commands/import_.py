"""``handoff import --data-dir DIR FILE.json``: add the cases of an export file to a workspace.

The whole file is validated first; a problem is reported naming the record and
field, and then nothing is imported. The workspace is created if it does not
exist yet, but only once the file has been found valid.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.orm import Session

from core.db.engine import writer
from core.transfer import ImportReport, TransferError, import_records, load_document, parse_document
from desktop.cli import CliError, add_data_dir_argument
from desktop.commands.workspace_arg import open_engine


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="add the cases of a handoff-export JSON file to a workspace",
        description="Validate a handoff-export JSON file completely, then add all its cases, or none.",
    )
    add_data_dir_argument(parser, required=True)
    parser.add_argument("file", type=Path, metavar="FILE.json", help="a file written by `handoff export`")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        records = parse_document(load_document(args.file))
    except TransferError as error:
        raise CliError(str(error)) from error
    engine = open_engine(args, create=True)
    try:
        with Session(writer(engine)) as session, session.begin():
            report = import_records(session, records)
    except TransferError as error:
        raise CliError(str(error)) from error
    finally:
        engine.dispose()
    print(describe_report(report, args.file))
    return 0


def describe_report(report: ImportReport, source: Path) -> str:
    """Two lines for the user: what was imported, and what had to be created for it."""
    added = ", ".join(
        _count(number, noun)
        for number, noun in (
            (report.events, "timeline event"),
            (report.escalations, "escalation"),
            (report.stage_transitions, "stage transition"),
            (report.notes, "note"),
            (report.approvals, "approval"),
            (report.resolution_proposals, "resolution proposal"),
            (report.closure_records, "closure record"),
            (report.outbox_entries, "outbox entry"),
            (report.attachments, "attachment"),
            (report.case_routes, "route record"),
        )
        if number or noun in _ALWAYS_COUNTED
    )
    created = ", ".join(
        _count(number, noun)
        for number, noun in (
            (report.customers_created, "customer"),
            (report.contacts_created, "contact"),
            (report.teams_created, "team"),
            (report.product_areas_created, "product area"),
            (report.people_created, "person"),
        )
    )
    return f"Imported {_count(report.cases, 'case')} ({added}) from {source}.\nCreated {created}."


# Counted even when zero; the workflow records appear only when the file had some.
_ALWAYS_COUNTED = frozenset({"timeline event", "escalation", "stage transition", "note"})


def _count(number: int, noun: str) -> str:
    if number == 1:
        return f"1 {noun}"
    return f"{number} {_IRREGULAR_PLURALS.get(noun, noun + 's')}"


_IRREGULAR_PLURALS = {"person": "people", "outbox entry": "outbox entries"}
