"""Approval requests: what a specialist must give, who may decide, and how it shows in the timeline."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from core.db.models import ApprovalRow
from core.db.runner import DbRunner
from core.domain.enums import ApprovalKind, EventKind, Stage
from core.outbox import pending_entries
from core.queries.case_detail import load_case
from core.workflow.approvals import ApprovalRequest, decide_approval, request_approval
from core.workflow.errors import NotALeadError, NothingToDecideError, WorkflowError
from core.workflow.state import load_workflow_state
from core.workflow.transitions import change_stage
from tests.core.workflow.builders import NOTHING_WRITTEN, NOW, Org, place_case, written

JUSTIFICATION = "Three days of downtime during their quarter close."


@pytest.fixture
def case_id(db: DbRunner) -> int:
    return db.write(lambda session: place_case(session, Stage.INVESTIGATING).id).result()


def credit(
    case_id: int, org: Org, amount_cents: int | None = 120_00, currency: str | None = "eur"
) -> ApprovalRequest:
    return ApprovalRequest(
        case_id, org.specialist, ApprovalKind.CREDIT_REFUND, amount_cents, currency, JUSTIFICATION
    )


def test_a_credit_request_waits_for_a_lead_and_shows_in_the_timeline(
    db: DbRunner, org: Org, case_id: int
) -> None:
    db.write(request_approval, credit(case_id, org), NOW).result()

    state = db.read(load_workflow_state, case_id).result()
    assert state.stage is Stage.AWAITING_APPROVAL
    pending = state.pending_approval
    assert pending is not None
    assert (pending.kind, pending.amount_cents, pending.currency) == (
        ApprovalKind.CREDIT_REFUND,
        12000,
        "EUR",
    )
    assert pending.justification == JUSTIFICATION
    assert pending.requested_by == "Priya Raman"
    note = db.read(load_case, case_id).result().timeline[-1]
    assert note.kind is EventKind.INTERNAL_NOTE
    assert note.body_text == f"Approval requested: Credit/refund of 120.00 EUR\n{JUSTIFICATION}"
    [entry] = db.read(pending_entries, case_id).result()
    assert entry.operation == "request_approval"
    assert entry.payload["amount_cents"] == 12000


@pytest.mark.parametrize(
    ("request_changes", "message"),
    [
        ({"amount_cents": None}, "needs a positive amount"),
        ({"amount_cents": 0}, "needs a positive amount"),
        ({"amount_cents": -500}, "needs a positive amount"),
        ({"currency": None}, "three-letter currency code"),
        ({"currency": "euro"}, "three-letter currency code"),
        ({"justification": " "}, "Write a justification"),
        ({"kind": ApprovalKind.POLICY_EXCEPTION}, "Only a credit or refund has an amount"),
    ],
)
def test_an_incomplete_request_says_what_is_missing_and_writes_nothing(
    db: DbRunner, org: Org, case_id: int, request_changes: dict[str, object], message: str
) -> None:
    request = replace(credit(case_id, org), **request_changes)  # type: ignore[arg-type]

    with pytest.raises(WorkflowError, match=message):
        db.write(request_approval, request, NOW).result()
    assert db.read(written, case_id).result() == NOTHING_WRITTEN


def test_a_policy_exception_needs_no_amount(db: DbRunner, org: Org, case_id: int) -> None:
    request = ApprovalRequest(
        case_id, org.specialist, ApprovalKind.POLICY_EXCEPTION, None, None, JUSTIFICATION
    )
    db.write(request_approval, request, NOW).result()
    note = db.read(load_case, case_id).result().timeline[-1]
    assert note.body_text.startswith("Approval requested: Policy exception\n")


def test_approval_can_only_be_requested_while_investigating(db: DbRunner, org: Org) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.TRIAGED).id).result()
    with pytest.raises(WorkflowError, match=r"From Triaged it can go to: .*Investigating"):
        db.write(request_approval, credit(case_id, org), NOW).result()


def _requested(db: DbRunner, org: Org, case_id: int) -> int:
    db.write(request_approval, credit(case_id, org), NOW).result()
    state = db.read(load_workflow_state, case_id).result()
    assert state.pending_approval is not None
    return state.pending_approval.id


def test_a_specialist_cannot_decide_and_is_told_who_can(db: DbRunner, org: Org, case_id: int) -> None:
    approval_id = _requested(db, org, case_id)
    before = db.read(written, case_id).result()

    with pytest.raises(NotALeadError, match="Only a lead or a manager can approve or deny"):
        db.write(decide_approval, approval_id, org.specialist, True, "", NOW).result()

    assert db.read(written, case_id).result() == before
    assert db.read(load_workflow_state, case_id).result().stage is Stage.AWAITING_APPROVAL


@pytest.mark.parametrize("decider", ["lead", "manager"])
def test_a_lead_or_manager_approves_and_the_case_goes_back_to_investigating(
    db: DbRunner, org: Org, case_id: int, decider: str
) -> None:
    approval_id = _requested(db, org, case_id)
    actor = org.lead if decider == "lead" else org.manager

    changes = db.write(decide_approval, approval_id, actor, True, "Approved, goodwill credit.", NOW).result()

    state = db.read(load_workflow_state, case_id).result()
    assert state.stage is Stage.INVESTIGATING
    assert state.pending_approval is None
    detail = db.read(load_case, case_id).result()
    note = detail.timeline[-1]
    name = "Marco Bellini" if decider == "lead" else "Grace Okafor"
    assert note.body_text == f"Approved by {name}: Credit/refund of 120.00 EUR\nApproved, goodwill credit."
    assert note.author_name == name
    entries = db.read(pending_entries, case_id).result()
    assert [entry.operation for entry in entries] == ["request_approval", "decide_approval"]
    assert changes.outbox == {entries[-1].id}

    def decision(session: Session) -> tuple[str, int | None, object]:
        row = session.get(ApprovalRow, approval_id)
        assert row is not None
        return row.decision, row.decided_by_id, row.decided_at

    assert db.read(decision).result() == ("approved", actor, NOW)


def test_a_denial_needs_a_comment(db: DbRunner, org: Org, case_id: int) -> None:
    approval_id = _requested(db, org, case_id)

    with pytest.raises(WorkflowError, match="Write why the request is denied"):
        db.write(decide_approval, approval_id, org.lead, False, " ", NOW).result()
    db.write(decide_approval, approval_id, org.lead, False, "Outside the credit policy.", NOW).result()

    note = db.read(load_case, case_id).result().timeline[-1]
    assert (
        note.body_text == "Denied by Marco Bellini: Credit/refund of 120.00 EUR\nOutside the credit policy."
    )


def test_a_decided_request_cannot_be_decided_again(db: DbRunner, org: Org, case_id: int) -> None:
    approval_id = _requested(db, org, case_id)
    db.write(decide_approval, approval_id, org.lead, True, "", NOW).result()

    with pytest.raises(NothingToDecideError, match="already approved"):
        db.write(decide_approval, approval_id, org.manager, False, "No.", NOW).result()
    with pytest.raises(NothingToDecideError, match="no approval request #999"):
        db.write(decide_approval, 999, org.lead, True, "", NOW).result()


def test_a_second_request_waits_until_the_first_is_decided(db: DbRunner, org: Org, case_id: int) -> None:
    _requested(db, org, case_id)
    db.write(
        change_stage, case_id, Stage.INVESTIGATING, org.specialist, "Working on it meanwhile.", NOW
    ).result()

    with pytest.raises(WorkflowError, match="still waiting for a decision"):
        db.write(request_approval, credit(case_id, org), NOW).result()
