"""Writing one workflow step: the audited stage change, the timeline events and the outbox entry.

Every use case of the workflow validates first and then writes through these
helpers, so a refused action writes nothing and an accepted one writes the
new state, its audit trail, its timeline events and exactly one outbox entry
in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import (
    CaseRow,
    EscalationRow,
    PersonRow,
    ResolutionProposalRow,
    StageTransitionRow,
    TimelineEventRow,
)
from core.domain.changes import ChangeSet
from core.domain.enums import DEFAULT_VISIBILITY, EventKind, OutboxOperation, Stage, TransitionKind
from core.outbox import JsonValue, enqueue
from core.queries.case_detail import CaseNotFoundError
from core.workflow.errors import WorkflowError
from core.workflow.stages import check_transition, stage_name

EventMeta = Mapping[str, str | int | bool | None]


@dataclass(frozen=True)
class EventDraft:
    """A timeline event a step will add (written once the step's outbox entry exists).

    ``meta`` holds flat values only (the timeline shows them as texts); workflow
    notes name their ``step`` there, so views can tell them apart.
    """

    kind: EventKind
    body: str
    meta: EventMeta = field(default_factory=dict)


def load_case(session: Session, case_id: int) -> CaseRow:
    """The case ``case_id``; raises :class:`CaseNotFoundError`."""
    case = session.get(CaseRow, case_id)
    if case is None:
        raise CaseNotFoundError(f"There is no case with id {case_id} in this workspace.")
    return case


def load_person(session: Session, person_id: int) -> PersonRow:
    """The person ``person_id``; raises :class:`WorkflowError` when nobody has that id."""
    person = session.get(PersonRow, person_id)
    if person is None:
        raise WorkflowError(f"There is no person with id {person_id} in this workspace.")
    return person


def open_escalation(session: Session, case_id: int) -> EscalationRow | None:
    """The case's current escalation episode (not closed), if any."""
    return session.scalar(
        select(EscalationRow)
        .where(EscalationRow.case_id == case_id, EscalationRow.closed_at.is_(None))
        .order_by(EscalationRow.requested_at.desc(), EscalationRow.id.desc())
        .limit(1)
    )


def open_proposal(session: Session, case_id: int) -> ResolutionProposalRow | None:
    """The case's latest resolution proposal still waiting for the customer's answer, if any."""
    return session.scalar(
        select(ResolutionProposalRow)
        .where(ResolutionProposalRow.case_id == case_id, ResolutionProposalRow.answer.is_(None))
        .order_by(ResolutionProposalRow.proposed_at.desc(), ResolutionProposalRow.id.desc())
        .limit(1)
    )


def required_text(value: str, message: str) -> str:
    """``value`` stripped; raises :class:`WorkflowError` with ``message`` when it is blank."""
    stripped = value.strip()
    if not stripped:
        raise WorkflowError(message)
    return stripped


def move_case(
    session: Session,
    case: CaseRow,
    actor: PersonRow,
    to_stage: Stage,
    reason: str,
    now: datetime,
    *,
    kind: TransitionKind = TransitionKind.NORMAL,
    details: Mapping[str, JsonValue] | None = None,
    escalation: EscalationRow | None = None,
) -> EventDraft:
    """Move ``case`` to ``to_stage`` and record who, when, from, to, why; returns its timeline event.

    ``escalation`` is the episode the transition belongs to (default: the open one),
    whose stage follows the case's.
    """
    from_stage = Stage(case.stage)
    check_transition(from_stage, to_stage)
    episode = escalation if escalation is not None else open_escalation(session, case.id)
    session.add(
        StageTransitionRow(
            case_id=case.id,
            escalation_id=episode.id if episode is not None else None,
            from_stage=from_stage.value,
            to_stage=to_stage.value,
            actor_id=actor.id,
            at=now,
            reason=reason,
            kind=kind.value,
            details_json=json_text(details),
        )
    )
    case.stage = to_stage.value
    case.updated_at = now
    if episode is not None:
        episode.stage = to_stage.value
    body = f"Stage changed from {stage_name(from_stage)} to {stage_name(to_stage)}"
    body += f": {reason}" if reason else "."
    return EventDraft(
        EventKind.FIELD_CHANGE,
        body,
        {
            "field": "stage",
            "from": from_stage.value,
            "to": to_stage.value,
            "reason": reason,
            "kind": kind.value,
        },
    )


def publish(
    session: Session,
    case: CaseRow,
    actor: PersonRow,
    operation: OutboxOperation,
    payload: Mapping[str, JsonValue],
    events: Sequence[EventDraft],
    now: datetime,
) -> tuple[ChangeSet, list[TimelineEventRow]]:
    """Enqueue the step's one outbox entry and add its timeline events, each linked to that entry."""
    case.updated_at = now
    entry = enqueue(session, case, operation, payload, now)
    rows = [
        TimelineEventRow(
            case_id=case.id,
            kind=event.kind.value,
            visibility=DEFAULT_VISIBILITY[event.kind].value,
            occurred_at=now,
            author_name=actor.name,
            author_person_id=actor.id,
            body_text=event.body,
            meta_json=json_text(event.meta),
            outbox_id=entry.id,
        )
        for event in events
    ]
    session.add_all(rows)
    session.flush()
    return ChangeSet(cases=frozenset({case.id}), outbox=frozenset({entry.id})), rows


def json_text(value: Mapping[str, object] | None) -> str | None:
    """``value`` as stored JSON text (None when empty); values JSON lacks are stored as text."""
    if not value:
        return None
    return json.dumps(dict(value), sort_keys=True, ensure_ascii=False, default=str)


def stage_payload(case: CaseRow, from_stage: Stage, reason: str) -> dict[str, JsonValue]:
    """The outbox payload fields every stage-changing step sends (connectors map them to remote fields)."""
    return {"from_stage": from_stage.value, "stage": case.stage, "tier": case.tier, "reason": reason}
