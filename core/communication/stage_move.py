"""Moving a case to another stage because of a message ("request information" → awaiting customer).

The move goes through the workflow (:mod:`core.workflow.stages` decides whether it is allowed,
:mod:`core.workflow.recording` writes it), so it is recorded like any stage change: the case's stage,
a row in ``stage_transitions`` (who, when, from, to, why), a field-change event on the timeline and an
outbox ``change_stage`` entry, all in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.communication.errors import StageMoveError
from core.db.models import CaseRow, PersonRow
from core.domain.enums import OutboxOperation, Stage
from core.workflow.recording import move_case, publish, stage_payload

MESSAGE_MOVE_REASON = "Requested information from the customer"


def move_case_for_message(
    session: Session, case: CaseRow, target: Stage, actor_id: int | None, now: datetime
) -> frozenset[int]:
    """Move ``case`` to ``target``; returns the ids of the outbox entries written (none if it is there).

    Raises :class:`core.workflow.errors.IllegalTransitionError` when the workflow does not allow the
    move, with a message that says where the case can go instead.
    """
    from_stage = Stage(case.stage)
    if from_stage is target:
        return frozenset()
    actor = session.get(PersonRow, actor_id) if actor_id is not None else None
    if actor is None:
        raise StageMoveError(
            "This workspace does not know who you are, so it cannot record who changed the stage. "
            "Send the message without the stage change."
        )
    event = move_case(session, case, actor, target, MESSAGE_MOVE_REASON, now)
    changes, _rows = publish(
        session,
        case,
        actor,
        OutboxOperation.CHANGE_STAGE,
        stage_payload(case, from_stage, MESSAGE_MOVE_REASON),
        [event],
        now,
    )
    return changes.outbox
