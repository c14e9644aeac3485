"""From a proposed fix to a closed case: reminders, the customer's answer, returns and the closure form."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import (
    CaseRow,
    ClosureRecordRow,
    EscalationRow,
    FollowUpActionRow,
    ResolutionProposalRow,
    StageTransitionRow,
    TimelineEventRow,
)
from core.db.runner import DbRunner
from core.domain.enums import ConfirmationAnswer, EventKind, ReasonCode, Stage, Visibility
from core.outbox import pending_entries
from core.queries.case_detail import load_case
from core.workflow.closure import ClosureForm, FollowUp, close_case
from core.workflow.errors import (
    ClosureIncompleteError,
    IllegalTransitionError,
    NothingToDecideError,
    WorkflowError,
)
from core.workflow.escalation import EscalationRequest, escalate_case
from core.workflow.resolution import propose_resolution, record_confirmation
from core.workflow.state import load_workflow_state
from core.workflow.transitions import change_stage, return_to_investigation
from tests.core.workflow.builders import NOTHING_WRITTEN, NOW, TAXONOMY, Org, place_case, written

FIX = "Re-upload the IdP certificate under Settings → SSO, then sign in again."
FEEDBACK = "Still looping after re-uploading the certificate."
GUIDANCE = "Compare the SP entity ID with the Okta app settings."


def closure_form(case_id: int, org: Org) -> ClosureForm:
    return ClosureForm(
        case_id=case_id,
        actor_id=org.specialist,
        resolution_summary="Certificate re-uploaded; login works again.",
        root_cause_category="Configuration",
        root_cause_detail="The IdP certificate was rotated without updating the SP.",
        follow_ups=(FollowUp("Document certificate rotation", "Docs team", date(2026, 11, 20)),),
        defect_key="SSO-412",
        defect_url="https://jira.example.com/browse/SSO-412",
        customer_notified=True,
    )


@pytest.fixture
def investigating(db: DbRunner) -> int:
    return db.write(lambda session: place_case(session, Stage.INVESTIGATING).id).result()


def test_a_proposed_resolution_is_a_pending_public_reply_with_a_reminder_in_business_days(
    db: DbRunner, org: Org, investigating: int
) -> None:
    friday = datetime(2026, 11, 6, 15, 30, tzinfo=UTC)
    changes = db.write(propose_resolution, investigating, org.specialist, FIX, friday).result()

    state = db.read(load_workflow_state, investigating).result()
    assert state.stage is Stage.RESOLUTION_PROPOSED
    assert state.open_proposal is not None
    assert state.open_proposal.proposed_at == friday
    # Two business days after a Friday afternoon is Tuesday afternoon, not Sunday.
    assert state.open_proposal.next_reminder_at == datetime(2026, 11, 10, 15, 30, tzinfo=UTC)
    assert state.open_proposal.reminders_sent == 0
    reply = next(
        event for event in db.read(load_case, investigating).result().timeline if event.body_text == FIX
    )
    assert (reply.kind, reply.visibility) == (EventKind.AGENT_REPLY, Visibility.CUSTOMER)
    [entry] = db.read(pending_entries, investigating).result()
    assert entry.operation == "propose_resolution"
    assert entry.payload["body"] == FIX
    assert changes.outbox == {entry.id}

    def reply_link(session: Session) -> tuple[int | None, int | None, int | None]:
        event = session.get(TimelineEventRow, reply.id)
        proposal = session.scalars(select(ResolutionProposalRow)).one()
        assert event is not None
        return event.outbox_id, proposal.event_id, proposal.proposed_by_id

    assert db.read(reply_link).result() == (entry.id, reply.id, org.specialist)


def test_a_custom_cadence_sets_the_first_reminder_and_a_bad_one_is_refused(
    db: DbRunner, org: Org, investigating: int
) -> None:
    with pytest.raises(WorkflowError, match="positive and increasing"):
        db.write(propose_resolution, investigating, org.specialist, FIX, NOW, (5, 2)).result()
    with pytest.raises(WorkflowError, match="Write the message to the customer"):
        db.write(propose_resolution, investigating, org.specialist, "  ", NOW).result()
    assert db.read(written, investigating).result() == NOTHING_WRITTEN

    db.write(propose_resolution, investigating, org.specialist, FIX, NOW, (3,)).result()
    proposal = db.read(load_workflow_state, investigating).result().open_proposal
    assert proposal is not None
    assert proposal.next_reminder_at == datetime(2026, 11, 9, 10, 0, tzinfo=UTC)  # Wednesday + 3 = Monday


def test_not_fixed_returns_the_case_with_the_feedback_and_the_guidance(
    db: DbRunner, org: Org, investigating: int
) -> None:
    db.write(propose_resolution, investigating, org.specialist, FIX, NOW).result()
    db.write(
        record_confirmation,
        investigating,
        org.lead,
        ConfirmationAnswer.NOT_FIXED,
        FEEDBACK,
        GUIDANCE,
        NOW,
    ).result()

    state = db.read(load_workflow_state, investigating).result()
    assert state.stage is Stage.INVESTIGATING
    assert state.open_proposal is None
    note = db.read(load_case, investigating).result().timeline[-1]
    assert (
        note.body_text == f"Returned to investigation.\nCustomer feedback: {FEEDBACK}\nGuidance: {GUIDANCE}"
    )

    def recorded(session: Session) -> tuple[str | None, dict[str, str], str | None, str | None]:
        transition = session.scalars(
            select(StageTransitionRow).order_by(StageTransitionRow.id.desc()).limit(1)
        ).one()
        proposal = session.scalars(select(ResolutionProposalRow)).one()
        return (
            transition.kind,
            json.loads(transition.details_json or "{}"),
            proposal.answer,
            proposal.customer_feedback,
        )

    kind, details, answer, feedback = db.read(recorded).result()
    assert kind == "returned"
    assert details == {"customer_feedback": FEEDBACK, "guidance": GUIDANCE}
    assert (answer, feedback) == ("not_fixed", FEEDBACK)


def test_a_return_needs_the_customer_feedback_and_an_open_proposal(
    db: DbRunner, org: Org, investigating: int
) -> None:
    with pytest.raises(WorkflowError, match="Only a case in Resolution proposed can be returned"):
        db.write(return_to_investigation, investigating, org.lead, FEEDBACK, GUIDANCE, NOW).result()
    with pytest.raises(NothingToDecideError, match="no proposed resolution is waiting"):
        db.write(
            record_confirmation, investigating, org.lead, ConfirmationAnswer.CONFIRMED, "", "", NOW
        ).result()
    db.write(propose_resolution, investigating, org.specialist, FIX, NOW).result()
    with pytest.raises(WorkflowError, match="Write what the customer reported"):
        db.write(return_to_investigation, investigating, org.lead, " ", GUIDANCE, NOW).result()


def test_a_case_goes_from_escalation_to_closure_and_every_step_is_in_the_timeline(
    db: DbRunner, org: Org
) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.NEW).id).result()
    request = EscalationRequest(
        case_id,
        org.specialist,
        2,
        org.sso_team,
        ReasonCode.TECHNICAL_EXPERTISE,
        "Needs SSO.",
        None,
        2,
        None,
        None,
        (),
    )
    steps = [
        lambda: db.write(escalate_case, request, NOW),
        lambda: db.write(change_stage, case_id, Stage.TRIAGED, org.lead, "Routed to Identity & SSO.", NOW),
        lambda: db.write(change_stage, case_id, Stage.INVESTIGATING, org.specialist, "", NOW),
        lambda: db.write(propose_resolution, case_id, org.specialist, FIX, NOW),
        lambda: db.write(
            record_confirmation, case_id, org.specialist, ConfirmationAnswer.CONFIRMED, "Works now!", "", NOW
        ),
        lambda: db.write(close_case, closure_form(case_id, org), TAXONOMY, NOW),
    ]
    for step in steps:
        step().result()

    detail = db.read(load_case, case_id).result()
    assert detail.header.stage is Stage.CLOSED
    assert detail.header.resolution == "Certificate re-uploaded; login works again."
    assert (
        detail.header.root_cause == "Configuration: The IdP certificate was rotated without updating the SP."
    )
    stage_moves = [
        (e.meta["from"], e.meta["to"]) for e in detail.timeline if e.kind is EventKind.FIELD_CHANGE
    ]
    assert stage_moves == [
        ("new", "requested"),
        ("requested", "triaged"),
        ("triaged", "investigating"),
        ("investigating", "resolution_proposed"),
        ("resolution_proposed", "resolved"),
        ("resolved", "closed"),
    ]
    closing_note = detail.timeline[-1]
    assert closing_note.body_text.startswith("Case closed.\nResolution: Certificate re-uploaded")
    assert "Follow-up: Document certificate rotation (Docs team, due 2026-11-20)" in closing_note.body_text
    assert "Linked defect: SSO-412 https://jira.example.com/browse/SSO-412" in closing_note.body_text
    operations = [entry.operation for entry in db.read(pending_entries, case_id).result()]
    assert operations == [
        "escalate",
        "change_stage",
        "change_stage",
        "propose_resolution",
        "change_stage",
        "close_case",
    ]

    def closure(session: Session) -> tuple[object, ...]:
        case = session.get(CaseRow, case_id)
        record = session.scalars(select(ClosureRecordRow)).one()
        follow_up = session.scalars(select(FollowUpActionRow)).one()
        episode = session.scalars(select(EscalationRow)).one()
        assert case is not None
        return (
            case.resolved_at,
            case.defect_key,
            record.root_cause_category,
            record.defect_url,
            record.customer_notified,
            record.escalation_id == episode.id,
            (follow_up.text, follow_up.owner, follow_up.due_date),
            (episode.stage, episode.closed_at),
        )

    assert db.read(closure).result() == (
        NOW,
        "SSO-412",
        "Configuration",
        "https://jira.example.com/browse/SSO-412",
        True,
        True,
        ("Document certificate rotation", "Docs team", date(2026, 11, 20)),
        ("closed", NOW),
    )


def test_an_incomplete_closure_form_names_every_missing_or_invalid_field(db: DbRunner, org: Org) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.RESOLVED).id).result()
    form = replace(
        closure_form(case_id, org),
        resolution_summary=" ",
        root_cause_category="Cosmic rays",
        root_cause_detail="",
        follow_ups=(FollowUp("", "", date(2026, 11, 1)), FollowUp("Add a health check", "Platform", None)),
        defect_key=None,
        defect_url="jira.example.com/SSO-412",
    )

    with pytest.raises(ClosureIncompleteError) as refused:
        db.write(close_case, form, TAXONOMY, NOW).result()

    assert refused.value.missing == (
        "resolution summary is missing",
        "root cause category “Cosmic rays” is not one of: "
        "Configuration, Product defect, Documentation gap, Third-party outage",
        "root cause detail is missing",
        "follow-up 1 has no text",
        "follow-up 1 has no owner",
        "follow-up 1 is due in the past (2026-11-01)",
        "linked defect has a URL but no key",
        "linked defect URL must start with https:// or http://",
    )
    assert str(refused.value).startswith("The case cannot be closed yet. Complete the closure form: ")
    assert db.read(written, case_id).result() == NOTHING_WRITTEN
    assert db.read(load_workflow_state, case_id).result().stage is Stage.RESOLVED


def test_a_missing_root_cause_category_is_named(db: DbRunner, org: Org) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.RESOLVED).id).result()
    form = replace(closure_form(case_id, org), root_cause_category="")
    with pytest.raises(ClosureIncompleteError, match="root cause category is missing"):
        db.write(close_case, form, TAXONOMY, NOW).result()


def test_only_a_resolved_case_can_be_closed(db: DbRunner, org: Org, investigating: int) -> None:
    with pytest.raises(IllegalTransitionError, match="A case in Investigating cannot go to Closed"):
        db.write(close_case, closure_form(investigating, org), TAXONOMY, NOW).result()


def test_without_a_taxonomy_the_form_says_where_to_configure_one(db: DbRunner, org: Org) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.RESOLVED).id).result()
    with pytest.raises(ClosureIncompleteError, match="add a root-cause taxonomy in Settings"):
        db.write(close_case, closure_form(case_id, org), (), NOW).result()
