"""Each workflow step writes its state and exactly one outbox entry together, or nothing at all."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import OutboxRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.domain.enums import ApprovalKind, ConfirmationAnswer, ReasonCode, Stage
from core.queries.case_detail import CaseNotFoundError
from core.workflow.approvals import ApprovalRequest, decide_approval, request_approval
from core.workflow.closure import ClosureForm, close_case
from core.workflow.escalation import EscalationRequest, escalate_case
from core.workflow.resolution import propose_resolution, record_confirmation
from core.workflow.state import load_workflow_state
from core.workflow.transitions import change_stage
from tests.core.workflow.builders import NOTHING_WRITTEN, NOW, TAXONOMY, Org, place_case, written

Step = Callable[[Session, int, Org], ChangeSet]


def _escalate(session: Session, case_id: int, org: Org) -> ChangeSet:
    request = EscalationRequest(
        case_id,
        org.specialist,
        3,
        None,
        ReasonCode.BUSINESS_IMPACT,
        "Board-level customer.",
        None,
        3,
        None,
        None,
        (),
    )
    return escalate_case(session, request, NOW)


def _request_approval(session: Session, case_id: int, org: Org) -> ChangeSet:
    request = ApprovalRequest(
        case_id, org.specialist, ApprovalKind.ENGINEERING_PRIORITY, None, None, "Outage."
    )
    return request_approval(session, request, NOW)


def _decide_approval(session: Session, case_id: int, org: Org) -> ChangeSet:
    _request_approval(session, case_id, org)
    state = load_workflow_state(session, case_id)
    assert state.pending_approval is not None
    return decide_approval(session, state.pending_approval.id, org.lead, True, "", NOW)


def _propose(session: Session, case_id: int, org: Org) -> ChangeSet:
    return propose_resolution(session, case_id, org.specialist, "Fixed in 4.2.1.", NOW)


def _confirm(session: Session, case_id: int, org: Org) -> ChangeSet:
    _propose(session, case_id, org)
    return record_confirmation(session, case_id, org.specialist, ConfirmationAnswer.CONFIRMED, "", "", NOW)


def _close(session: Session, case_id: int, org: Org) -> ChangeSet:
    change_stage(session, case_id, Stage.AWAITING_CUSTOMER, org.specialist, "", NOW)
    change_stage(session, case_id, Stage.INVESTIGATING, org.specialist, "", NOW)
    _confirm(session, case_id, org)
    form = ClosureForm(
        case_id, org.specialist, "Fixed.", TAXONOMY[1], "Race in the export.", (), None, None, False
    )
    return close_case(session, form, TAXONOMY, NOW)


STEPS: dict[str, Step] = {
    "escalate": _escalate,
    "change_stage": lambda session, case_id, org: change_stage(
        session, case_id, Stage.AWAITING_ENGINEERING, org.specialist, "Waiting for a fix.", NOW
    ),
    "request_approval": _request_approval,
    "decide_approval": _decide_approval,
    "propose_resolution": _propose,
    "record_confirmation": _confirm,
    "close_case": _close,
}


@pytest.mark.parametrize("name", list(STEPS))
def test_the_step_names_its_one_outbox_entry_and_links_its_timeline_events_to_it(
    db: DbRunner, org: Org, name: str
) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.INVESTIGATING).id).result()

    changes = db.write(STEPS[name], case_id, org).result()

    def last_step(session: Session) -> tuple[list[int], set[int | None]]:
        entries = list(session.scalars(select(OutboxRow.id).where(OutboxRow.case_id == case_id)))
        linked = set(
            session.scalars(select(TimelineEventRow.outbox_id).where(TimelineEventRow.case_id == case_id))
        )
        return entries, linked

    entries, linked = db.read(last_step).result()
    assert changes.cases == {case_id}
    assert len(changes.outbox) == 1
    assert changes.outbox <= set(entries)
    assert max(entries) in changes.outbox
    assert None not in linked
    assert linked == set(entries)


@pytest.mark.parametrize("name", list(STEPS))
def test_when_the_unit_of_work_fails_afterwards_neither_the_change_nor_its_entry_remains(
    db: DbRunner, org: Org, name: str
) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.INVESTIGATING).id).result()

    def step_then_crash(session: Session) -> None:
        STEPS[name](session, case_id, org)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        db.write(step_then_crash).result()

    assert db.read(written, case_id).result() == NOTHING_WRITTEN
    assert db.read(load_workflow_state, case_id).result().stage is Stage.INVESTIGATING


def test_an_unknown_case_is_named(db: DbRunner, org: Org) -> None:
    with pytest.raises(CaseNotFoundError, match="no case with id 404"):
        db.write(change_stage, 404, Stage.INVESTIGATING, org.specialist, "", NOW).result()
