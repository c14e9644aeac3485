"""Every Stage × Stage pair through the real use cases: legal ones done and audited, illegal ones refused."""

from __future__ import annotations

import itertools
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, OutboxRow, StageTransitionRow
from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.domain.enums import ApprovalKind, ConfirmationAnswer, ReasonCode, Stage, TransitionKind
from core.queries.case_detail import load_case
from core.workflow.approvals import ApprovalRequest, request_approval
from core.workflow.closure import ClosureForm, close_case
from core.workflow.errors import IllegalTransitionError, WorkflowError
from core.workflow.escalation import EscalationRequest, escalate_case
from core.workflow.resolution import propose_resolution, record_confirmation
from core.workflow.stages import ALLOWED_TRANSITIONS, allowed_next, stage_name
from core.workflow.transitions import change_stage, return_to_investigation
from tests.core.workflow.builders import NOW, TAXONOMY, Org, place_case, written

REASON = "Checked with the customer on the phone."


def perform(session: Session, case_id: int, to_stage: Stage, actor_id: int) -> ChangeSet:
    """Ask for ``to_stage`` the way the UI does: through the use case that owns that step."""
    case = session.get(CaseRow, case_id)
    assert case is not None
    from_stage = Stage(case.stage)
    if to_stage is Stage.REQUESTED:
        request = EscalationRequest(
            case_id=case_id,
            actor_id=actor_id,
            tier=case.tier + 1,
            team_id=None,
            reason_code=ReasonCode.TECHNICAL_EXPERTISE,
            justification=REASON,
            override_reason=None,
            recommended_tier=None,
            recommendation=None,
            readiness=None,
            missing_readiness=(),
        )
        return escalate_case(session, request, NOW)
    if to_stage is Stage.AWAITING_APPROVAL:
        approval = ApprovalRequest(case_id, actor_id, ApprovalKind.POLICY_EXCEPTION, None, None, REASON)
        return request_approval(session, approval, NOW)
    if to_stage is Stage.RESOLUTION_PROPOSED:
        return propose_resolution(session, case_id, actor_id, REASON, NOW)
    if to_stage is Stage.CLOSED:
        form = ClosureForm(case_id, actor_id, REASON, TAXONOMY[0], REASON, (), None, None, True)
        return close_case(session, form, TAXONOMY, NOW)
    if from_stage is Stage.RESOLUTION_PROPOSED and to_stage is Stage.RESOLVED:
        return record_confirmation(session, case_id, actor_id, ConfirmationAnswer.CONFIRMED, REASON, "", NOW)
    if from_stage is Stage.RESOLUTION_PROPOSED and to_stage is Stage.INVESTIGATING:
        return return_to_investigation(session, case_id, actor_id, REASON, REASON, NOW)
    return change_stage(session, case_id, to_stage, actor_id, REASON, NOW)


def expected_kind(from_stage: Stage, to_stage: Stage) -> TransitionKind:
    """How a legal transition is recorded."""
    if from_stage is Stage.NEW:
        return TransitionKind.ESCALATED
    if to_stage is Stage.REQUESTED:
        return TransitionKind.RE_ESCALATED
    if from_stage is Stage.RESOLUTION_PROPOSED and to_stage is Stage.INVESTIGATING:
        return TransitionKind.RETURNED
    return TransitionKind.NORMAL


@pytest.mark.parametrize(("from_stage", "to_stage"), list(itertools.product(Stage, Stage)))
def test_every_stage_pair(db: DbRunner, org: Org, from_stage: Stage, to_stage: Stage) -> None:
    case_id = db.write(lambda session: place_case(session, from_stage).id).result()
    future = db.write(perform, case_id, to_stage, org.specialist)

    if to_stage not in ALLOWED_TRANSITIONS[from_stage]:
        with pytest.raises(IllegalTransitionError) as refused:
            future.result()
        for allowed in allowed_next(from_stage):
            assert stage_name(allowed) in str(refused.value)
        assert db.read(lambda session: session.get(CaseRow, case_id).stage).result() == from_stage.value
        assert db.read(written, case_id).result().outbox == 0
        assert db.read(written, case_id).result().transitions == 0
        return

    changes = future.result()

    def recorded(session: Session) -> tuple[str, list[tuple[object, ...]], list[int]]:
        case = session.get(CaseRow, case_id)
        assert case is not None
        transitions = [
            (row.from_stage, row.to_stage, row.actor_id, row.at, row.reason, row.kind)
            for row in session.scalars(
                select(StageTransitionRow).where(StageTransitionRow.case_id == case_id)
            )
        ]
        outbox = list(session.scalars(select(OutboxRow.id).where(OutboxRow.case_id == case_id)))
        return case.stage, transitions, outbox

    stage, transitions, outbox = db.read(recorded).result()
    assert stage == to_stage.value
    assert len(transitions) == 1
    from_value, to_value, actor_id, at, reason, kind = transitions[0]
    assert (from_value, to_value) == (from_stage.value, to_stage.value)
    assert actor_id == org.specialist
    assert at == NOW
    assert reason
    assert changes.outbox == set(outbox)
    assert len(outbox) == 1
    assert changes.cases == {case_id}
    assert kind == expected_kind(from_stage, to_stage).value


@pytest.mark.parametrize(
    ("from_stage", "to_stage", "action"),
    [
        (Stage.INVESTIGATING, Stage.REQUESTED, "Escalate"),
        (Stage.INVESTIGATING, Stage.AWAITING_APPROVAL, "Request approval"),
        (Stage.INVESTIGATING, Stage.RESOLUTION_PROPOSED, "Propose resolution"),
        (Stage.RESOLVED, Stage.CLOSED, "Close case"),
        (Stage.RESOLUTION_PROPOSED, Stage.RESOLVED, "Record the customer's answer"),
        (Stage.RESOLUTION_PROPOSED, Stage.INVESTIGATING, "Record the customer's answer"),
    ],
)
def test_a_plain_stage_change_points_to_the_action_that_collects_what_the_step_needs(
    db: DbRunner, org: Org, from_stage: Stage, to_stage: Stage, action: str
) -> None:
    case_id = db.write(lambda session: place_case(session, from_stage).id).result()

    with pytest.raises(WorkflowError, match=f"use {action}"):
        db.write(change_stage, case_id, to_stage, org.specialist, REASON, NOW).result()
    assert db.read(written, case_id).result().outbox == 0


def test_reopening_a_resolved_case_needs_a_reason_and_counts_the_reopen(db: DbRunner, org: Org) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.RESOLVED).id).result()

    with pytest.raises(WorkflowError, match="Say why the case is reopened"):
        db.write(change_stage, case_id, Stage.INVESTIGATING, org.specialist, "  ", NOW).result()
    db.write(
        change_stage, case_id, Stage.INVESTIGATING, org.specialist, "The export fails again.", NOW
    ).result()

    def reopened(session: Session) -> tuple[int, object, str | None]:
        case = session.get(CaseRow, case_id)
        assert case is not None
        transition = session.scalars(select(StageTransitionRow)).one()
        return case.reopen_count, case.resolved_at, transition.details_json

    reopen_count, resolved_at, details = db.read(reopened).result()
    assert reopen_count == 1
    assert resolved_at is None
    assert json.loads(details or "{}") == {"reopened": True}


def test_a_stage_change_shows_in_the_timeline_from_its_author(db: DbRunner, org: Org) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.TRIAGED).id).result()
    db.write(change_stage, case_id, Stage.INVESTIGATING, org.specialist, "Picked up by Priya.", NOW).result()

    detail = db.read(load_case, case_id).result()
    event = detail.timeline[-1]
    assert event.author_name == "Priya Raman"
    assert event.occurred_at == NOW
    assert event.meta["field"] == "stage"
    assert (event.meta["from"], event.meta["to"]) == ("triaged", "investigating")
    assert "Picked up by Priya." in event.body_text
    assert detail.header.stage is Stage.INVESTIGATING
    assert detail.header.updated_at == NOW
