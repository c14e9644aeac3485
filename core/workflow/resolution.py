"""Proposing a resolution to the customer and recording their answer (confirmed, or not fixed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from core.db.models import ResolutionProposalRow
from core.domain.changes import ChangeSet
from core.domain.enums import ConfirmationAnswer, EventKind, OutboxOperation, Stage
from core.outbox import JsonValue
from core.workflow.business_days import add_business_days
from core.workflow.errors import NothingToDecideError, WorkflowError
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
from core.workflow.stages import check_transition, stage_name
from core.workflow.transitions import return_to_investigation

DEFAULT_REMINDER_BUSINESS_DAYS: tuple[int, ...] = (2, 5)


def propose_resolution(
    session: Session,
    case_id: int,
    actor_id: int,
    message: str,
    now: datetime,
    reminder_business_days: Sequence[int] = DEFAULT_REMINDER_BUSINESS_DAYS,
) -> ChangeSet:
    """Send the customer the explanation of the fix and wait for their confirmation.

    The message becomes a public reply in the timeline, delivered by the
    step's outbox entry; the first reminder falls ``reminder_business_days[0]``
    business days from now (the later ones follow the same cadence).
    """
    case = load_case(session, case_id)
    actor = load_person(session, actor_id)
    from_stage = Stage(case.stage)
    check_transition(from_stage, Stage.RESOLUTION_PROPOSED)
    text = required_text(message, "Write the message to the customer: it explains the fix and what to do.")
    next_reminder_at = _first_reminder(now, reminder_business_days)
    reason = "Resolution proposed to the customer."
    stage_event = move_case(session, case, actor, Stage.RESOLUTION_PROPOSED, reason, now)
    reply = EventDraft(EventKind.AGENT_REPLY, text)
    payload: dict[str, JsonValue] = {**stage_payload(case, from_stage, reason), "body": text}
    changes, rows = publish(
        session, case, actor, OutboxOperation.PROPOSE_RESOLUTION, payload, [reply, stage_event], now
    )
    session.add(
        ResolutionProposalRow(
            case_id=case.id,
            event_id=rows[0].id,
            proposed_by_id=actor.id,
            proposed_at=now,
            reminders_sent=0,
            next_reminder_at=next_reminder_at,
        )
    )
    session.flush()
    return changes


def record_confirmation(
    session: Session,
    case_id: int,
    actor_id: int,
    answer: ConfirmationAnswer,
    feedback: str,
    guidance: str,
    now: datetime,
) -> ChangeSet:
    """Record the customer's answer to the proposed resolution.

    Confirmed: the case is resolved. Not fixed: it returns to investigating
    with the customer's feedback and the guidance (see
    :func:`~core.workflow.transitions.return_to_investigation`).
    """
    case = load_case(session, case_id)
    from_stage = Stage(case.stage)
    if from_stage is not Stage.RESOLUTION_PROPOSED:
        raise NothingToDecideError(
            f"This case is in {stage_name(from_stage)}: no proposed resolution is waiting for the "
            "customer's answer. Propose a resolution first."
        )
    if answer is ConfirmationAnswer.NOT_FIXED:
        return return_to_investigation(session, case_id, actor_id, feedback, guidance, now)
    actor = load_person(session, actor_id)
    check_transition(from_stage, Stage.RESOLVED)
    feedback = feedback.strip()
    proposal = open_proposal(session, case.id)
    if proposal is not None:
        proposal.answer = ConfirmationAnswer.CONFIRMED.value
        proposal.answered_at = now
        proposal.customer_feedback = feedback or None
    reason = "The customer confirmed the resolution."
    stage_event = move_case(session, case, actor, Stage.RESOLVED, reason, now)
    case.resolved_at = now
    note = reason + (f"\nCustomer feedback: {feedback}" if feedback else "")
    events = [
        stage_event,
        EventDraft(
            EventKind.INTERNAL_NOTE, note, {"step": "resolution_confirmed", "customer_feedback": feedback}
        ),
    ]
    payload: dict[str, JsonValue] = {**stage_payload(case, from_stage, reason), "customer_feedback": feedback}
    changes, _rows = publish(session, case, actor, OutboxOperation.CHANGE_STAGE, payload, events, now)
    return changes


def _first_reminder(now: datetime, cadence: Sequence[int]) -> datetime | None:
    if any(days <= 0 for days in cadence) or list(cadence) != sorted(set(cadence)):
        raise WorkflowError(
            "Reminder days must be positive and increasing, such as 2 and 5; check the reminder cadence "
            "in Settings."
        )
    return add_business_days(now, cadence[0]) if cadence else None
