"""The workflow records of a ``handoff-export`` case: approvals, proposals, closures, outbox, routes.

They complete :mod:`core.transfer.schema` (same contract: keys are added,
never renamed). People are named, never referred to by id; links to other
records of the case are indexes into the case's lists (``event`` into
``timeline``, ``escalation`` into ``escalations``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from core.domain.enums import (
    ApprovalDecision,
    ApprovalKind,
    ConfirmationAnswer,
    OutboxOperation,
    OutboxState,
    Stage,
)
from core.routing.types import RouteKind, RuleKind
from core.transfer.json_values import JsonObject, format_timestamp, optional_date, optional_timestamp

DEFAULT_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class ApprovalRecord:
    """A request for management authorization and, once decided, the lead's decision."""

    kind: ApprovalKind
    justification: str
    requested_at: datetime
    amount_cents: int | None = None
    currency: str | None = None
    requested_by: str | None = None
    decision: ApprovalDecision = ApprovalDecision.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_comment: str | None = None

    def to_json(self) -> JsonObject:
        return {
            "kind": self.kind.value,
            "amount_cents": self.amount_cents,
            "currency": self.currency,
            "justification": self.justification,
            "requested_by": self.requested_by,
            "requested_at": format_timestamp(self.requested_at),
            "decision": self.decision.value,
            "decided_by": self.decided_by,
            "decided_at": optional_timestamp(self.decided_at),
            "decision_comment": self.decision_comment,
        }


@dataclass(frozen=True, slots=True)
class ProposalRecord:
    """A resolution proposed to the customer, its reminders and the customer's answer.

    ``event`` is the index of the public reply that carried the proposal.
    """

    proposed_at: datetime
    proposed_by: str | None = None
    reminders_sent: int = 0
    next_reminder_at: datetime | None = None
    answer: ConfirmationAnswer | None = None
    answered_at: datetime | None = None
    customer_feedback: str | None = None
    event: int | None = None

    def to_json(self) -> JsonObject:
        return {
            "proposed_by": self.proposed_by,
            "proposed_at": format_timestamp(self.proposed_at),
            "reminders_sent": self.reminders_sent,
            "next_reminder_at": optional_timestamp(self.next_reminder_at),
            "answer": None if self.answer is None else self.answer.value,
            "answered_at": optional_timestamp(self.answered_at),
            "customer_feedback": self.customer_feedback,
            "event": self.event,
        }


@dataclass(frozen=True, slots=True)
class FollowUpRecord:
    """A follow-up action decided at closure; ``owner`` is free text (a person or a team)."""

    text: str
    owner: str = ""
    due_date: date | None = None
    done: bool = False

    def to_json(self) -> JsonObject:
        return {
            "text": self.text,
            "owner": self.owner,
            "due_date": optional_date(self.due_date),
            "done": self.done,
        }


@dataclass(frozen=True, slots=True)
class ClosureRecord:
    """How an escalation ended, as trend analysis reads it; ``escalation`` is the episode's index."""

    resolution_summary: str
    root_cause_category: str
    closed_at: datetime
    root_cause_detail: str = ""
    defect_key: str | None = None
    defect_url: str | None = None
    customer_notified: bool = False
    closed_by: str | None = None
    escalation: int | None = None
    follow_ups: tuple[FollowUpRecord, ...] = ()

    def to_json(self) -> JsonObject:
        return {
            "resolution_summary": self.resolution_summary,
            "root_cause_category": self.root_cause_category,
            "root_cause_detail": self.root_cause_detail,
            "defect_key": self.defect_key,
            "defect_url": self.defect_url,
            "customer_notified": self.customer_notified,
            "closed_by": self.closed_by,
            "closed_at": format_timestamp(self.closed_at),
            "escalation": self.escalation,
            "follow_ups": [item.to_json() for item in self.follow_ups],
        }


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    """A local change waiting for (or done with) delivery to the helpdesk, in the case's order.

    ``events`` are the indexes of the timeline events the entry delivers: one
    workflow step writes several (the stage change and its note) with one entry.
    """

    operation: OutboxOperation
    idempotency_key: str
    created_at: datetime
    payload: JsonObject = field(default_factory=dict)
    state: OutboxState = OutboxState.PENDING
    attempts: int = 0
    last_error: str | None = None
    events: tuple[int, ...] = ()

    def to_json(self) -> JsonObject:
        return {
            "operation": self.operation.value,
            "payload": self.payload,
            "state": self.state.value,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "created_at": format_timestamp(self.created_at),
            "idempotency_key": self.idempotency_key,
            "events": list(self.events),
        }


@dataclass(frozen=True, slots=True)
class AttachmentRecord:
    """A file's metadata; the file itself stays in ``<workspace>/attachments/<sha256>`` and is not exported.

    ``event`` is the index of the timeline event the file was sent with (None while it is on a draft).
    """

    filename: str
    size_bytes: int
    sha256: str
    created_at: datetime
    content_type: str = DEFAULT_CONTENT_TYPE
    event: int | None = None

    def to_json(self) -> JsonObject:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size_bytes": self.size_bytes,
            "sha256": self.sha256,
            "created_at": format_timestamp(self.created_at),
            "event": self.event,
        }


@dataclass(frozen=True, slots=True)
class RouteRecord:
    """A routing decision: the team and specialist a case went from and to, why, by whom.

    Teams and people are names. ``escalation``, ``outbox`` and ``transition`` are
    indexes into the case's ``escalations``, ``outbox`` and ``stage_transitions``
    (the episode it belonged to, the entry that delivers it, the stage change a
    triage wrote). An undone route (``undone_at``) is kept for the audit trail and
    not counted as a re-route.
    """

    kind: RouteKind
    batch_key: str
    from_stage: Stage
    to_stage: Stage
    at: datetime
    from_team: str | None = None
    to_team: str | None = None
    from_assignee: str | None = None
    to_assignee: str | None = None
    reason: str = ""
    overridden_rules: tuple[RuleKind, ...] = ()
    explanation: JsonObject | None = None
    actor: str | None = None
    escalation: int | None = None
    outbox: int | None = None
    transition: int | None = None
    previous_last_assigned_at: datetime | None = None
    undone_at: datetime | None = None

    @property
    def counts_as_reroute(self) -> bool:
        """Whether the route sent the case to another team and stands (not undone)."""
        return self.kind is RouteKind.REROUTE and self.undone_at is None

    def to_json(self) -> JsonObject:
        return {
            "kind": self.kind.value,
            "batch_key": self.batch_key,
            "from_team": self.from_team,
            "to_team": self.to_team,
            "from_assignee": self.from_assignee,
            "to_assignee": self.to_assignee,
            "from_stage": self.from_stage.value,
            "to_stage": self.to_stage.value,
            "reason": self.reason,
            "overridden_rules": [rule.value for rule in self.overridden_rules],
            "explanation": self.explanation,
            "actor": self.actor,
            "at": format_timestamp(self.at),
            "escalation": self.escalation,
            "outbox": self.outbox,
            "transition": self.transition,
            "previous_last_assigned_at": optional_timestamp(self.previous_last_assigned_at),
            "undone_at": optional_timestamp(self.undone_at),
        }
