"""A stage the helpdesk (or a resolved conflict) set: the audit trail of it, without a local actor."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.db.models import CaseRow, StageTransitionRow
from core.domain.enums import DONE_STAGES, Stage, TransitionKind
from core.workflow.recording import open_escalation


def record_remote_stage(
    session: Session, case: CaseRow, before: Stage, after: Stage, reason: str, now: datetime
) -> None:
    """Record the move ``before`` → ``after`` (the case's stage is set by the caller) and keep the
    open escalation, ``resolved_at`` and the reopen count in step."""
    escalation = open_escalation(session, case.id)
    if escalation is not None:
        escalation.stage = after.value
    session.add(
        StageTransitionRow(
            case_id=case.id,
            escalation_id=escalation.id if escalation is not None else None,
            from_stage=before.value,
            to_stage=after.value,
            actor_id=None,
            at=now,
            reason=reason,
            kind=TransitionKind.NORMAL.value,
        )
    )
    if after in DONE_STAGES and case.resolved_at is None:
        case.resolved_at = now
    elif after not in DONE_STAGES and before in DONE_STAGES:
        case.resolved_at = None
        case.reopen_count += 1
