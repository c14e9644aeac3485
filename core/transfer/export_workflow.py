"""Reading a batch of cases' workflow records for export: approvals, proposals, closures, outbox, routes.

Like :mod:`core.transfer.export_context`, one query per table and batch,
records grouped by case id, links written as indexes within the case.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import (
    ApprovalRow,
    AttachmentRow,
    CaseRouteRow,
    ClosureRecordRow,
    FollowUpActionRow,
    OutboxRow,
    ResolutionProposalRow,
    TeamRow,
)
from core.domain.enums import (
    ApprovalDecision,
    ApprovalKind,
    ConfirmationAnswer,
    OutboxOperation,
    OutboxState,
    Stage,
)
from core.routing.history import stored_rules
from core.routing.types import RouteKind
from core.transfer.export_context import Grouped, Indexes, case_rows, columns, group, number_within_cases
from core.transfer.json_values import stored_object
from core.transfer.workflow_schema import (
    ApprovalRecord,
    AttachmentRecord,
    ClosureRecord,
    FollowUpRecord,
    OutboxRecord,
    ProposalRecord,
    RouteRecord,
)


def approvals(session: Session, case_ids: list[int], _indexes: Indexes) -> Grouped:
    """Approval requests per case, oldest first, with the names of who asked and who decided."""
    rows = case_rows(
        session,
        ApprovalRow,
        case_ids,
        ApprovalRow.requested_at,
        requester=ApprovalRow.requested_by_id,
        decider=ApprovalRow.decided_by_id,
    )
    return group(
        (
            approval.case_id,
            ApprovalRecord(
                kind=ApprovalKind(approval.kind),
                amount_cents=approval.amount_cents,
                currency=approval.currency,
                justification=approval.justification,
                requested_by=approval.requester,
                requested_at=approval.requested_at,
                decision=ApprovalDecision(approval.decision),
                decided_by=approval.decider,
                decided_at=approval.decided_at,
                decision_comment=approval.decision_comment,
            ),
        )
        for approval in rows
    )


def resolution_proposals(session: Session, case_ids: list[int], indexes: Indexes) -> Grouped:
    """Resolution proposals per case, oldest first, each naming its public reply by index."""
    rows = case_rows(
        session,
        ResolutionProposalRow,
        case_ids,
        ResolutionProposalRow.proposed_at,
        proposer=ResolutionProposalRow.proposed_by_id,
    )
    return group(
        (
            proposal.case_id,
            ProposalRecord(
                proposed_by=proposal.proposer,
                proposed_at=proposal.proposed_at,
                reminders_sent=proposal.reminders_sent,
                next_reminder_at=proposal.next_reminder_at,
                answer=None if proposal.answer is None else ConfirmationAnswer(proposal.answer),
                answered_at=proposal.answered_at,
                customer_feedback=proposal.customer_feedback,
                event=indexes.event(proposal.case_id, proposal.event_id),
            ),
        )
        for proposal in rows
    )


def closure_records(session: Session, case_ids: list[int], indexes: Indexes) -> Grouped:
    """Closure records per case, oldest first, with their follow-up actions."""
    rows = case_rows(
        session, ClosureRecordRow, case_ids, ClosureRecordRow.closed_at, closer=ClosureRecordRow.closed_by_id
    )
    follow_ups = _follow_ups(session, [closure.id for closure in rows])
    return group(
        (
            closure.case_id,
            ClosureRecord(
                resolution_summary=closure.resolution_summary,
                root_cause_category=closure.root_cause_category,
                root_cause_detail=closure.root_cause_detail,
                defect_key=closure.defect_key,
                defect_url=closure.defect_url,
                customer_notified=closure.customer_notified,
                closed_by=closure.closer,
                closed_at=closure.closed_at,
                escalation=indexes.escalation(closure.case_id, closure.escalation_id),
                follow_ups=follow_ups.get(closure.id, ()),
            ),
        )
        for closure in rows
    )


def _follow_ups(session: Session, closure_ids: list[int]) -> Grouped:
    if not closure_ids:
        return {}
    rows = session.execute(
        select(*columns(FollowUpActionRow))
        .where(FollowUpActionRow.closure_id.in_(closure_ids))
        .order_by(FollowUpActionRow.closure_id, FollowUpActionRow.id)
    ).all()
    return group(
        (
            item.closure_id,
            FollowUpRecord(text=item.text, owner=item.owner, due_date=item.due_date, done=item.done),
        )
        for item in rows
    )


def outbox_entries(session: Session, case_ids: list[int], indexes: Indexes) -> Grouped:
    """Outbox entries per case in delivery order (delivered ones too), with the events they deliver.

    Fills ``indexes.outbox``.
    """
    rows = case_rows(session, OutboxRow, case_ids)
    number_within_cases(rows, indexes.outbox)
    return group(
        (
            entry.case_id,
            OutboxRecord(
                operation=OutboxOperation(entry.operation),
                payload=_payload(entry.payload_json),
                state=OutboxState(entry.state),
                attempts=entry.attempts,
                last_error=entry.last_error,
                created_at=entry.created_at,
                idempotency_key=entry.idempotency_key,
                events=indexes.outbox_events(entry.case_id, entry.id),
            ),
        )
        for entry in rows
    )


def _payload(payload_json: str) -> dict[str, object]:
    """An entry's payload; one that is not a JSON object is kept under "value" (never dropped)."""
    payload = stored_object(payload_json)
    return {} if payload is None else payload


def attachments(session: Session, case_ids: list[int], indexes: Indexes) -> Grouped:
    """Attachment metadata per case, oldest first, each naming the event it was sent with by index."""
    rows = case_rows(session, AttachmentRow, case_ids, AttachmentRow.created_at)
    return group(
        (
            attachment.case_id,
            AttachmentRecord(
                filename=attachment.filename,
                content_type=attachment.content_type,
                size_bytes=attachment.size_bytes,
                sha256=attachment.sha256,
                created_at=attachment.created_at,
                event=indexes.event(attachment.case_id, attachment.event_id),
            ),
        )
        for attachment in rows
    )


def case_routes(session: Session, case_ids: list[int], indexes: Indexes) -> Grouped:
    """Route records per case, oldest first, with team and people names and links by index.

    Read after the escalations, stage transitions and outbox, whose indexes it links to.
    """
    rows = case_rows(
        session,
        CaseRouteRow,
        case_ids,
        CaseRouteRow.at,
        actor=CaseRouteRow.actor_id,
        from_assignee=CaseRouteRow.from_assignee_id,
        to_assignee=CaseRouteRow.to_assignee_id,
    )
    if not rows:
        return {}
    teams: dict[int, str] = {
        team_id: name for team_id, name in session.execute(select(TeamRow.id, TeamRow.name))
    }
    return group(
        (
            route.case_id,
            RouteRecord(
                kind=RouteKind(route.kind),
                batch_key=route.batch_key,
                from_team=None if route.from_team_id is None else teams.get(route.from_team_id),
                to_team=None if route.to_team_id is None else teams.get(route.to_team_id),
                from_assignee=route.from_assignee,
                to_assignee=route.to_assignee,
                from_stage=Stage(route.from_stage),
                to_stage=Stage(route.to_stage),
                reason=route.reason,
                overridden_rules=stored_rules(route.overridden_rules_json),
                explanation=stored_object(route.explanation_json),
                actor=route.actor,
                at=route.at,
                escalation=indexes.escalation(route.case_id, route.escalation_id),
                outbox=indexes.outbox_entry(route.case_id, route.outbox_id),
                transition=indexes.transition(route.case_id, route.transition_id),
                previous_last_assigned_at=route.previous_last_assigned_at,
                undone_at=route.undone_at,
            ),
        )
        for route in rows
    )
