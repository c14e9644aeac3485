"""Pulled tickets merged into cases: new cases added, known ones updated by the merge rules.

- a field with a pending local edit (:mod:`core.remote.pending`) keeps its local value;
- a pulled status moves the case only when its current stage does not already map to it;
- a field the helpdesk changed is written to the timeline (and a stage change to the audit
  trail), so the specialist sees what changed there;
- the ticket's version (``cases.remote_updated_at``) follows the pull, except while a pending
  edit meets a change the helpdesk made to the same field: the push then stays based on the
  version the edit was made against and the helpdesk answers with a conflict the user resolves.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.bulk import cases_indexed_once, table_of
from core.db.lookups import rows_by_remote_id
from core.db.models import CaseRow, PersonRow, ProductAreaRow, TeamRow, TimelineEventRow, VendorSlaTargetRow
from core.domain.enums import DONE_STAGES, EventKind, Priority, Stage, Visibility
from core.remote.connections import helpdesk_name
from core.remote.directory import Directory, insert_by_remote_id
from core.remote.dtos import Connection, RemoteTicket
from core.remote.outbox_text import FIELD_NAMES
from core.remote.pending import (
    ASSIGNEE,
    PRIORITY,
    PRODUCT_AREA,
    STAGE,
    TEAM,
    TIER,
    PendingEdits,
    pending_edits,
)
from core.remote.stage_audit import record_remote_stage
from core.remote.versions import version_moment
from core.sla.vendor import replace_many_vendor_targets
from core.sla.write_hook import note_touched
from core.workflow.stages import stage_name

DEFAULT_TIER = 1
_Shown = Callable[[object], str]
_STAGES = {stage.value for stage in Stage}
_PRIORITIES = {priority.value for priority in Priority}


@dataclass
class TicketMerge:
    """What merging a page's tickets did: the case ids by ticket id, which were added or changed.

    ``rows`` holds the cases that existed before the page (loaded for the merge rules); new cases
    are inserted in one statement, without ORM objects.
    """

    rows: dict[str, CaseRow] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)
    added: set[int] = field(default_factory=set)
    changed: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, rows: dict[str, CaseRow]) -> TicketMerge:
        return cls(rows=rows, cases={remote_id: row.id for remote_id, row in rows.items()})


def load_cases(session: Session, kind: str, ticket_ids: Iterable[str]) -> dict[str, CaseRow]:
    """The cases of ``kind`` whose ticket is one of ``ticket_ids`` (one query)."""
    ids = sorted(set(ticket_ids))
    if not ids:
        return {}
    rows = session.scalars(select(CaseRow).where(CaseRow.source_system == kind, CaseRow.remote_id.in_(ids)))
    return {row.remote_id: row for row in rows if row.remote_id is not None}


def load_case_ids(session: Session, kind: str, ticket_ids: Iterable[str]) -> dict[str, int]:
    """The ids of the cases of ``kind`` whose ticket is one of ``ticket_ids`` (one query, no rows)."""
    found = rows_by_remote_id(session.connection(), table_of(CaseRow), kind, ticket_ids, ("id",))
    return {str(remote_id): int(case_id) for remote_id, case_id in found}


def merge_tickets(
    session: Session,
    connection: Connection,
    tickets: Iterable[RemoteTicket],
    directory: Directory,
    merged: TicketMerge,
    now: datetime,
    *,
    search_later: bool = False,
) -> None:
    """Add or update the case of each ticket (the last copy of a ticket listed twice wins).

    ``search_later``: new cases get no full-text entry now; the search backlog indexes them
    whole once the first pull is done (:mod:`core.remote.search_backlog`).
    """
    latest = {ticket.remote_id: ticket for ticket in tickets}
    if not latest:
        return
    known = [row for remote_id, row in merged.rows.items() if remote_id in latest]
    edits = pending_edits(session, [row.id for row in known])
    rules = _Rules(session, connection, directory, _ProductAreas.load(session))
    fresh: dict[str, dict[str, object]] = {}
    next_number = (session.scalar(select(func.max(CaseRow.number))) or 0) + 1
    for ticket in latest.values():
        row = merged.rows.get(ticket.remote_id)
        if row is None:
            fresh[ticket.remote_id] = rules.new_case(ticket, next_number + len(fresh))
        elif rules.update_case(session, row, ticket, edits.get(row.id, PendingEdits()), now):
            merged.changed.add(row.id)
    if fresh:
        inserted: set[int] = set()
        with cases_indexed_once(session.connection(), inserted):
            added = insert_by_remote_id(session, CaseRow, fresh)
            if not search_later:
                inserted.update(added.values())
        merged.cases.update(added)
        merged.added |= set(added.values())
        note_touched(session, added.values())  # their SLA clocks start now
    with_targets = _cases_with_vendor_targets(session, connection.kind, [row.id for row in known])
    targets = {
        merged.cases[ticket.remote_id]: ticket.vendor_sla
        for ticket in latest.values()
        if ticket.vendor_sla or merged.cases[ticket.remote_id] in with_targets
    }
    replace_many_vendor_targets(session, connection.kind, targets, now, known=with_targets)


def _cases_with_vendor_targets(session: Session, kind: str, case_ids: list[int]) -> set[int]:
    """Which of ``case_ids`` hold SLA targets from the helpdesk (one query; the others need no delete)."""
    if not case_ids:
        return set()
    return set(
        session.scalars(
            select(VendorSlaTargetRow.case_id)
            .where(VendorSlaTargetRow.source_system == kind, VendorSlaTargetRow.case_id.in_(case_ids))
            .distinct()
        )
    )


@dataclass(frozen=True)
class _ProductAreas:
    """The product areas (a small table): found by key or lower-case name, shown by name."""

    ids: dict[str, int]
    names: dict[int, str]

    @classmethod
    def load(cls, session: Session) -> _ProductAreas:
        ids: dict[str, int] = {}
        names: dict[int, str] = {}
        for row in session.scalars(select(ProductAreaRow)):
            ids.setdefault(row.name.lower(), row.id)
            ids[row.key] = row.id
            names[row.id] = row.name
        return cls(ids, names)


class _Rules:
    """The merge rules of one page, with what they look values up in."""

    def __init__(
        self, session: Session, connection: Connection, directory: Directory, areas: _ProductAreas
    ) -> None:
        self.session = session
        self.kind = connection.kind
        self.helpdesk = helpdesk_name(connection.kind)
        self.stage_statuses = dict(connection.mapping.stage_statuses)
        self.directory = directory
        self.areas = areas

    def new_case(self, ticket: RemoteTicket, number: int) -> dict[str, object]:
        """The values of a new case for ``ticket`` (inserted with the page's other new cases)."""
        stage = ticket.stage if ticket.stage in _STAGES else Stage.NEW.value
        contact = self.directory.contacts.get(ticket.requester_id) if ticket.requester_id else None
        assignee = self.directory.people.get(ticket.assignee_id) if ticket.assignee_id else None
        return {
            "number": number,
            "subject": ticket.subject or f"{self.helpdesk} ticket {ticket.remote_id}",
            "description": ticket.description,
            "priority": ticket.priority if ticket.priority in _PRIORITIES else Priority.NORMAL.value,
            "stage": stage,
            "tier": ticket.tier if ticket.tier is not None else DEFAULT_TIER,
            "customer_id": self._customer_id(ticket),
            "contact_id": contact.id if contact is not None else None,
            "product_area_id": self._area_id(ticket),
            "team_id": self.directory.team_id(ticket.group_id),
            "assignee_id": assignee.id if assignee is not None else None,
            "created_at": ticket.created_at,
            "updated_at": ticket.updated_at,
            "resolved_at": ticket.updated_at if Stage(stage) in DONE_STAGES else None,
            "reopen_count": 0,
            "source_system": self.kind,
            "remote_id": ticket.remote_id,
            "remote_updated_at": version_moment(ticket.version) or ticket.updated_at,
        }

    def update_case(
        self, session: Session, case: CaseRow, ticket: RemoteTicket, edits: PendingEdits, now: datetime
    ) -> bool:
        """Apply ``ticket`` to ``case`` by the rules; whether anything the user sees changed."""
        changes: list[str] = []
        changed = _assign(case, "subject", ticket.subject or case.subject)
        changed |= _assign(case, "description", ticket.description)
        pulled = self._pulled_fields(case, ticket)
        for name, (column, value, shown) in pulled.items():
            if name in edits.fields or value is _KEEP:
                continue
            before = getattr(case, column)
            if _assign(case, column, value):
                changes.append(f"{FIELD_NAMES[name]} {shown(before)} → {shown(value)}")
                if name == STAGE:
                    reason = f"Changed in {self.helpdesk}"
                    record_remote_stage(session, case, Stage(before), Stage(str(value)), reason, now)
        changed |= _assign(case, "customer_id", self._customer_id(ticket) or case.customer_id)
        contact = self.directory.contacts.get(ticket.requester_id) if ticket.requester_id else None
        if contact is not None:
            changed |= _assign(case, "contact_id", contact.id)
        if not self._remote_changed_a_pending_field(edits, ticket):
            _assign(case, "remote_updated_at", version_moment(ticket.version) or ticket.updated_at)
        if ticket.updated_at > case.updated_at:
            case.updated_at = ticket.updated_at
        if changes:
            self._record_changes(session, case, changes, ticket.updated_at)
        return changed or bool(changes)

    def _pulled_fields(self, case: CaseRow, ticket: RemoteTicket) -> dict[str, tuple[str, object, _Shown]]:
        """Field → (column, pulled value or _KEEP, how a value reads in the timeline)."""
        assignee = self.directory.people.get(ticket.assignee_id) if ticket.assignee_id else None
        team_id = self.directory.team_id(ticket.group_id)
        return {
            STAGE: ("stage", self._pulled_stage(case, ticket), lambda value: stage_name(Stage(str(value)))),
            PRIORITY: ("priority", ticket.priority if ticket.priority in _PRIORITIES else _KEEP, _text),
            TIER: ("tier", ticket.tier if ticket.tier is not None else _KEEP, lambda value: f"tier {value}"),
            PRODUCT_AREA: ("product_area_id", self._area_id(ticket) or _KEEP, self._area_name),
            TEAM: (
                "team_id",
                team_id if team_id is not None or not ticket.group_id else _KEEP,
                self._team_name,
            ),
            ASSIGNEE: (
                "assignee_id",
                assignee.id if assignee is not None else (None if not ticket.assignee_id else _KEEP),
                self._person_name,
            ),
        }

    def _pulled_stage(self, case: CaseRow, ticket: RemoteTicket) -> object:
        """The rule: a status the current stage already maps to leaves the stage alone."""
        if ticket.stage not in _STAGES or self.stage_statuses.get(case.stage) == ticket.status:
            return _KEEP
        return ticket.stage

    def _remote_changed_a_pending_field(self, edits: PendingEdits, ticket: RemoteTicket) -> bool:
        """Whether the helpdesk changed a field the user also changed (from what the edit started with)."""
        for name, before in edits.based_on.items():
            if name not in edits.fields:
                continue
            if (
                name == STAGE
                and before is not None
                and self.stage_statuses.get(before) not in (None, ticket.status)
            ):
                return True
            if name == TEAM and before != ticket.group_id:
                return True
            if name == ASSIGNEE and before != ticket.assignee_id:
                return True
            pulled = {TIER: ticket.tier, PRIORITY: ticket.priority, PRODUCT_AREA: ticket.product_area}
            if (
                name in pulled
                and before is not None
                and pulled[name] is not None
                and str(pulled[name]) != before
            ):
                return True  # nothing is overwritten silently: the push meets a 409, the user decides
        return False

    def _record_changes(self, session: Session, case: CaseRow, changes: list[str], at: datetime) -> None:
        session.add(
            TimelineEventRow(
                case_id=case.id,
                kind=EventKind.FIELD_CHANGE.value,
                visibility=Visibility.SYSTEM.value,
                occurred_at=at,
                author_name=self.helpdesk,
                body_text=f"Changed in {self.helpdesk}: " + "; ".join(changes),
                meta_json=json.dumps({"source": self.kind, "remote": True}),
                source_system=self.kind,
            )
        )

    def _customer_id(self, ticket: RemoteTicket) -> int | None:
        customer_id = self.directory.customer_id(ticket.organization_id)
        if customer_id is None and ticket.requester_id:
            contact = self.directory.contacts.get(ticket.requester_id)
            customer_id = contact.customer_id if contact is not None else None
        return customer_id

    def _area_id(self, ticket: RemoteTicket) -> int | None:
        if not ticket.product_area:
            return None
        ids = self.areas.ids
        return ids.get(ticket.product_area) or ids.get(ticket.product_area.lower())

    def _area_name(self, value: object) -> str:
        return self.areas.names.get(value, "no product area") if isinstance(value, int) else "no product area"

    def _team_name(self, value: object) -> str:
        team = self.session.get(TeamRow, value) if isinstance(value, int) else None
        return team.name if team is not None else "no team"

    def _person_name(self, value: object) -> str:
        person = self.session.get(PersonRow, value) if isinstance(value, int) else None
        return person.name if person is not None else "Unassigned"


class _Keep:
    """The pulled ticket says nothing usable about this field: the case keeps its value."""


_KEEP = _Keep()


def _text(value: object) -> str:
    return str(value)


def _assign(row: CaseRow, column: str, value: object) -> bool:
    """Set ``row.column`` only when it differs (an unchanged case stays clean)."""
    if getattr(row, column) == value:
        return False
    setattr(row, column, value)
    return True
