"""Moving a case between stages: the generic stage change, reopening, and returning a resolution."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.domain.enums import ConfirmationAnswer, EventKind, OutboxOperation, Stage, TransitionKind
from core.workflow.errors import WorkflowError
from core.workflow.recording import (
    EventDraft,
    load_case,
    load_person,
    move_case,
    open_proposal,
    publish,
    required_text,
    stage_payload,
)
from core.workflow.stages import allowed_next, check_transition, stage_name

# Transitions that carry more than a reason, and the action that collects it.
_DEDICATED_TARGETS: dict[Stage, str] = {
    Stage.REQUESTED: "Escalate: it needs a higher tier and a justification",
    Stage.AWAITING_APPROVAL: "Request approval: it needs a justification for the lead",
    Stage.RESOLUTION_PROPOSED: "Propose resolution: it sends the customer the explanation of the fix",
    Stage.CLOSED: "Close case: it needs a resolution summary and a root cause",
}
_ANSWER_ACTION = "Record the customer's answer: confirmed, or not fixed with their feedback"


def plain_moves(stage: Stage) -> tuple[Stage, ...]:
    """The stages :func:`change_stage` takes a case in ``stage`` to (the others need their own action)."""
    return tuple(target for target in allowed_next(stage) if _dedicated_action(stage, target) is None)


def _dedicated_action(from_stage: Stage, to_stage: Stage) -> str | None:
    if from_stage is Stage.RESOLUTION_PROPOSED:
        return _ANSWER_ACTION
    return _DEDICATED_TARGETS.get(to_stage)


def change_stage(
    session: Session, case_id: int, to_stage: Stage, actor_id: int, reason: str, now: datetime
) -> ChangeSet:
    """Move the case to ``to_stage`` (a legal transition that needs nothing but a reason).

    Reopening a resolved case needs a reason; it counts the reopen and clears
    the resolution time. Transitions that need more (escalating, requesting an
    approval, proposing, answering a proposal, closing) are refused here with
    the name of the action that does them.
    """
    case = load_case(session, case_id)
    actor = load_person(session, actor_id)
    from_stage = Stage(case.stage)
    check_transition(from_stage, to_stage)
    action = _dedicated_action(from_stage, to_stage)
    if action is not None:
        raise WorkflowError(f"To move a case to {stage_name(to_stage)}, use {action}.")
    reopening = from_stage is Stage.RESOLVED
    reason = reason.strip()
    if reopening:
        reason = required_text(reason, "Say why the case is reopened: the specialist will read it first.")
        case.reopen_count += 1
        case.resolved_at = None
    event = move_case(
        session, case, actor, to_stage, reason, now, details={"reopened": True} if reopening else None
    )
    payload = stage_payload(case, from_stage, reason)
    changes, _rows = publish(session, case, actor, OutboxOperation.CHANGE_STAGE, payload, [event], now)
    return changes


def return_to_investigation(
    session: Session, case_id: int, actor_id: int, customer_feedback: str, guidance: str, now: datetime
) -> ChangeSet:
    """The proposed fix did not work: back to investigating, with the customer's feedback and guidance.

    The open resolution proposal is answered *not fixed*; the transition is
    recorded as *returned* with the feedback and the guidance in its details.
    """
    case = load_case(session, case_id)
    actor = load_person(session, actor_id)
    from_stage = Stage(case.stage)
    if from_stage is not Stage.RESOLUTION_PROPOSED:
        raise WorkflowError(
            f"Only a case in {stage_name(Stage.RESOLUTION_PROPOSED)} can be returned to investigation; "
            f"this one is in {stage_name(from_stage)}."
        )
    check_transition(from_stage, Stage.INVESTIGATING)
    feedback = required_text(
        customer_feedback, "Write what the customer reported: the specialist needs it to continue."
    )
    guidance = guidance.strip()
    proposal = open_proposal(session, case.id)
    if proposal is not None:
        proposal.answer = ConfirmationAnswer.NOT_FIXED.value
        proposal.answered_at = now
        proposal.customer_feedback = feedback
    reason = "The customer reports the proposed resolution did not fix the problem."
    details = {"customer_feedback": feedback, "guidance": guidance}
    stage_event = move_case(
        session, case, actor, Stage.INVESTIGATING, reason, now, kind=TransitionKind.RETURNED, details=details
    )
    note = f"Returned to investigation.\nCustomer feedback: {feedback}"
    if guidance:
        note += f"\nGuidance: {guidance}"
    events = [stage_event, EventDraft(EventKind.INTERNAL_NOTE, note, {"step": "returned", **details})]
    payload = {**stage_payload(case, from_stage, reason), "kind": TransitionKind.RETURNED.value, "note": note}
    changes, _rows = publish(session, case, actor, OutboxOperation.CHANGE_STAGE, payload, events, now)
    return changes
