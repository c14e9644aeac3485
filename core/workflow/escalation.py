"""Escalating a case (the trigger step) and re-escalating it to a higher tier: a new episode and SLA cycle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.db.models import CaseRow, EscalationRow, TeamRow
from core.domain.changes import ChangeSet
from core.domain.enums import (
    ConfirmationAnswer,
    EventKind,
    OutboxOperation,
    ReasonCode,
    Stage,
    TransitionKind,
)
from core.outbox import JsonValue
from core.workflow.errors import ReadinessOverrideRequiredError, WorkflowError
from core.workflow.recording import (
    EventDraft,
    json_text,
    load_case,
    load_person,
    move_case,
    open_escalation,
    open_proposal,
    publish,
    required_text,
    stage_payload,
)
from core.workflow.stages import check_transition

REASON_NAMES: Mapping[ReasonCode, str] = {
    ReasonCode.RESOLUTION_TIME: "Resolution time",
    ReasonCode.TECHNICAL_EXPERTISE: "Technical expertise",
    ReasonCode.BUSINESS_IMPACT: "Business impact",
    ReasonCode.CUSTOMER_REQUEST: "Customer request",
    ReasonCode.KNOWN_DEFECT: "Known defect",
    ReasonCode.POLICY_EXCEPTION: "Policy exception",
}


@dataclass(frozen=True)
class EscalationRequest:
    """What the Escalate dialog sends: the target, the why, and what Handoff recommended and found.

    ``recommendation`` and ``readiness`` are kept as JSON for trend analysis;
    ``missing_readiness`` names the readiness items that are missing, which
    need an ``override_reason``.
    """

    case_id: int
    actor_id: int
    tier: int
    team_id: int | None
    reason_code: ReasonCode
    justification: str
    override_reason: str | None
    recommended_tier: int | None
    recommendation: Mapping[str, object] | None
    readiness: Mapping[str, object] | None
    missing_readiness: tuple[str, ...]


def escalate_case(session: Session, request: EscalationRequest, now: datetime) -> ChangeSet:
    """Escalate the case to ``request.tier`` and put it in ``requested`` for triage.

    From ``new`` this opens the first escalation episode. On an already
    escalated case it is a re-escalation: the tier must be higher, the previous
    episode is closed and a new one opened (a new SLA cycle); a resolution
    proposal still waiting for the customer counts as not fixed. The case goes to
    the requested team's queue, unassigned, for a lead to route.
    """
    case = load_case(session, request.case_id)
    actor = load_person(session, request.actor_id)
    from_stage = Stage(case.stage)
    check_transition(from_stage, Stage.REQUESTED)
    _check_tier(case, from_stage, request.tier)
    justification = required_text(
        request.justification, "Write a justification: it is the first thing the receiving team reads."
    )
    override = (request.override_reason or "").strip() or None
    if request.missing_readiness and override is None:
        raise ReadinessOverrideRequiredError(request.missing_readiness)
    team = _team(session, request.team_id)

    kind = TransitionKind.ESCALATED if from_stage is Stage.NEW else TransitionKind.RE_ESCALATED
    previous = open_escalation(session, case.id)
    if previous is not None:
        previous.closed_at = now
    proposal = open_proposal(session, case.id)
    if proposal is not None:
        # Escalating further while a fix is proposed means the fix did not do it.
        proposal.answer = ConfirmationAnswer.NOT_FIXED.value
        proposal.answered_at = now
    episode = EscalationRow(
        case_id=case.id,
        tier=request.tier,
        reason_code=request.reason_code.value,
        justification=justification,
        override_reason=override if request.missing_readiness else None,
        stage=Stage.REQUESTED.value,
        team_id=team.id if team is not None else case.team_id,
        requested_by_id=actor.id,
        requested_at=now,
        recommended_tier=request.recommended_tier,
        recommendation_json=json_text(request.recommendation),
        readiness_json=json_text(request.readiness),
    )
    session.add(episode)
    session.flush()
    from_tier = case.tier
    case.tier = request.tier
    if team is not None:
        case.team_id = team.id
    case.assignee_id = None

    reason_name = REASON_NAMES[request.reason_code]
    details: dict[str, JsonValue] = {
        "from_tier": from_tier,
        "tier": request.tier,
        "team_id": case.team_id,
        # The team's helpdesk group, when it has one (the connector then moves the ticket there).
        "team_remote_id": team.remote_id if team is not None else None,
        "reason_code": request.reason_code.value,
        "justification": justification,
        "recommended_tier": request.recommended_tier,
        "missing_readiness": list(request.missing_readiness),
        "override_reason": episode.override_reason,
        "previous_escalation_id": previous.id if previous is not None else None,
    }
    stage_event = move_case(
        session,
        case,
        actor,
        Stage.REQUESTED,
        reason_name,
        now,
        kind=kind,
        details=details,
        escalation=episode,
    )
    note = _escalation_note(kind, request, team, reason_name, justification, override)
    note_meta = {
        "step": kind.value,
        "escalation_id": episode.id,
        "tier": request.tier,
        "override_reason": override,
    }
    note_event = EventDraft(EventKind.INTERNAL_NOTE, note, note_meta)
    payload: dict[str, JsonValue] = {
        **stage_payload(case, from_stage, reason_name),
        **details,
        "kind": kind.value,
        "escalation_id": episode.id,
    }
    changes, _rows = publish(
        session, case, actor, OutboxOperation.ESCALATE, payload, [stage_event, note_event], now
    )
    return changes


def _check_tier(case: CaseRow, from_stage: Stage, tier: int) -> None:
    if tier > case.tier:
        return
    if from_stage is Stage.NEW:
        raise WorkflowError(
            f"This case is handled at tier {case.tier}; escalate it to tier {case.tier + 1} or higher."
        )
    raise WorkflowError(
        f"This case is already escalated to tier {case.tier}. A re-escalation needs a higher tier "
        f"({case.tier + 1} or above); to hand it to another team at the same tier, re-route it instead."
    )


def _team(session: Session, team_id: int | None) -> TeamRow | None:
    if team_id is None:
        return None
    team = session.get(TeamRow, team_id)
    if team is None:
        raise WorkflowError(f"There is no team with id {team_id} in this workspace; choose another team.")
    return team


def _escalation_note(
    kind: TransitionKind,
    request: EscalationRequest,
    team: TeamRow | None,
    reason_name: str,
    justification: str,
    override: str | None,
) -> str:
    verb = "Re-escalated" if kind is TransitionKind.RE_ESCALATED else "Escalated"
    target = f"tier {request.tier}" + (f" ({team.name})" if team is not None else "")
    lines = [f"{verb} to {target}. Reason: {reason_name}.", justification]
    if request.recommended_tier is not None and request.recommended_tier != request.tier:
        lines.append(f"Handoff recommended tier {request.recommended_tier}.")
    if request.missing_readiness:
        lines.append(
            f"Escalated without: {', '.join(request.missing_readiness)}. Override reason: {override}"
        )
    return "\n".join(lines)
