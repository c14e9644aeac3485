"""Approval requests: a specialist asks management to authorize a credit, an exception or a priority."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import ApprovalRow
from core.domain.changes import ChangeSet
from core.domain.enums import ApprovalDecision, ApprovalKind, EventKind, OutboxOperation, PersonRole, Stage
from core.outbox import JsonValue
from core.workflow.errors import NotALeadError, NothingToDecideError, WorkflowError
from core.workflow.recording import EventDraft, load_case, load_person, move_case, publish, required_text
from core.workflow.stages import check_transition

APPROVAL_KIND_NAMES: Mapping[ApprovalKind, str] = {
    ApprovalKind.CREDIT_REFUND: "Credit/refund",
    ApprovalKind.POLICY_EXCEPTION: "Policy exception",
    ApprovalKind.ENGINEERING_PRIORITY: "Engineering priority",
}
DECIDING_ROLES: frozenset[PersonRole] = frozenset({PersonRole.LEAD, PersonRole.MANAGER})
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class ApprovalRequest:
    """What a specialist asks for; a credit or refund carries a positive amount in a currency."""

    case_id: int
    actor_id: int
    kind: ApprovalKind
    amount_cents: int | None
    currency: str | None
    justification: str


def request_approval(session: Session, request: ApprovalRequest, now: datetime) -> ChangeSet:
    """Ask for management authorization; the case waits in ``awaiting_approval`` for a lead's decision."""
    case = load_case(session, request.case_id)
    actor = load_person(session, request.actor_id)
    from_stage = Stage(case.stage)
    check_transition(from_stage, Stage.AWAITING_APPROVAL)
    pending = pending_approval(session, case.id)
    if pending is not None:
        raise WorkflowError(
            f"Approval request #{pending.id} on this case is still waiting for a decision; "
            "a lead has to approve or deny it before another one is requested."
        )
    currency = _validated_amount(request)
    justification = required_text(request.justification, "Write a justification: the lead decides on it.")
    approval = ApprovalRow(
        case_id=case.id,
        kind=request.kind.value,
        amount_cents=request.amount_cents,
        currency=currency,
        justification=justification,
        requested_by_id=actor.id,
        requested_at=now,
        decision=ApprovalDecision.PENDING.value,
    )
    session.add(approval)
    session.flush()
    what = describe_request(request.kind, request.amount_cents, currency)
    reason = f"Approval requested: {what}"
    details: dict[str, JsonValue] = {
        "approval_id": approval.id,
        "approval_kind": request.kind.value,
        "amount_cents": request.amount_cents,
        "currency": currency,
        "justification": justification,
    }
    stage_event = move_case(session, case, actor, Stage.AWAITING_APPROVAL, reason, now, details=details)
    note = EventDraft(
        EventKind.INTERNAL_NOTE,
        f"{reason}\n{justification}",
        {"step": "approval_requested", "approval_id": approval.id, "approval_kind": request.kind.value},
    )
    payload: dict[str, JsonValue] = {"from_stage": from_stage.value, "stage": case.stage, **details}
    changes, _rows = publish(
        session, case, actor, OutboxOperation.REQUEST_APPROVAL, payload, [stage_event, note], now
    )
    return changes


def decide_approval(
    session: Session, approval_id: int, actor_id: int, approve: bool, comment: str, now: datetime
) -> ChangeSet:
    """A lead or manager approves or denies a pending request; the case goes back to investigating.

    A denial needs a comment (the specialist has to know why). If the case has
    already left ``awaiting_approval``, only the decision is recorded.
    """
    approval = session.get(ApprovalRow, approval_id)
    if approval is None:
        raise NothingToDecideError(f"There is no approval request #{approval_id} in this workspace.")
    actor = load_person(session, actor_id)
    if actor.role not in DECIDING_ROLES:
        raise NotALeadError(
            f"Only a lead or a manager can approve or deny a request; {actor.name} is a {actor.role}. "
            "Ask your team lead to decide it."
        )
    if approval.decision != ApprovalDecision.PENDING.value:
        raise NothingToDecideError(
            f"Approval request #{approval.id} was already {approval.decision}; "
            "there is nothing left to decide."
        )
    comment = comment.strip()
    if not approve and not comment:
        raise WorkflowError("Write why the request is denied: the specialist needs it to continue.")
    case = load_case(session, approval.case_id)
    decision = ApprovalDecision.APPROVED if approve else ApprovalDecision.DENIED
    approval.decision = decision.value
    approval.decided_by_id = actor.id
    approval.decided_at = now
    approval.decision_comment = comment or None

    what = describe_request(ApprovalKind(approval.kind), approval.amount_cents, approval.currency)
    reason = f"{decision.value.capitalize()} by {actor.name}: {what}"
    details: dict[str, str | int] = {
        "approval_id": approval.id,
        "decision": decision.value,
        "comment": comment,
    }
    body = reason + (f"\n{comment}" if comment else "")
    events = [EventDraft(EventKind.INTERNAL_NOTE, body, {"step": "approval_decided", **details})]
    from_stage = Stage(case.stage)
    if from_stage is Stage.AWAITING_APPROVAL:
        events.insert(0, move_case(session, case, actor, Stage.INVESTIGATING, reason, now, details=details))
    payload: dict[str, JsonValue] = {"from_stage": from_stage.value, "stage": case.stage, **details}
    changes, _rows = publish(session, case, actor, OutboxOperation.DECIDE_APPROVAL, payload, events, now)
    return changes


def pending_approval(session: Session, case_id: int) -> ApprovalRow | None:
    """The case's approval request still waiting for a decision, if any."""
    return session.scalar(
        select(ApprovalRow)
        .where(ApprovalRow.case_id == case_id, ApprovalRow.decision == ApprovalDecision.PENDING.value)
        .order_by(ApprovalRow.requested_at.desc(), ApprovalRow.id.desc())
        .limit(1)
    )


def describe_request(kind: ApprovalKind, amount_cents: int | None, currency: str | None) -> str:
    """The request in words ("Credit/refund of 120.00 EUR")."""
    name = APPROVAL_KIND_NAMES[kind]
    if amount_cents is None:
        return name
    return f"{name} of {amount_cents // 100}.{amount_cents % 100:02d} {currency or ''}".rstrip()


def _validated_amount(request: ApprovalRequest) -> str | None:
    """The request's currency, upper-cased; raises when the amount does not fit the kind."""
    currency = (request.currency or "").strip().upper() or None
    if request.kind is ApprovalKind.CREDIT_REFUND:
        if request.amount_cents is None or request.amount_cents <= 0:
            raise WorkflowError("A credit or refund needs a positive amount.")
        if currency is None or not _CURRENCY.fullmatch(currency):
            raise WorkflowError("A credit or refund needs a three-letter currency code, such as EUR or USD.")
        return currency
    if request.amount_cents is not None:
        raise WorkflowError("Only a credit or refund has an amount: remove it, or choose Credit/refund.")
    return currency
