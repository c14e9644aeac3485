"""Escalating a case: readiness overrides, the recorded recommendation, and re-escalation episodes."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, EscalationRow, StageTransitionRow
from core.db.runner import DbRunner
from core.domain.enums import EventKind, ReasonCode, Stage
from core.outbox import pending_entries
from core.queries.case_detail import load_case
from core.workflow.errors import ReadinessOverrideRequiredError, WorkflowError
from core.workflow.escalation import EscalationRequest, escalate_case
from core.workflow.state import load_workflow_state
from tests.core.workflow.builders import NOTHING_WRITTEN, NOW, Org, place_case, written

MISSING = ("Logs attached", "Steps to reproduce")


def a_request(case_id: int, org: Org, **changes: object) -> EscalationRequest:
    request = EscalationRequest(
        case_id=case_id,
        actor_id=org.specialist,
        tier=2,
        team_id=org.sso_team,
        reason_code=ReasonCode.TECHNICAL_EXPERTISE,
        justification="SAML assertions fail after the IdP rotated its certificate.",
        override_reason=None,
        recommended_tier=2,
        recommendation={"tier": 2, "signals": [{"name": "customer asked to escalate", "weight": 3}]},
        readiness={"product version": {"present": True, "event_id": 7}},
        missing_readiness=(),
    )
    return replace(request, **changes)  # type: ignore[arg-type]


@pytest.fixture
def new_case(db: DbRunner) -> int:
    return db.write(lambda session: place_case(session, Stage.NEW).id).result()


def test_escalating_a_new_case_opens_an_episode_and_queues_it_for_triage(
    db: DbRunner, org: Org, new_case: int
) -> None:
    changes = db.write(escalate_case, a_request(new_case, org), NOW).result()

    state = db.read(load_workflow_state, new_case).result()
    assert state.stage is Stage.REQUESTED
    assert state.tier == 2
    assert state.open_escalation is not None
    assert (state.open_escalation.tier, state.open_escalation.reason) == (2, ReasonCode.TECHNICAL_EXPERTISE)
    detail = db.read(load_case, new_case).result()
    assert detail.header.team_name == "Identity & SSO"
    assert detail.header.assignee_name == ""
    note = detail.timeline[-1]
    assert note.kind is EventKind.INTERNAL_NOTE
    assert note.body_text.startswith("Escalated to tier 2 (Identity & SSO). Reason: Technical expertise.")
    assert "SAML assertions fail" in note.body_text
    assert note.meta["step"] == "escalated"
    [entry] = db.read(pending_entries, new_case).result()
    assert changes.outbox == {entry.id}
    assert entry.payload["tier"] == 2
    assert entry.payload["stage"] == "requested"

    def stored(session: Session) -> tuple[str | None, str | None, int | None]:
        episode = session.scalars(select(EscalationRow)).one()
        return episode.recommendation_json, episode.readiness_json, episode.recommended_tier

    recommendation, readiness, recommended_tier = db.read(stored).result()
    assert json.loads(recommendation or "")["signals"][0]["name"] == "customer asked to escalate"
    assert json.loads(readiness or "") == {"product version": {"event_id": 7, "present": True}}
    assert recommended_tier == 2


def test_missing_readiness_without_an_override_reason_is_refused_naming_every_item(
    db: DbRunner, org: Org, new_case: int
) -> None:
    request = a_request(new_case, org, missing_readiness=MISSING, override_reason="   ")

    with pytest.raises(ReadinessOverrideRequiredError) as refused:
        db.write(escalate_case, request, NOW).result()

    assert refused.value.missing == MISSING
    assert "Logs attached, Steps to reproduce" in str(refused.value)
    assert "give a reason" in str(refused.value)
    assert db.read(written, new_case).result() == NOTHING_WRITTEN
    assert db.read(load_workflow_state, new_case).result().stage is Stage.NEW


def test_an_override_reason_is_recorded_with_the_missing_items(db: DbRunner, org: Org, new_case: int) -> None:
    reason = "Customer is down in production; logs follow within the hour."
    request = a_request(new_case, org, missing_readiness=MISSING, override_reason=reason)

    db.write(escalate_case, request, NOW).result()

    detail = db.read(load_case, new_case).result()
    assert detail.escalations[-1].override_reason == reason
    assert f"Escalated without: Logs attached, Steps to reproduce. Override reason: {reason}" in (
        detail.timeline[-1].body_text
    )

    def transition_details(session: Session) -> dict[str, object]:
        row = session.scalars(select(StageTransitionRow)).one()
        return dict(json.loads(row.details_json or "{}"))

    details = db.read(transition_details).result()
    assert details["missing_readiness"] == list(MISSING)
    assert details["override_reason"] == reason


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tier": 1}, "escalate it to tier 2 or higher"),
        ({"justification": "  "}, "Write a justification"),
        ({"team_id": 999}, "There is no team with id 999"),
    ],
)
def test_an_invalid_escalation_says_what_to_fix_and_writes_nothing(
    db: DbRunner, org: Org, new_case: int, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(WorkflowError, match=message):
        db.write(escalate_case, a_request(new_case, org, **changes), NOW).result()
    assert db.read(written, new_case).result() == NOTHING_WRITTEN


def test_re_escalation_to_a_higher_tier_closes_the_episode_and_opens_a_new_cycle(
    db: DbRunner, org: Org
) -> None:
    case_id = db.write(
        lambda session: place_case(session, Stage.INVESTIGATING, team_id=org.sso_team).id
    ).result()
    request = a_request(case_id, org, tier=3, team_id=org.platform_team, reason_code=ReasonCode.KNOWN_DEFECT)

    db.write(escalate_case, request, NOW).result()

    detail = db.read(load_case, case_id).result()
    first, second = detail.escalations
    assert first.closed_at == NOW
    assert (second.tier, second.closed_at, second.stage) == (3, None, Stage.REQUESTED)
    assert second.team_name == "Platform engineering"
    assert detail.header.stage is Stage.REQUESTED
    assert detail.header.tier == 3
    assert detail.timeline[-1].body_text.startswith("Re-escalated to tier 3 (Platform engineering).")
    assert detail.timeline[-1].meta["step"] == "re_escalated"

    def transition(session: Session) -> tuple[str | None, int | None, str | None]:
        row = session.scalars(select(StageTransitionRow)).one()
        return row.kind, row.escalation_id, row.from_stage

    kind, escalation_id, from_stage = db.read(transition).result()
    assert kind == "re_escalated"
    assert escalation_id == second.id
    assert from_stage == "investigating"


@pytest.mark.parametrize("tier", [1, 2])
def test_re_escalation_to_the_same_or_a_lower_tier_is_refused(db: DbRunner, org: Org, tier: int) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.INVESTIGATING).id).result()

    with pytest.raises(
        WorkflowError, match=r"already escalated to tier 2\. A re-escalation needs a higher tier"
    ):
        db.write(escalate_case, a_request(case_id, org, tier=tier), NOW).result()

    assert db.read(written, case_id).result() == NOTHING_WRITTEN

    def episodes(session: Session) -> list[object]:
        return list(session.scalars(select(EscalationRow.closed_at)))

    assert db.read(episodes).result() == [None]


def test_escalation_keeps_the_team_when_none_is_chosen(db: DbRunner, org: Org) -> None:
    def build(session: Session) -> int:
        case = place_case(session, Stage.NEW, team_id=org.sso_team)
        return case.id

    case_id = db.write(build).result()
    db.write(escalate_case, a_request(case_id, org, team_id=None), NOW).result()

    def team_of(session: Session) -> int | None:
        case = session.get(CaseRow, case_id)
        assert case is not None
        return case.team_id

    assert db.read(team_of).result() == org.sso_team


def test_re_escalating_a_proposed_resolution_counts_the_proposal_as_not_fixed(db: DbRunner, org: Org) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.RESOLUTION_PROPOSED).id).result()

    db.write(escalate_case, a_request(case_id, org, tier=3), NOW).result()

    state = db.read(load_workflow_state, case_id).result()
    assert state.stage is Stage.REQUESTED
    assert state.open_proposal is None
    assert state.allowed_next == (Stage.REQUESTED, Stage.TRIAGED)
