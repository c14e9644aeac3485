"""Exporting a workspace's cases as a ``handoff-export`` JSON document or a flat CSV table.

Both exports stream: cases are read in batches (keyset pagination on the
case number, with each kind of the batch's records, from timelines to outbox
entries, fetched in one query: see :data:`CHILD_READERS`) and written case by
case, so memory stays flat however large the workspace is. Run an export in one read transaction: SQLite
then gives it a consistent snapshot while other writers carry on (WAL).
The CSV's columns are computed in :mod:`core.transfer.csv_columns`.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session, aliased

from core.db.models import CaseRow, ContactRow, CustomerRow, PersonRow, ProductAreaRow, TeamRow
from core.db.types import utc_now
from core.domain.enums import CustomerTier, Priority, SourceSystem, Stage
from core.sla.clocks_json import clocks_to_json
from core.sla.store import sla_for_cases
from core.transfer import export_context, export_workflow
from core.transfer.csv_columns import csv_columns, csv_values
from core.transfer.export_context import Grouped, Indexes
from core.transfer.json_values import format_timestamp
from core.transfer.schema import CSV_COLUMNS, FORMAT, VERSION, CaseRecord, ContactRecord, CustomerRecord

BATCH_SIZE = 500

_Assignee = aliased(PersonRow, name="assignee")

ChildReader = Callable[[Session, list[int], Indexes], Grouped]

#: The lists of a case, each with the reader that fetches it for a batch of cases. Timelines and
#: escalations come first and routes last: reading a list records the indexes the later lists link to.
CHILD_READERS: tuple[tuple[str, ChildReader], ...] = (
    ("timeline", export_context.timelines),
    ("escalations", export_context.escalations),
    ("stage_transitions", export_context.transitions),
    ("notes", export_context.notes),
    ("approvals", export_workflow.approvals),
    ("resolution_proposals", export_workflow.resolution_proposals),
    ("closure_records", export_workflow.closure_records),
    ("outbox", export_workflow.outbox_entries),
    ("attachments", export_workflow.attachments),
    ("case_routes", export_workflow.case_routes),
)


def export_json(session: Session, out: TextIO, *, exported_at: datetime | None = None) -> int:
    """Write every case of the workspace to ``out`` as one JSON document; returns the case count.

    Each case is written on its own line as soon as it is read. ``out`` must
    accept any Unicode text (open files with ``encoding="utf-8"``).
    """
    exported_at = exported_at or utc_now()
    header = {"format": FORMAT, "version": VERSION, "exported_at": format_timestamp(exported_at)}
    out.write("{\n")
    for key, value in header.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
    out.write('  "cases": [')
    count = 0
    for record in iter_case_records(session, now=exported_at):
        out.write(",\n    " if count else "\n    ")
        out.write(json.dumps(record.to_json(), ensure_ascii=False))
        count += 1
    out.write("\n  ]\n}\n" if count else "]\n}\n")
    return count


def export_csv(session: Session, out: TextIO) -> int:
    """Write one row per case (columns :data:`CSV_COLUMNS`) to ``out``; returns the case count.

    Open files with ``newline=""`` as the :mod:`csv` module asks.
    """
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for rows in _case_batches(session, _case_select(*csv_columns())):
        writer.writerows(csv_values(row) for row in rows)
        count += len(rows)
    return count


def iter_case_records(
    session: Session, *, batch_size: int = BATCH_SIZE, now: datetime | None = None
) -> Iterator[CaseRecord]:
    """Every case as a :class:`CaseRecord`, in case-number order, read ``batch_size`` at a time.

    Each case's SLA clocks are computed as they stand at ``now`` (default: the current time).
    """
    now = now or utc_now()
    for rows in _case_batches(session, _case_select(), batch_size):
        case_ids = [row.CaseRow.id for row in rows]
        children = _children(session, case_ids)
        clocks = sla_for_cases(session, case_ids, now, persist=False)
        for row in rows:
            case_id = row.CaseRow.id
            sla = clocks.get(case_id)
            yield replace(
                _case_record(row),
                **children.get(case_id, {}),
                sla=None if sla is None else clocks_to_json(sla.clocks, sla.timezone, detail=False),
            )


def _children(session: Session, case_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Every list of the cases ``case_ids``, by case id and then by key (lists a case lacks are absent)."""
    indexes = Indexes()
    per_case: defaultdict[int, dict[str, Any]] = defaultdict(dict)
    for key, reader in CHILD_READERS:
        for case_id, records in reader(session, case_ids, indexes).items():
            per_case[case_id][key] = records
    return per_case


def _case_select(*extra: Any) -> Select[Any]:
    """Cases with the names of everything they refer to (customer, contact, team, people)."""
    return (
        select(
            CaseRow,
            CustomerRow,
            ContactRow.name.label("contact_name"),
            ContactRow.email.label("contact_email"),
            ProductAreaRow.name.label("product_area"),
            TeamRow.name.label("team"),
            _Assignee.name.label("assignee"),
            *extra,
        )
        .outerjoin(CustomerRow, CustomerRow.id == CaseRow.customer_id)
        .outerjoin(ContactRow, ContactRow.id == CaseRow.contact_id)
        .outerjoin(ProductAreaRow, ProductAreaRow.id == CaseRow.product_area_id)
        .outerjoin(TeamRow, TeamRow.id == CaseRow.team_id)
        .outerjoin(_Assignee, _Assignee.id == CaseRow.assignee_id)
    )


def _case_batches(
    session: Session, statement: Select[Any], batch_size: int = BATCH_SIZE
) -> Iterator[Sequence[Row[Any]]]:
    """Rows of ``statement`` in case-number order, ``batch_size`` at a time (keyset pagination)."""
    last_number: int | None = None
    while True:
        page = statement.order_by(CaseRow.number).limit(batch_size)
        if last_number is not None:
            page = page.where(CaseRow.number > last_number)
        rows = session.execute(page).all()
        if not rows:
            return
        yield rows
        last_number = rows[-1].CaseRow.number


def _case_record(row: Row[Any]) -> CaseRecord:
    """The case of ``row`` without its lists (timeline, escalations, …)."""
    case: CaseRow = row.CaseRow
    customer: CustomerRow | None = row.CustomerRow
    return CaseRecord(
        number=case.number,
        subject=case.subject,
        description=case.description,
        priority=Priority(case.priority),
        stage=Stage(case.stage),
        tier=case.tier,
        created_at=case.created_at,
        updated_at=case.updated_at,
        resolved_at=case.resolved_at,
        resolution=case.resolution,
        root_cause=case.root_cause,
        defect_key=case.defect_key,
        reopen_count=case.reopen_count,
        source_system=SourceSystem(case.source_system),
        remote_id=case.remote_id,
        customer=None
        if customer is None
        else CustomerRecord(
            name=customer.name,
            tier=CustomerTier(customer.tier),
            arr_cents=customer.arr_cents,
            renewal_date=customer.renewal_date,
            domain=customer.domain,
        ),
        contact=None if row.contact_name is None else ContactRecord(row.contact_name, row.contact_email),
        product_area=row.product_area,
        team=row.team,
        assignee=row.assignee,
    )
