"""The workflow state the case view reads, and the business-day arithmetic behind reminders."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.db.runner import DbRunner
from core.domain.enums import ReasonCode, Stage
from core.workflow.business_days import add_business_days
from core.workflow.state import load_workflow_state
from tests.core.workflow.builders import Org, place_case


def test_a_new_case_has_nothing_open_and_can_only_be_escalated(db: DbRunner, org: Org) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.NEW).id).result()

    state = db.read(load_workflow_state, case_id).result()

    assert (state.stage, state.tier, state.allowed_next) == (Stage.NEW, 1, (Stage.REQUESTED,))
    assert state.open_escalation is None
    assert state.pending_approval is None
    assert state.open_proposal is None


def test_an_escalated_case_shows_its_open_episode(db: DbRunner, org: Org) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.AWAITING_CUSTOMER).id).result()

    state = db.read(load_workflow_state, case_id).result()

    assert state.allowed_next == (Stage.REQUESTED, Stage.INVESTIGATING)
    assert state.open_escalation is not None
    assert (state.open_escalation.tier, state.open_escalation.reason) == (2, ReasonCode.TECHNICAL_EXPERTISE)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (datetime(2026, 11, 4, 10, tzinfo=UTC), 2, datetime(2026, 11, 6, 10, tzinfo=UTC)),  # Wed → Fri
        (datetime(2026, 11, 6, 10, tzinfo=UTC), 1, datetime(2026, 11, 9, 10, tzinfo=UTC)),  # Fri → Mon
        (datetime(2026, 11, 4, 10, tzinfo=UTC), 5, datetime(2026, 11, 11, 10, tzinfo=UTC)),  # a week
        (datetime(2026, 11, 7, 9, tzinfo=UTC), 2, datetime(2026, 11, 10, 9, tzinfo=UTC)),  # Sat → Tue
        (datetime(2026, 11, 4, 10, tzinfo=UTC), 0, datetime(2026, 11, 4, 10, tzinfo=UTC)),
    ],
)
def test_business_days_skip_the_weekend(start: datetime, days: int, expected: datetime) -> None:
    assert add_business_days(start, days) == expected


def test_negative_business_days_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_business_days(datetime(2026, 11, 4, tzinfo=UTC), -1)


@pytest.mark.parametrize(
    ("stage", "moves"),
    [
        (Stage.NEW, ()),
        (Stage.REQUESTED, (Stage.TRIAGED,)),
        (Stage.INVESTIGATING, (Stage.AWAITING_CUSTOMER, Stage.AWAITING_ENGINEERING)),
        (Stage.AWAITING_APPROVAL, (Stage.INVESTIGATING,)),
        (Stage.RESOLUTION_PROPOSED, ()),
        (Stage.RESOLVED, (Stage.INVESTIGATING,)),
        (Stage.CLOSED, ()),
    ],
)
def test_the_state_tells_which_moves_need_no_dedicated_action(
    db: DbRunner, org: Org, stage: Stage, moves: tuple[Stage, ...]
) -> None:
    case_id = db.write(lambda session: place_case(session, stage).id).result()
    assert db.read(load_workflow_state, case_id).result().plain_moves == moves
