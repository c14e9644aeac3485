"""Where a case stands in the workflow, as the case view needs it to offer the right actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import PersonRow
from core.domain.enums import ApprovalKind, ReasonCode, Stage
from core.workflow.approvals import pending_approval
from core.workflow.recording import load_case, open_escalation, open_proposal
from core.workflow.stages import allowed_next
from core.workflow.transitions import plain_moves


@dataclass(frozen=True)
class OpenEscalation:
    """The current escalation episode of a case."""

    id: int
    tier: int
    reason: ReasonCode
    justification: str
    requested_at: datetime


@dataclass(frozen=True)
class PendingApproval:
    """An approval request waiting for a lead's decision."""

    id: int
    kind: ApprovalKind
    amount_cents: int | None
    currency: str | None
    justification: str
    requested_by: str
    requested_at: datetime


@dataclass(frozen=True)
class OpenProposal:
    """A proposed resolution waiting for the customer's confirmation."""

    proposed_at: datetime
    next_reminder_at: datetime | None
    reminders_sent: int


@dataclass(frozen=True)
class WorkflowState:
    """A case's stage and tier, where it can go next, and what is waiting for an answer.

    ``allowed_next`` is every legal next stage; ``plain_moves`` the part of it that
    :func:`~core.workflow.transitions.change_stage` does (the rest need the action
    that collects what the step needs: escalate, request approval, propose,
    record the answer, close). Reopening a resolved case needs a reason.
    """

    case_id: int
    stage: Stage
    tier: int
    allowed_next: tuple[Stage, ...]
    open_escalation: OpenEscalation | None
    pending_approval: PendingApproval | None
    open_proposal: OpenProposal | None
    plain_moves: tuple[Stage, ...] = ()


def load_workflow_state(session: Session, case_id: int) -> WorkflowState:
    """The workflow state of case ``case_id``; raises ``CaseNotFoundError``."""
    case = load_case(session, case_id)
    stage = Stage(case.stage)
    episode = open_escalation(session, case_id)
    approval = pending_approval(session, case_id)
    proposal = open_proposal(session, case_id)
    requested_by = ""
    if approval is not None and approval.requested_by_id is not None:
        requested_by = (
            session.scalar(select(PersonRow.name).where(PersonRow.id == approval.requested_by_id)) or ""
        )
    return WorkflowState(
        case_id=case.id,
        stage=stage,
        tier=case.tier,
        allowed_next=allowed_next(stage),
        open_escalation=None
        if episode is None
        else OpenEscalation(
            id=episode.id,
            tier=episode.tier,
            reason=ReasonCode(episode.reason_code),
            justification=episode.justification,
            requested_at=episode.requested_at,
        ),
        pending_approval=None
        if approval is None
        else PendingApproval(
            id=approval.id,
            kind=ApprovalKind(approval.kind),
            amount_cents=approval.amount_cents,
            currency=approval.currency,
            justification=approval.justification,
            requested_by=requested_by,
            requested_at=approval.requested_at,
        ),
        open_proposal=None
        if proposal is None
        else OpenProposal(
            proposed_at=proposal.proposed_at,
            next_reminder_at=proposal.next_reminder_at,
            reminders_sent=proposal.reminders_sent,
        ),
        plain_moves=plain_moves(stage),
    )
