"""Validating an imported case's workflow records: approvals, proposals, closures, outbox, files, routes.

Each parser reads one JSON object through :class:`~core.transfer.fields.Fields`,
so a problem names the record and the field (``approvals[0].decision``). Links
between records (indexes) are checked afterwards, by :mod:`core.transfer.links`.
"""

from __future__ import annotations

import re

from core.domain.enums import (
    ApprovalDecision,
    ApprovalKind,
    ConfirmationAnswer,
    OutboxOperation,
    OutboxState,
    Stage,
)
from core.routing.types import RouteKind, RuleKind
from core.transfer.fields import Fields
from core.transfer.workflow_schema import (
    DEFAULT_CONTENT_TYPE,
    ApprovalRecord,
    AttachmentRecord,
    ClosureRecord,
    FollowUpRecord,
    OutboxRecord,
    ProposalRecord,
    RouteRecord,
)

_CURRENCY = re.compile(r"[A-Z]{3}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,64}")
_BATCH_KEY = re.compile(r"[\x21-\x7e]{1,32}")


def parse_approval(fields: Fields) -> ApprovalRecord:
    """An approval request and its decision."""
    currency = fields.optional_text("currency")
    fields.matching("currency", currency, _CURRENCY, "a three-letter currency code such as EUR")
    record = ApprovalRecord(
        kind=fields.enum("kind", ApprovalKind),
        amount_cents=fields.optional_integer("amount_cents"),
        currency=currency,
        justification=fields.text("justification"),
        requested_by=fields.optional_text("requested_by"),
        requested_at=fields.timestamp("requested_at"),
        decision=fields.enum("decision", ApprovalDecision, default=ApprovalDecision.PENDING),
        decided_by=fields.optional_text("decided_by"),
        decided_at=fields.optional_timestamp("decided_at"),
        decision_comment=fields.optional_text("decision_comment"),
    )
    fields.finish()
    return record


def parse_proposal(fields: Fields) -> ProposalRecord:
    """A resolution proposal with its reminders and the customer's answer."""
    record = ProposalRecord(
        proposed_by=fields.optional_text("proposed_by"),
        proposed_at=fields.timestamp("proposed_at"),
        reminders_sent=fields.integer("reminders_sent", default=0),
        next_reminder_at=fields.optional_timestamp("next_reminder_at"),
        answer=fields.optional_enum("answer", ConfirmationAnswer),
        answered_at=fields.optional_timestamp("answered_at"),
        customer_feedback=fields.optional_text("customer_feedback"),
        event=fields.optional_integer("event"),
    )
    fields.finish()
    return record


def parse_closure(fields: Fields) -> ClosureRecord:
    """A closure record with its follow-up actions."""
    record = ClosureRecord(
        resolution_summary=fields.text("resolution_summary"),
        root_cause_category=fields.text("root_cause_category"),
        root_cause_detail=fields.text("root_cause_detail", default=""),
        defect_key=fields.optional_text("defect_key"),
        defect_url=fields.optional_text("defect_url"),
        customer_notified=fields.boolean("customer_notified", default=False),
        closed_by=fields.optional_text("closed_by"),
        closed_at=fields.timestamp("closed_at"),
        escalation=fields.optional_integer("escalation"),
        follow_ups=tuple(_parse_follow_up(item) for item in fields.objects("follow_ups")),
    )
    fields.finish()
    return record


def _parse_follow_up(fields: Fields) -> FollowUpRecord:
    record = FollowUpRecord(
        text=fields.text("text"),
        owner=fields.text("owner", default=""),
        due_date=fields.optional_date("due_date"),
        done=fields.boolean("done", default=False),
    )
    fields.finish()
    return record


def parse_outbox_entry(fields: Fields) -> OutboxRecord:
    """An outbox entry, in any delivery state, with the indexes of the events it delivers."""
    operation = fields.enum("operation", OutboxOperation)
    key = fields.text("idempotency_key")
    fields.matching("idempotency_key", key, _IDEMPOTENCY_KEY, "a key of 1 to 64 printable characters")
    record = OutboxRecord(
        operation=operation,
        payload=fields.optional_mapping("payload") or {},
        state=fields.enum("state", OutboxState, default=OutboxState.PENDING),
        attempts=fields.integer("attempts", default=0),
        last_error=fields.optional_text("last_error"),
        created_at=fields.timestamp("created_at"),
        idempotency_key=key,
        events=fields.indexes("events"),
    )
    fields.finish()
    return record


def parse_attachment(fields: Fields) -> AttachmentRecord:
    """An attachment's metadata (the file itself is not part of the document)."""
    sha256 = fields.text("sha256")
    fields.matching("sha256", sha256, _SHA256, "a SHA-256 digest (64 lowercase hexadecimal digits)")
    record = AttachmentRecord(
        filename=fields.text("filename"),
        content_type=fields.text("content_type", default=DEFAULT_CONTENT_TYPE),
        size_bytes=fields.integer("size_bytes"),
        sha256=sha256,
        created_at=fields.timestamp("created_at"),
        event=fields.optional_integer("event"),
    )
    fields.finish()
    return record


def parse_route(fields: Fields) -> RouteRecord:
    """A routing decision, with the indexes of its escalation, outbox entry and stage transition."""
    batch_key = fields.text("batch_key")
    fields.matching("batch_key", batch_key, _BATCH_KEY, "a key of 1 to 32 printable characters")
    record = RouteRecord(
        kind=fields.enum("kind", RouteKind),
        batch_key=batch_key,
        from_team=fields.optional_text("from_team"),
        to_team=fields.optional_text("to_team"),
        from_assignee=fields.optional_text("from_assignee"),
        to_assignee=fields.optional_text("to_assignee"),
        from_stage=fields.enum("from_stage", Stage),
        to_stage=fields.enum("to_stage", Stage),
        reason=fields.text("reason", default=""),
        overridden_rules=fields.enums("overridden_rules", RuleKind),
        explanation=fields.optional_mapping("explanation"),
        actor=fields.optional_text("actor"),
        at=fields.timestamp("at"),
        escalation=fields.optional_integer("escalation"),
        outbox=fields.optional_integer("outbox"),
        transition=fields.optional_integer("transition"),
        previous_last_assigned_at=fields.optional_timestamp("previous_last_assigned_at"),
        undone_at=fields.optional_timestamp("undone_at"),
    )
    fields.finish()
    return record
