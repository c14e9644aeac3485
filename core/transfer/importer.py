"""Importing a ``handoff-export`` document: validate everything, then insert in one transaction.

Nothing is written unless the whole document is valid, including against the
workspace (a case number, remote id or outbox idempotency key that already
exists is refused). The inserts then run inside :func:`core.db.bulk.bulk_load`,
so the full-text index is built once at the end rather than re-aggregated per
timeline event.

Customers, contacts, teams, product areas and people are referred to by name
in the document (:mod:`core.transfer.references`); the rows of each case's
lists are built by :mod:`core.transfer.import_rows`. Existing records are
never modified. Attachment files are not part of a document: an imported
attachment finds its file in the attachments folder by its SHA-256, if it is there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core.db.bulk import bulk_load
from core.db.models import (
    ApprovalRow,
    AttachmentRow,
    CaseRouteRow,
    CaseRow,
    ClosureRecordRow,
    ContactRow,
    CustomerRow,
    EscalationRow,
    InvestigationNoteRow,
    OutboxRow,
    PersonRow,
    ProductAreaRow,
    ResolutionProposalRow,
    StageTransitionRow,
    TeamRow,
    TimelineEventRow,
)
from core.db.types import utc_now
from core.domain.changes import ChangeSet
from core.sla.store import refresh_deadlines
from core.transfer.import_rows import LINK_TARGETS, ROW_BUILDERS, CaseIds
from core.transfer.references import References, Values
from core.transfer.schema import CaseRecord
from core.transfer.validation import ImportValidationError, case_label, parse_document

CHUNK_SIZE = 500

T = TypeVar("T")
Problem = tuple[int, str]  # the case's 1-based position in the file, and what is wrong with it


@dataclass(frozen=True)
class ImportReport:
    """What an import added, and the change set the views refresh from."""

    cases: int
    events: int
    escalations: int
    stage_transitions: int
    notes: int
    customers_created: int
    contacts_created: int
    teams_created: int
    product_areas_created: int
    people_created: int
    approvals: int = 0
    resolution_proposals: int = 0
    closure_records: int = 0
    outbox_entries: int = 0
    attachments: int = 0
    case_routes: int = 0
    changes: ChangeSet = field(default_factory=ChangeSet)


def import_json(session: Session, document: object) -> ImportReport:
    """Validate ``document`` completely, then add its cases; raises :class:`ImportValidationError`.

    Run it as one writing unit of work (``DbRunner.write``): on any error the
    transaction rolls back and the workspace is unchanged.
    """
    return import_records(session, parse_document(document))


def import_records(session: Session, records: list[CaseRecord]) -> ImportReport:
    """Add validated ``records`` (from :func:`parse_document`) in one bulk load.

    Raises :class:`ImportValidationError`, before writing anything, for a case
    number, remote id or outbox idempotency key the workspace already has.
    """
    _check_against_workspace(session, records)
    connection = session.connection()
    references = References(connection)
    inserted: list[CaseIds] = []
    counts: Counter[str] = Counter()
    with bulk_load(connection):
        for chunk in _chunks(records):
            ids = _insert_returning_ids(connection, CaseRow, [_case_values(r, references) for r in chunk])
            cases = [CaseIds(case_id) for case_id in ids]
            _insert_children(connection, references, chunk, cases, counts)
            inserted.extend(cases)
    # One bulk refresh instead of the write hook's per-case one: deadlines of the new cases.
    refresh_deadlines(session, [case.case_id for case in inserted], utc_now())
    return _report(inserted, counts, references)


def _report(inserted: list[CaseIds], counts: Counter[str], references: References) -> ImportReport:
    created = references.created
    outbox_ids = (row_id for case in inserted for row_id in case.rows.get(OutboxRow.__tablename__, ()))
    return ImportReport(
        cases=len(inserted),
        events=counts[TimelineEventRow.__tablename__],
        escalations=counts[EscalationRow.__tablename__],
        stage_transitions=counts[StageTransitionRow.__tablename__],
        notes=counts[InvestigationNoteRow.__tablename__],
        customers_created=created[CustomerRow.__tablename__],
        contacts_created=created[ContactRow.__tablename__],
        teams_created=created[TeamRow.__tablename__],
        product_areas_created=created[ProductAreaRow.__tablename__],
        people_created=created[PersonRow.__tablename__],
        approvals=counts[ApprovalRow.__tablename__],
        resolution_proposals=counts[ResolutionProposalRow.__tablename__],
        closure_records=counts[ClosureRecordRow.__tablename__],
        outbox_entries=counts[OutboxRow.__tablename__],
        attachments=counts[AttachmentRow.__tablename__],
        case_routes=counts[CaseRouteRow.__tablename__],
        changes=ChangeSet(
            cases_added=frozenset(case.case_id for case in inserted),
            outbox=frozenset(outbox_ids),
            teams=frozenset(references.new_team_ids),
        ),
    )


def _chunks(items: Sequence[T], size: int = CHUNK_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_against_workspace(session: Session, records: list[CaseRecord]) -> None:
    """Refuse cases whose number, remote id or outbox idempotency keys the workspace already has."""
    found = sorted(
        [
            *_existing_numbers(session, records),
            *_existing_remote_ids(session, records),
            *_existing_outbox_keys(session, records),
        ]
    )
    if found:
        raise ImportValidationError(
            [
                f"{case_label(position, records[position - 1].number)}: {problem}"
                for position, problem in found
            ]
        )


def _existing(session: Session, column: Any, values: list[Any], *extra: Any) -> Iterator[Any]:
    """Rows of ``column`` (and ``extra`` columns) whose value is one of ``values``, read in chunks."""
    for chunk in _chunks(sorted(set(values))):
        condition: ColumnElement[bool] = column.in_(chunk)
        yield from session.execute(select(column, *extra).where(condition))


def _existing_numbers(session: Session, records: list[CaseRecord]) -> Iterator[Problem]:
    positions = {record.number: position for position, record in enumerate(records, start=1)}
    for (number,) in _existing(session, CaseRow.number, list(positions)):
        yield positions[number], f'field "number": {number} already exists in this workspace'


def _existing_remote_ids(session: Session, records: list[CaseRecord]) -> Iterator[Problem]:
    positions = {
        (record.source_system.value, record.remote_id): position
        for position, record in enumerate(records, start=1)
        if record.remote_id is not None
    }
    remote_ids = [remote_id for _source, remote_id in positions]
    for remote_id, source, existing_number in _existing(
        session, CaseRow.remote_id, remote_ids, CaseRow.source_system, CaseRow.number
    ):
        position = positions.get((source, remote_id))
        if position is not None:
            problem = (
                f'field "remote_id": {source} id "{remote_id}" already exists in this workspace '
                f"(case number {existing_number})"
            )
            yield position, problem


def _existing_outbox_keys(session: Session, records: list[CaseRecord]) -> Iterator[Problem]:
    where = {
        entry.idempotency_key: (position, index)
        for position, record in enumerate(records, start=1)
        for index, entry in enumerate(record.outbox)
    }
    for (key,) in _existing(session, OutboxRow.idempotency_key, list(where)):
        position, index = where[key]
        yield position, f'field "outbox[{index}].idempotency_key": "{key}" already exists in this workspace'


def _insert_returning_ids(connection: Connection, table: type[Any], rows: list[Values]) -> list[int]:
    """Insert ``rows`` in one statement; their new ids, in the order of ``rows``."""
    if not rows:
        return []
    statement = insert(table).returning(table.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, rows).scalars())


def _case_values(record: CaseRecord, references: References) -> Values:
    customer_id = references.customer(record.customer)
    return {
        "number": record.number,
        "subject": record.subject,
        "description": record.description,
        "priority": record.priority.value,
        "stage": record.stage.value,
        "tier": record.tier,
        "customer_id": customer_id,
        "contact_id": references.contact(record.contact, customer_id),
        "product_area_id": references.product_area(record.product_area),
        "team_id": references.team(record.team),
        "assignee_id": references.person(record.assignee),
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "resolved_at": record.resolved_at,
        "reopen_count": record.reopen_count,
        "resolution": record.resolution,
        "root_cause": record.root_cause,
        "defect_key": record.defect_key,
        "source_system": record.source_system.value,
        "remote_id": record.remote_id,
    }


def _insert_children(
    connection: Connection,
    references: References,
    records: Sequence[CaseRecord],
    cases: list[CaseIds],
    counts: Counter[str],
) -> None:
    """Insert every list of ``records``, table by table for the whole chunk; count the rows.

    The new ids of the tables others link to are handed back to their cases (in
    document order), so the tables after them can turn the document's indexes into ids.
    """
    for table, build in ROW_BUILDERS:
        per_case = [build(record, ids, references) for record, ids in zip(records, cases, strict=True)]
        flat = [row for rows in per_case for row in rows]
        counts[table.__tablename__] += len(flat)
        if table not in LINK_TARGETS:
            if flat:
                connection.execute(insert(table), flat)
            continue
        new_ids = iter(_insert_returning_ids(connection, table, flat))
        for ids, rows in zip(cases, per_case, strict=True):
            ids.rows[table.__tablename__] = [next(new_ids) for _ in rows]
