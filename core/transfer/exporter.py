"""Exporting a workspace's cases as a ``handoff-export`` JSON document or a flat CSV table.

Both exports stream: cases are read in batches (keyset pagination on the
case number, with the batch's timelines, escalations, transitions and notes
fetched in one query each) and written case by case, so memory stays flat
however large the workspace is. Run an export in one read transaction: SQLite
then gives it a consistent snapshot while other writers carry on (WAL).

CSV cells holding free text that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return are prefixed with ``'``, so a spreadsheet never runs
a customer-written subject as a formula.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session, aliased

from core.db.models import (
    CaseRow,
    ContactRow,
    CustomerRow,
    EscalationRow,
    InvestigationNoteRow,
    PersonRow,
    ProductAreaRow,
    StageTransitionRow,
    TeamRow,
    TimelineEventRow,
)
from core.db.types import utc_now
from core.domain.enums import (
    CustomerTier,
    EventKind,
    NoteKind,
    Priority,
    ReasonCode,
    SourceSystem,
    Stage,
    Visibility,
)
from core.transfer.schema import (
    CSV_COLUMNS,
    FORMAT,
    VERSION,
    CaseRecord,
    ContactRecord,
    CustomerRecord,
    EscalationRecord,
    EventRecord,
    JsonObject,
    NoteRecord,
    TransitionRecord,
    format_timestamp,
)

BATCH_SIZE = 500
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_Assignee = aliased(PersonRow, name="assignee")


def export_json(session: Session, out: TextIO, *, exported_at: datetime | None = None) -> int:
    """Write every case of the workspace to ``out`` as one JSON document; returns the case count.

    Each case is written on its own line as soon as it is read. ``out`` must
    accept any Unicode text (open files with ``encoding="utf-8"``).
    """
    header = {"format": FORMAT, "version": VERSION, "exported_at": format_timestamp(exported_at or utc_now())}
    out.write("{\n")
    for key, value in header.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
    out.write('  "cases": [')
    count = 0
    for record in iter_case_records(session):
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
    event_count = (
        select(func.count(TimelineEventRow.id))
        .where(TimelineEventRow.case_id == CaseRow.id)
        .scalar_subquery()
        .label("event_count")
    )
    count = 0
    for rows in _case_batches(session, _case_select(event_count)):
        writer.writerows(_csv_row(row) for row in rows)
        count += len(rows)
    return count


def iter_case_records(session: Session, *, batch_size: int = BATCH_SIZE) -> Iterator[CaseRecord]:
    """Every case as a :class:`CaseRecord`, in case-number order, read ``batch_size`` at a time."""
    for rows in _case_batches(session, _case_select(), batch_size):
        case_ids = [row.CaseRow.id for row in rows]
        timelines = _timelines(session, case_ids)
        escalations, escalation_index = _escalations(session, case_ids)
        transitions = _transitions(session, case_ids, escalation_index)
        notes = _notes(session, case_ids)
        for row in rows:
            yield _case_record(
                row,
                timeline=timelines.get(row.CaseRow.id, ()),
                escalations=escalations.get(row.CaseRow.id, ()),
                transitions=transitions.get(row.CaseRow.id, ()),
                notes=notes.get(row.CaseRow.id, ()),
            )


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


def _columns(table: type[Any]) -> list[Any]:
    """Every column of an ORM table, for a select that returns rows rather than slow ORM objects."""
    return list(table.__table__.columns)


def _group(rows: Iterable[tuple[int, Any]]) -> dict[int, tuple[Any, ...]]:
    grouped: defaultdict[int, list[Any]] = defaultdict(list)
    for case_id, item in rows:
        grouped[case_id].append(item)
    return {case_id: tuple(items) for case_id, items in grouped.items()}


def _timelines(session: Session, case_ids: list[int]) -> dict[int, tuple[EventRecord, ...]]:
    event = TimelineEventRow
    rows = session.execute(
        select(
            event.case_id,
            event.kind,
            event.visibility,
            event.occurred_at,
            event.author_name,
            event.body_text,
            event.body_html,
            event.meta_json,
            event.source_system,
            event.remote_id,
        )
        .where(TimelineEventRow.case_id.in_(case_ids))
        .order_by(TimelineEventRow.case_id, TimelineEventRow.occurred_at, TimelineEventRow.id)
    )
    return _group(
        (
            event.case_id,
            EventRecord(
                kind=EventKind(event.kind),
                visibility=Visibility(event.visibility),
                occurred_at=event.occurred_at,
                author=event.author_name,
                body_text=event.body_text,
                body_html=event.body_html,
                meta=_meta(event.meta_json),
                source_system=SourceSystem(event.source_system),
                remote_id=event.remote_id,
            ),
        )
        for event in rows
    )


def _meta(meta_json: str | None) -> JsonObject | None:
    """An event's metadata as an object; anything stored that is not a JSON object is kept under "value"."""
    if not meta_json:
        return None
    try:
        meta = json.loads(meta_json)
    except ValueError:
        return {"value": meta_json}
    return meta if isinstance(meta, dict) else {"value": meta}


def _escalations(
    session: Session, case_ids: list[int]
) -> tuple[dict[int, tuple[EscalationRecord, ...]], dict[int, int]]:
    """Escalations per case, and each escalation id's index within its case (for transitions)."""
    requester = aliased(PersonRow)
    rows = session.execute(
        select(*_columns(EscalationRow), TeamRow.name.label("team"), requester.name.label("requested_by"))
        .outerjoin(TeamRow, TeamRow.id == EscalationRow.team_id)
        .outerjoin(requester, requester.id == EscalationRow.requested_by_id)
        .where(EscalationRow.case_id.in_(case_ids))
        .order_by(EscalationRow.case_id, EscalationRow.requested_at, EscalationRow.id)
    ).all()
    index: dict[int, int] = {}
    per_case: defaultdict[int, int] = defaultdict(int)
    for escalation in rows:
        index[escalation.id] = per_case[escalation.case_id]
        per_case[escalation.case_id] += 1
    grouped = _group(
        (
            escalation.case_id,
            EscalationRecord(
                tier=escalation.tier,
                reason_code=ReasonCode(escalation.reason_code),
                stage=Stage(escalation.stage),
                team=escalation.team,
                requested_by=escalation.requested_by,
                requested_at=escalation.requested_at,
                justification=escalation.justification,
                override_reason=escalation.override_reason,
                closed_at=escalation.closed_at,
            ),
        )
        for escalation in rows
    )
    return grouped, index


def _transitions(
    session: Session, case_ids: list[int], escalation_index: dict[int, int]
) -> dict[int, tuple[TransitionRecord, ...]]:
    rows = session.execute(
        select(*_columns(StageTransitionRow), PersonRow.name.label("actor"))
        .outerjoin(PersonRow, PersonRow.id == StageTransitionRow.actor_id)
        .where(StageTransitionRow.case_id.in_(case_ids))
        .order_by(StageTransitionRow.case_id, StageTransitionRow.at, StageTransitionRow.id)
    ).all()
    return _group(
        (
            transition.case_id,
            TransitionRecord(
                from_stage=None if transition.from_stage is None else Stage(transition.from_stage),
                to_stage=Stage(transition.to_stage),
                actor=transition.actor,
                at=transition.at,
                reason=transition.reason,
                escalation=(
                    None if transition.escalation_id is None else escalation_index[transition.escalation_id]
                ),
            ),
        )
        for transition in rows
    )


def _notes(session: Session, case_ids: list[int]) -> dict[int, tuple[NoteRecord, ...]]:
    rows = session.execute(
        select(*_columns(InvestigationNoteRow), PersonRow.name.label("author"))
        .outerjoin(PersonRow, PersonRow.id == InvestigationNoteRow.author_id)
        .where(InvestigationNoteRow.case_id.in_(case_ids))
        .order_by(InvestigationNoteRow.case_id, InvestigationNoteRow.created_at, InvestigationNoteRow.id)
    ).all()
    return _group(
        (
            note.case_id,
            NoteRecord(
                kind=NoteKind(note.kind),
                body=note.body,
                author=note.author,
                created_at=note.created_at,
                updated_at=note.updated_at,
            ),
        )
        for note in rows
    )


def _case_record(
    row: Row[Any],
    *,
    timeline: tuple[EventRecord, ...],
    escalations: tuple[EscalationRecord, ...],
    transitions: tuple[TransitionRecord, ...],
    notes: tuple[NoteRecord, ...],
) -> CaseRecord:
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
        timeline=timeline,
        escalations=escalations,
        stage_transitions=transitions,
        notes=notes,
    )


def _csv_row(row: Row[Any]) -> list[object]:
    case: CaseRow = row.CaseRow
    customer: CustomerRow | None = row.CustomerRow
    return [
        case.number,
        _cell(case.subject),
        _cell(customer.name if customer else ""),
        customer.tier if customer else "",
        case.priority,
        case.tier,
        case.stage,
        _cell(row.team or ""),
        _cell(row.assignee or ""),
        _cell(row.product_area or ""),
        format_timestamp(case.created_at),
        format_timestamp(case.updated_at),
        "" if case.resolved_at is None else format_timestamp(case.resolved_at),
        _cell(case.root_cause or ""),
        row.event_count,
    ]


def _cell(text: str) -> str:
    """Free text made safe for spreadsheets: a leading formula character is escaped with ``'``."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text
