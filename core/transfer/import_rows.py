"""The database rows of an imported case's lists, one builder per table.

Builders run in the order of :data:`ROW_BUILDERS`: each sees the ids of the
rows inserted before it (:class:`CaseIds`), so a link written as an index in
the document (a note's ``event``, a closure's ``escalation``) becomes the new
row's id. Derived values are not imported: an event is pending because an
undelivered outbox entry lists it, whatever its ``pending`` key says.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.db.models import (
    ApprovalRow,
    AttachmentRow,
    CaseRouteRow,
    ClosureRecordRow,
    EscalationRow,
    FollowUpActionRow,
    InvestigationNoteRow,
    OutboxRow,
    ResolutionProposalRow,
    StageTransitionRow,
    TimelineEventRow,
)
from core.domain.enums import PersonRole, SourceSystem
from core.routing.history import rules_text
from core.transfer.json_values import object_text
from core.transfer.references import References, Values
from core.transfer.schema import CaseRecord


@dataclass
class CaseIds:
    """The ids of an imported case and of its rows inserted so far, by table name, in document order."""

    case_id: int
    rows: dict[str, list[int]] = field(default_factory=dict)

    def of(self, table: type[Any], index: int | None) -> int | None:
        """The id of the row at ``index`` of ``table`` in this case's list (None for no link)."""
        return None if index is None else self.rows[table.__tablename__][index]


RowBuilder = Callable[[CaseRecord, CaseIds, References], list[Values]]


def escalation_rows(record: CaseRecord, ids: CaseIds, references: References) -> list[Values]:
    """The case's escalation episodes."""
    return [
        {
            "case_id": ids.case_id,
            "tier": escalation.tier,
            "reason_code": escalation.reason_code.value,
            "stage": escalation.stage.value,
            "team_id": references.team(escalation.team),
            "requested_by_id": references.person(escalation.requested_by),
            "requested_at": escalation.requested_at,
            "justification": escalation.justification,
            "override_reason": escalation.override_reason,
            "closed_at": escalation.closed_at,
            "recommended_tier": escalation.recommended_tier,
            "recommendation_json": object_text(escalation.recommendation),
            "readiness_json": object_text(escalation.readiness),
        }
        for escalation in record.escalations
    ]


def outbox_rows(record: CaseRecord, ids: CaseIds, _references: References) -> list[Values]:
    """The case's outbox entries, addressed to the case's system as :func:`core.outbox.enqueue` does."""
    connection_id = None if record.source_system is SourceSystem.LOCAL else record.source_system.value
    return [
        {
            "idempotency_key": entry.idempotency_key,
            "connection_id": connection_id,
            "case_id": ids.case_id,
            "remote_id": record.remote_id,
            "operation": entry.operation.value,
            "payload_json": json.dumps(entry.payload, sort_keys=True, ensure_ascii=False),
            "state": entry.state.value,
            "attempts": entry.attempts,
            "last_error": entry.last_error,
            "created_at": entry.created_at,
            "updated_at": entry.created_at,
        }
        for entry in record.outbox
    ]


def event_rows(record: CaseRecord, ids: CaseIds, _references: References) -> list[Values]:
    """The case's timeline, each event linked to the outbox entry that lists it."""
    delivering = {
        event: ids.of(OutboxRow, position)
        for position, entry in enumerate(record.outbox)
        for event in entry.events
    }
    return [
        {
            "case_id": ids.case_id,
            "kind": event.kind.value,
            "visibility": event.visibility.value,
            "occurred_at": event.occurred_at,
            "author_name": event.author,
            "body_text": event.body_text,
            "body_html": event.body_html,
            "meta_json": json.dumps(event.meta, ensure_ascii=False) if event.meta else None,
            "source_system": event.source_system.value,
            "remote_id": event.remote_id,
            "outbox_id": delivering.get(index),
        }
        for index, event in enumerate(record.timeline)
    ]


def transition_rows(record: CaseRecord, ids: CaseIds, references: References) -> list[Values]:
    """The case's recorded stage changes."""
    return [
        {
            "case_id": ids.case_id,
            "escalation_id": ids.of(EscalationRow, transition.escalation),
            "from_stage": None if transition.from_stage is None else transition.from_stage.value,
            "to_stage": transition.to_stage.value,
            "actor_id": references.person(transition.actor),
            "at": transition.at,
            "reason": transition.reason,
            "kind": None if transition.kind is None else transition.kind.value,
            "details_json": object_text(transition.details),
        }
        for transition in record.stage_transitions
    ]


def note_rows(record: CaseRecord, ids: CaseIds, references: References) -> list[Values]:
    """The case's investigation notes."""
    return [
        {
            "case_id": ids.case_id,
            "kind": note.kind.value,
            "body": note.body,
            "author_id": references.person(note.author),
            "created_at": note.created_at,
            "updated_at": note.updated_at,
            "event_id": ids.of(TimelineEventRow, note.event),
        }
        for note in record.notes
    ]


def approval_rows(record: CaseRecord, ids: CaseIds, references: References) -> list[Values]:
    """The case's approval requests; a decider not in the workspace yet is created as a lead."""
    return [
        {
            "case_id": ids.case_id,
            "kind": approval.kind.value,
            "amount_cents": approval.amount_cents,
            "currency": approval.currency,
            "justification": approval.justification,
            "requested_by_id": references.person(approval.requested_by),
            "requested_at": approval.requested_at,
            "decision": approval.decision.value,
            "decided_by_id": references.person(approval.decided_by, PersonRole.LEAD),
            "decided_at": approval.decided_at,
            "decision_comment": approval.decision_comment,
        }
        for approval in record.approvals
    ]


def proposal_rows(record: CaseRecord, ids: CaseIds, references: References) -> list[Values]:
    """The case's resolution proposals."""
    return [
        {
            "case_id": ids.case_id,
            "event_id": ids.of(TimelineEventRow, proposal.event),
            "proposed_by_id": references.person(proposal.proposed_by),
            "proposed_at": proposal.proposed_at,
            "reminders_sent": proposal.reminders_sent,
            "next_reminder_at": proposal.next_reminder_at,
            "answer": None if proposal.answer is None else proposal.answer.value,
            "answered_at": proposal.answered_at,
            "customer_feedback": proposal.customer_feedback,
        }
        for proposal in record.resolution_proposals
    ]


def closure_rows(record: CaseRecord, ids: CaseIds, references: References) -> list[Values]:
    """The case's closure records (their follow-ups come next, once their ids are known)."""
    return [
        {
            "case_id": ids.case_id,
            "escalation_id": ids.of(EscalationRow, closure.escalation),
            "resolution_summary": closure.resolution_summary,
            "root_cause_category": closure.root_cause_category,
            "root_cause_detail": closure.root_cause_detail,
            "defect_key": closure.defect_key,
            "defect_url": closure.defect_url,
            "customer_notified": closure.customer_notified,
            "closed_by_id": references.person(closure.closed_by),
            "closed_at": closure.closed_at,
        }
        for closure in record.closure_records
    ]


def follow_up_rows(record: CaseRecord, ids: CaseIds, _references: References) -> list[Values]:
    """The follow-up actions of the case's closure records."""
    return [
        {
            "closure_id": ids.of(ClosureRecordRow, position),
            "text": item.text,
            "owner": item.owner,
            "due_date": item.due_date,
            "done": item.done,
        }
        for position, closure in enumerate(record.closure_records)
        for item in closure.follow_ups
    ]


def attachment_rows(record: CaseRecord, ids: CaseIds, _references: References) -> list[Values]:
    """The case's attachment metadata; the files are looked up by SHA-256 in the attachments folder."""
    return [
        {
            "case_id": ids.case_id,
            "event_id": ids.of(TimelineEventRow, attachment.event),
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size_bytes": attachment.size_bytes,
            "sha256": attachment.sha256,
            "stored_name": attachment.sha256,
            "created_at": attachment.created_at,
        }
        for attachment in record.attachments
    ]


def route_rows(record: CaseRecord, ids: CaseIds, references: References) -> list[Values]:
    """The case's route records, with teams and people by name and their links as new ids."""
    return [
        {
            "case_id": ids.case_id,
            "escalation_id": ids.of(EscalationRow, route.escalation),
            "batch_key": route.batch_key,
            "kind": route.kind.value,
            "from_team_id": references.team(route.from_team),
            "to_team_id": references.team(route.to_team),
            "from_assignee_id": references.person(route.from_assignee),
            "to_assignee_id": references.person(route.to_assignee),
            "from_stage": route.from_stage.value,
            "to_stage": route.to_stage.value,
            "reason": route.reason,
            "overridden_rules_json": rules_text(route.overridden_rules),
            "explanation_json": object_text(route.explanation),
            "actor_id": references.person(route.actor),
            "at": route.at,
            "outbox_id": ids.of(OutboxRow, route.outbox),
            "transition_id": ids.of(StageTransitionRow, route.transition),
            "previous_last_assigned_at": route.previous_last_assigned_at,
            "undone_at": route.undone_at,
        }
        for route in record.case_routes
    ]


#: Every table of a case's lists with its builder, in an order where links point backwards.
ROW_BUILDERS: tuple[tuple[type[Any], RowBuilder], ...] = (
    (EscalationRow, escalation_rows),
    (OutboxRow, outbox_rows),
    (TimelineEventRow, event_rows),
    (StageTransitionRow, transition_rows),
    (InvestigationNoteRow, note_rows),
    (ApprovalRow, approval_rows),
    (ResolutionProposalRow, proposal_rows),
    (ClosureRecordRow, closure_rows),
    (FollowUpActionRow, follow_up_rows),
    (AttachmentRow, attachment_rows),
    (CaseRouteRow, route_rows),
)

#: The tables later rows link to: only their new ids are read back (the others insert faster without).
LINK_TARGETS: frozenset[type[Any]] = frozenset(
    {EscalationRow, OutboxRow, TimelineEventRow, StageTransitionRow, ClosureRecordRow}
)
