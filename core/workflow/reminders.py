"""The confirmation tracker: a proposed resolution waits for the customer, with a reminder cadence.

By default the customer is reminded 2 and 5 business days after the proposal,
then closing without an answer is suggested (the cadence lives in the
workspace configuration). :func:`track_confirmation` says where a waiting case
stands; :func:`send_confirmation_reminder` sends the next reminder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.domain.enums import EventKind, OutboxOperation, Stage
from core.outbox import JsonValue
from core.workflow.business_days import add_business_days
from core.workflow.errors import NothingToDecideError
from core.workflow.recording import EventDraft, load_case, load_person, open_proposal, publish, required_text


@dataclass(frozen=True)
class ConfirmationTracker:
    """Where a case waiting for the customer's confirmation stands."""

    waiting_since: datetime
    reminders_sent: int
    reminders_planned: int
    next_reminder_at: datetime | None
    reminder_due: bool
    close_suggested: bool


def track_confirmation(
    proposed_at: datetime,
    reminders_sent: int,
    cadence_business_days: Sequence[int],
    propose_auto_close: bool,
    now: datetime,
) -> ConfirmationTracker:
    """The tracker of a proposal made at ``proposed_at`` that has had ``reminders_sent`` reminders."""
    next_at = (
        add_business_days(proposed_at, cadence_business_days[reminders_sent])
        if reminders_sent < len(cadence_business_days)
        else None
    )
    return ConfirmationTracker(
        waiting_since=proposed_at,
        reminders_sent=reminders_sent,
        reminders_planned=len(cadence_business_days),
        next_reminder_at=next_at,
        reminder_due=next_at is not None and now >= next_at,
        close_suggested=propose_auto_close and next_at is None,
    )


def send_confirmation_reminder(
    session: Session,
    case_id: int,
    actor_id: int,
    message: str,
    now: datetime,
    cadence_business_days: Sequence[int],
) -> ChangeSet:
    """Remind the customer of the proposed resolution (a public reply) and schedule the next reminder."""
    case = load_case(session, case_id)
    actor = load_person(session, actor_id)
    proposal = open_proposal(session, case_id)
    if case.stage != Stage.RESOLUTION_PROPOSED.value or proposal is None:
        raise NothingToDecideError(
            "This case is not waiting for the customer's confirmation: there is nobody to remind."
        )
    text = required_text(message, "Write the reminder to the customer.")
    payload: dict[str, JsonValue] = {"body": text, "reminder": proposal.reminders_sent + 1}
    changes, _rows = publish(
        session,
        case,
        actor,
        OutboxOperation.ADD_PUBLIC_REPLY,
        payload,
        [EventDraft(EventKind.AGENT_REPLY, text)],
        now,
    )
    proposal.reminders_sent += 1
    proposal.next_reminder_at = track_confirmation(
        proposal.proposed_at, proposal.reminders_sent, cadence_business_days, False, now
    ).next_reminder_at
    session.flush()
    return changes
