"""Importing a ``handoff-export`` document: validate everything, then insert in one transaction.

Nothing is written unless the whole document is valid, including against the
workspace (a case number or remote id that already exists is refused). The
inserts then run inside :func:`core.db.bulk.bulk_load`, so the full-text index
is built once at the end rather than re-aggregated per timeline event.

Customers, contacts, teams, product areas and people are referred to by name
in the document: an existing one is reused (teams and product areas also match
by key), otherwise it is created. Existing records are never modified.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core.db.bulk import bulk_load
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
from core.domain.changes import ChangeSet
from core.domain.enums import PersonRole
from core.transfer.schema import CaseRecord, ContactRecord, CustomerRecord
from core.transfer.validation import ImportValidationError, case_label, parse_document

CHUNK_SIZE = 500
_KEY_LENGTH = 64

T = TypeVar("T")
Values = dict[str, Any]


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
    number or remote id the workspace already has.
    """
    _check_against_workspace(session, records)
    connection = session.connection()
    references = _References(connection)
    case_ids: list[int] = []
    counts: Counter[str] = Counter()
    with bulk_load(connection):
        for chunk in _chunks(records):
            ids = _insert_returning_ids(connection, CaseRow, [_case_values(r, references) for r in chunk])
            _insert_children(connection, references, chunk, ids, counts)
            case_ids.extend(ids)
    created = references.created
    return ImportReport(
        cases=len(case_ids),
        events=counts[TimelineEventRow.__tablename__],
        escalations=counts[EscalationRow.__tablename__],
        stage_transitions=counts[StageTransitionRow.__tablename__],
        notes=counts[InvestigationNoteRow.__tablename__],
        customers_created=created[CustomerRow.__tablename__],
        contacts_created=created[ContactRow.__tablename__],
        teams_created=created[TeamRow.__tablename__],
        product_areas_created=created[ProductAreaRow.__tablename__],
        people_created=created[PersonRow.__tablename__],
        changes=ChangeSet(cases_added=frozenset(case_ids), teams=frozenset(references.new_team_ids)),
    )


def _chunks(items: Sequence[T], size: int = CHUNK_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_against_workspace(session: Session, records: list[CaseRecord]) -> None:
    """Refuse cases whose number, or source system and remote id, the workspace already has."""
    positions = {record.number: position for position, record in enumerate(records, start=1)}
    found: list[tuple[int, str]] = []
    for numbers in _chunks(list(positions)):
        for number in session.scalars(select(CaseRow.number).where(CaseRow.number.in_(numbers))):
            problem = f'field "number": {number} already exists in this workspace'
            found.append((positions[number], problem))
    by_remote_id = {
        (record.source_system.value, record.remote_id): record.number
        for record in records
        if record.remote_id is not None
    }
    remote_ids = sorted({remote_id for _source, remote_id in by_remote_id})
    for chunk in _chunks(remote_ids):
        existing = session.execute(
            select(CaseRow.source_system, CaseRow.remote_id, CaseRow.number).where(
                CaseRow.remote_id.in_(chunk)
            )
        )
        for source, remote_id, existing_number in existing:
            importing = by_remote_id.get((source, remote_id or ""))
            if importing is not None:
                problem = (
                    f'field "remote_id": {source} id "{remote_id}" already exists in this workspace '
                    f"(case number {existing_number})"
                )
                found.append((positions[importing], problem))
    if found:
        found.sort()
        raise ImportValidationError(
            [
                f"{case_label(position, records[position - 1].number)}: {problem}"
                for position, problem in found
            ]
        )


def _insert_returning_ids(connection: Connection, table: type[Any], rows: list[Values]) -> list[int]:
    """Insert ``rows`` in one statement; their new ids, in the order of ``rows``."""
    if not rows:
        return []
    statement = insert(table).returning(table.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, rows).scalars())


def _case_values(record: CaseRecord, references: _References) -> Values:
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
    references: _References,
    records: Sequence[CaseRecord],
    case_ids: list[int],
    counts: Counter[str],
) -> None:
    """Insert the timelines, escalations, stage transitions and notes of ``records``; count them."""
    cases = list(zip(records, case_ids, strict=True))
    escalations = [
        row for record, case_id in cases for row in _escalation_values(record, case_id, references)
    ]
    escalation_ids = iter(_insert_returning_ids(connection, EscalationRow, escalations))
    counts[EscalationRow.__tablename__] += len(escalations)
    transitions: list[Values] = []
    for record, case_id in cases:
        # Transitions name their escalation by index within the case; the ids came back in order.
        own_escalation_ids = [next(escalation_ids) for _ in record.escalations]
        transitions.extend(_transition_values(record, case_id, own_escalation_ids, references))
    children: list[tuple[type[Any], list[Values]]] = [
        (TimelineEventRow, [row for record, case_id in cases for row in _event_values(record, case_id)]),
        (StageTransitionRow, transitions),
        (
            InvestigationNoteRow,
            [row for record, case_id in cases for row in _note_values(record, case_id, references)],
        ),
    ]
    for table, rows in children:
        if rows:
            connection.execute(insert(table), rows)
            counts[table.__tablename__] += len(rows)


def _event_values(record: CaseRecord, case_id: int) -> Iterator[Values]:
    for event in record.timeline:
        yield {
            "case_id": case_id,
            "kind": event.kind.value,
            "visibility": event.visibility.value,
            "occurred_at": event.occurred_at,
            "author_name": event.author,
            "body_text": event.body_text,
            "body_html": event.body_html,
            "meta_json": json.dumps(event.meta, ensure_ascii=False) if event.meta else None,
            "source_system": event.source_system.value,
            "remote_id": event.remote_id,
        }


def _escalation_values(record: CaseRecord, case_id: int, references: _References) -> Iterator[Values]:
    for escalation in record.escalations:
        yield {
            "case_id": case_id,
            "tier": escalation.tier,
            "reason_code": escalation.reason_code.value,
            "stage": escalation.stage.value,
            "team_id": references.team(escalation.team),
            "requested_by_id": references.person(escalation.requested_by),
            "requested_at": escalation.requested_at,
            "justification": escalation.justification,
            "override_reason": escalation.override_reason,
            "closed_at": escalation.closed_at,
        }


def _transition_values(
    record: CaseRecord, case_id: int, escalation_ids: list[int], references: _References
) -> Iterator[Values]:
    for transition in record.stage_transitions:
        yield {
            "case_id": case_id,
            "escalation_id": None if transition.escalation is None else escalation_ids[transition.escalation],
            "from_stage": None if transition.from_stage is None else transition.from_stage.value,
            "to_stage": transition.to_stage.value,
            "actor_id": references.person(transition.actor),
            "at": transition.at,
            "reason": transition.reason,
        }


def _note_values(record: CaseRecord, case_id: int, references: _References) -> Iterator[Values]:
    for note in record.notes:
        yield {
            "case_id": case_id,
            "kind": note.kind.value,
            "body": note.body,
            "author_id": references.person(note.author),
            "created_at": note.created_at,
            "updated_at": note.updated_at,
        }


class _References:
    """Ids of the customers, contacts, teams, product areas and people that records name.

    Existing rows are read once; a name not found is created on first use and
    counted in :attr:`created` (by table name).
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.created: Counter[str] = Counter()
        self.new_team_ids: list[int] = []
        self._customers = _first_ids(connection, select(CustomerRow.name, CustomerRow.id))
        self._people = _first_ids(connection, select(PersonRow.name, PersonRow.id))
        self._contacts: dict[tuple[int | None, str], int] = {}
        contacts = select(ContactRow.customer_id, ContactRow.email, ContactRow.name, ContactRow.id)
        for customer_id, email, name, contact_id in connection.execute(contacts.order_by(ContactRow.id)):
            self._contacts.setdefault(_contact_key(customer_id, email, name), contact_id)
        self._teams = _NamedKeyed(connection, TeamRow)
        self._areas = _NamedKeyed(connection, ProductAreaRow)

    def _create(self, table: type[Any], values: Values) -> int:
        row_id: int = self._connection.execute(
            insert(table).values(**values).returning(table.id)
        ).scalar_one()
        self.created[table.__tablename__] += 1
        return row_id

    def customer(self, record: CustomerRecord | None) -> int | None:
        if record is None:
            return None
        if record.name not in self._customers:
            self._customers[record.name] = self._create(
                CustomerRow,
                {
                    "name": record.name,
                    "tier": record.tier.value,
                    "arr_cents": record.arr_cents,
                    "renewal_date": record.renewal_date,
                    "domain": record.domain,
                },
            )
        return self._customers[record.name]

    def contact(self, record: ContactRecord | None, customer_id: int | None) -> int | None:
        if record is None:
            return None
        key = _contact_key(customer_id, record.email, record.name)
        if key not in self._contacts:
            self._contacts[key] = self._create(
                ContactRow, {"customer_id": customer_id, "name": record.name, "email": record.email}
            )
        return self._contacts[key]

    def person(self, name: str | None) -> int | None:
        if name is None:
            return None
        if name not in self._people:
            self._people[name] = self._create(PersonRow, {"name": name, "role": PersonRole.SPECIALIST.value})
        return self._people[name]

    def team(self, name: str | None) -> int | None:
        if name is None:
            return None
        team_id = self._teams.find(name)
        if team_id is None:
            team_id = self._create(TeamRow, {"name": name, "key": self._teams.new_key(name)})
            self._teams.add(name, team_id)
            self.new_team_ids.append(team_id)
        return team_id

    def product_area(self, name: str | None) -> int | None:
        if name is None:
            return None
        area_id = self._areas.find(name)
        if area_id is None:
            area_id = self._create(ProductAreaRow, {"name": name, "key": self._areas.new_key(name)})
            self._areas.add(name, area_id)
        return area_id


def _first_ids(connection: Connection, statement: Any) -> dict[str, int]:
    """``name → id`` for a two-column select; with duplicate names the oldest row wins."""
    ids: dict[str, int] = {}
    for name, row_id in connection.execute(statement.order_by(statement.selected_columns[1])):
        ids.setdefault(name, row_id)
    return ids


def _contact_key(customer_id: int | None, email: str | None, name: str) -> tuple[int | None, str]:
    """Contacts are the same person when they share a customer and an email (or, lacking one, a name)."""
    return (customer_id, email.casefold() if email else f"name:{name}")


class _NamedKeyed:
    """The rows of a table with a unique ``key`` and a display ``name``, found by either."""

    def __init__(self, connection: Connection, table: type[TeamRow] | type[ProductAreaRow]) -> None:
        rows = connection.execute(select(table.key, table.name, table.id).order_by(table.id)).all()
        self._keys: dict[str, int] = {key: row_id for key, _name, row_id in rows}
        self._names: dict[str, int] = {}
        for _key, name, row_id in rows:
            self._names.setdefault(name, row_id)

    def find(self, name_or_key: str) -> int | None:
        """The row named ``name_or_key``, else the row with that key (a name wins)."""
        return self._names.get(name_or_key, self._keys.get(name_or_key))

    def add(self, name: str, row_id: int) -> None:
        self._names[name] = row_id

    def new_key(self, name: str) -> str:
        """A slug of ``name`` (``Identity & SSO`` → ``identity-sso``) that no row uses yet; reserves it."""
        base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[: _KEY_LENGTH - 8] or "imported"
        key, suffix = base, 1
        while key in self._keys:
            suffix += 1
            key = f"{base}-{suffix}"
        self._keys[key] = -1  # taken; the real id is found by name from now on
        return key
