"""The ``handoff-export`` document format, version 1: its records and their JSON form.

A document is one JSON object::

    {"format": "handoff-export", "version": 1, "exported_at": "2026-11-26T14:00:00Z",
     "cases": [{...}, {...}]}

Each case carries its whole context by value (customer, contact, team and
people by name, never by database id), so a document can be imported into any
workspace. Timestamps are ISO-8601 in UTC with a ``Z`` suffix; dates are
``YYYY-MM-DD``. The keys are a public contract: later versions add keys, they
never rename or remove one.

Records within a case refer to each other by their index in the case's lists
(a transition's ``escalation``, a note's ``event``, an outbox entry's
``events``), never by database id. Later additions to version 1 (approvals,
resolution proposals, closure records, outbox entries, attachments, route
records (``case_routes``), and the keys they link by) are optional on import, so
older files still import. ``reroute_count`` is derived from ``case_routes`` on
export and ignored on import, like an event's ``pending``. So is ``sla``: the case's SLA policy
(key, version), each clock with its state and deadline, and the pause ledger, as
:func:`core.sla.clocks_json.clocks_to_json` writes them; an import recomputes them.

The records below are the single description of that contract: the exporter
builds them from rows and calls :meth:`CaseRecord.to_json`; the validator
builds them from JSON; the importer turns them into rows. The records of the
workflow (approvals and what follows) live in :mod:`core.transfer.workflow_schema`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.domain.enums import (
    CustomerTier,
    EventKind,
    NoteKind,
    Priority,
    ReasonCode,
    SourceSystem,
    Stage,
    TransitionKind,
    Visibility,
)
from core.transfer.json_values import JsonObject, format_timestamp, optional_date, optional_timestamp
from core.transfer.workflow_schema import (
    ApprovalRecord,
    AttachmentRecord,
    ClosureRecord,
    OutboxRecord,
    ProposalRecord,
    RouteRecord,
)

FORMAT = "handoff-export"
VERSION = 1

CSV_COLUMNS: tuple[str, ...] = (
    "number",
    "subject",
    "customer",
    "customer_tier",
    "priority",
    "tier",
    "stage",
    "team",
    "assignee",
    "product_area",
    "created_at",
    "updated_at",
    "resolved_at",
    "root_cause",
    "event_count",
    "escalation_count",
    "closed_at",
    "root_cause_category",
    "pending_outbox",
    "reroute_count",
)


class TransferError(Exception):
    """A file cannot be exported or imported; the message is written for the user."""


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """The customer account of a case, matched by name on import."""

    name: str
    tier: CustomerTier
    arr_cents: int = 0
    renewal_date: date | None = None
    domain: str | None = None

    def to_json(self) -> JsonObject:
        return {
            "name": self.name,
            "tier": self.tier.value,
            "arr_cents": self.arr_cents,
            "renewal_date": optional_date(self.renewal_date),
            "domain": self.domain,
        }


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """The person at the customer who raised the case."""

    name: str
    email: str | None = None

    def to_json(self) -> JsonObject:
        return {"name": self.name, "email": self.email}


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One timeline event. ``body_html`` is the raw HTML as received, never sanitized here.

    ``pending`` is derived on export (an outbox entry of the case still has to
    deliver the event) and ignored on import, where the outbox entries' ``events``
    say it again.
    """

    kind: EventKind
    visibility: Visibility
    occurred_at: datetime
    author: str = ""
    body_text: str = ""
    body_html: str | None = None
    meta: JsonObject | None = None
    source_system: SourceSystem = SourceSystem.LOCAL
    remote_id: str | None = None
    pending: bool = False

    def to_json(self) -> JsonObject:
        return {
            "kind": self.kind.value,
            "visibility": self.visibility.value,
            "occurred_at": format_timestamp(self.occurred_at),
            "author": self.author,
            "body_text": self.body_text,
            "body_html": self.body_html,
            "meta": self.meta if self.meta is not None else {},
            "source_system": self.source_system.value,
            "remote_id": self.remote_id,
            "pending": self.pending,
        }


@dataclass(frozen=True, slots=True)
class EscalationRecord:
    """One escalation episode; ``team`` and ``requested_by`` are names.

    ``recommendation`` and ``readiness`` are what Handoff recommended and found
    when the case was escalated, as the Escalate dialog recorded them.
    """

    tier: int
    reason_code: ReasonCode
    stage: Stage
    requested_at: datetime
    team: str | None = None
    requested_by: str | None = None
    justification: str = ""
    override_reason: str | None = None
    closed_at: datetime | None = None
    recommended_tier: int | None = None
    recommendation: JsonObject | None = None
    readiness: JsonObject | None = None

    def to_json(self) -> JsonObject:
        return {
            "tier": self.tier,
            "reason_code": self.reason_code.value,
            "stage": self.stage.value,
            "team": self.team,
            "requested_by": self.requested_by,
            "requested_at": format_timestamp(self.requested_at),
            "justification": self.justification,
            "override_reason": self.override_reason,
            "closed_at": optional_timestamp(self.closed_at),
            "recommended_tier": self.recommended_tier,
            "recommendation": self.recommendation,
            "readiness": self.readiness,
        }


@dataclass(frozen=True, slots=True)
class TransitionRecord:
    """One recorded stage change; ``escalation`` is an index into the case's ``escalations``.

    ``kind`` tells an escalation, re-escalation or return from an ordinary move;
    ``details`` holds what the step recorded with it (such as the customer's
    feedback and the guidance given when a resolution is returned).
    """

    to_stage: Stage
    at: datetime
    from_stage: Stage | None = None
    actor: str | None = None
    reason: str = ""
    escalation: int | None = None
    kind: TransitionKind | None = None
    details: JsonObject | None = None

    def to_json(self) -> JsonObject:
        return {
            "from_stage": None if self.from_stage is None else self.from_stage.value,
            "to_stage": self.to_stage.value,
            "actor": self.actor,
            "at": format_timestamp(self.at),
            "reason": self.reason,
            "escalation": self.escalation,
            "kind": None if self.kind is None else self.kind.value,
            "details": self.details,
        }


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """A specialist's investigation note; ``author`` is a person's name.

    ``event`` is the index, in the case's ``timeline``, of the internal event that shows the note.
    """

    body: str
    created_at: datetime
    updated_at: datetime
    kind: NoteKind = NoteKind.NOTE
    author: str | None = None
    event: int | None = None

    def to_json(self) -> JsonObject:
        return {
            "kind": self.kind.value,
            "body": self.body,
            "author": self.author,
            "created_at": format_timestamp(self.created_at),
            "updated_at": format_timestamp(self.updated_at),
            "event": self.event,
        }


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A case with its whole context, as one element of the document's ``cases`` list."""

    number: int
    subject: str
    priority: Priority
    stage: Stage
    created_at: datetime
    updated_at: datetime
    description: str = ""
    tier: int = 1
    resolved_at: datetime | None = None
    resolution: str | None = None
    root_cause: str | None = None
    defect_key: str | None = None
    reopen_count: int = 0
    source_system: SourceSystem = SourceSystem.LOCAL
    remote_id: str | None = None
    customer: CustomerRecord | None = None
    contact: ContactRecord | None = None
    product_area: str | None = None
    team: str | None = None
    assignee: str | None = None
    timeline: tuple[EventRecord, ...] = ()
    escalations: tuple[EscalationRecord, ...] = ()
    stage_transitions: tuple[TransitionRecord, ...] = ()
    notes: tuple[NoteRecord, ...] = ()
    approvals: tuple[ApprovalRecord, ...] = ()
    resolution_proposals: tuple[ProposalRecord, ...] = ()
    closure_records: tuple[ClosureRecord, ...] = ()
    outbox: tuple[OutboxRecord, ...] = ()
    attachments: tuple[AttachmentRecord, ...] = ()
    case_routes: tuple[RouteRecord, ...] = ()
    sla: JsonObject | None = None  # derived on export (clocks, pause ledger); ignored on import

    @property
    def reroute_count(self) -> int:
        """How many times the case went to another team (derived from ``case_routes``)."""
        return sum(1 for route in self.case_routes if route.counts_as_reroute)

    def to_json(self) -> JsonObject:
        return {
            "number": self.number,
            "subject": self.subject,
            "description": self.description,
            "priority": self.priority.value,
            "stage": self.stage.value,
            "tier": self.tier,
            "created_at": format_timestamp(self.created_at),
            "updated_at": format_timestamp(self.updated_at),
            "resolved_at": optional_timestamp(self.resolved_at),
            "resolution": self.resolution,
            "root_cause": self.root_cause,
            "defect_key": self.defect_key,
            "reopen_count": self.reopen_count,
            "source_system": self.source_system.value,
            "remote_id": self.remote_id,
            "customer": None if self.customer is None else self.customer.to_json(),
            "contact": None if self.contact is None else self.contact.to_json(),
            "product_area": self.product_area,
            "team": self.team,
            "assignee": self.assignee,
            "timeline": [event.to_json() for event in self.timeline],
            "escalations": [escalation.to_json() for escalation in self.escalations],
            "stage_transitions": [transition.to_json() for transition in self.stage_transitions],
            "notes": [note.to_json() for note in self.notes],
            "approvals": [approval.to_json() for approval in self.approvals],
            "resolution_proposals": [proposal.to_json() for proposal in self.resolution_proposals],
            "closure_records": [closure.to_json() for closure in self.closure_records],
            "outbox": [entry.to_json() for entry in self.outbox],
            "attachments": [attachment.to_json() for attachment in self.attachments],
            "reroute_count": self.reroute_count,
            "case_routes": [route.to_json() for route in self.case_routes],
            "sla": self.sla,
        }
