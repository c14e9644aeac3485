"""The confirmation tracker: reminders after 2 and 5 business days, then closing is suggested."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.db.runner import DbRunner
from core.domain.enums import Stage
from core.outbox import pending_entries
from core.queries.case_detail import load_case
from core.workflow import (
    NothingToDecideError,
    load_workflow_state,
    propose_resolution,
    send_confirmation_reminder,
    track_confirmation,
)
from tests.core.workflow.builders import Org, place_case

FRIDAY = datetime(2026, 11, 6, 15, 30, tzinfo=UTC)
CADENCE = (2, 5)
REMINDER = "Did the new certificate fix the sign-in loop for everyone?"


def test_a_fresh_proposal_waits_for_its_first_reminder() -> None:
    tracker = track_confirmation(FRIDAY, 0, CADENCE, True, FRIDAY + timedelta(days=1))

    assert tracker.next_reminder_at == datetime(2026, 11, 10, 15, 30, tzinfo=UTC)  # Tuesday: 2 business days
    assert not tracker.reminder_due and not tracker.close_suggested
    assert tracker.reminders_planned == 2


def test_a_reminder_is_due_once_its_business_day_has_come() -> None:
    tracker = track_confirmation(FRIDAY, 0, CADENCE, True, datetime(2026, 11, 10, 16, 0, tzinfo=UTC))

    assert tracker.reminder_due


def test_after_the_last_reminder_closing_is_suggested_when_configured() -> None:
    later = FRIDAY + timedelta(days=30)

    assert track_confirmation(FRIDAY, 2, CADENCE, True, later).close_suggested
    assert not track_confirmation(FRIDAY, 2, CADENCE, False, later).close_suggested
    assert track_confirmation(FRIDAY, 2, CADENCE, True, later).next_reminder_at is None


@pytest.fixture
def proposed(db: DbRunner, org: Org) -> int:
    case_id = db.write(lambda session: place_case(session, Stage.INVESTIGATING).id).result()
    db.write(
        propose_resolution, case_id, org.specialist, "Fixed: re-upload the certificate.", FRIDAY
    ).result()
    return case_id


def test_sending_a_reminder_is_a_pending_reply_and_moves_to_the_next_one(
    db: DbRunner, org: Org, proposed: int
) -> None:
    tuesday = datetime(2026, 11, 10, 16, 0, tzinfo=UTC)

    db.write(send_confirmation_reminder, proposed, org.specialist, REMINDER, tuesday, CADENCE).result()

    proposal = db.read(load_workflow_state, proposed).result().open_proposal
    assert proposal is not None and proposal.reminders_sent == 1
    assert proposal.next_reminder_at == datetime(2026, 11, 13, 15, 30, tzinfo=UTC)  # 5 business days after
    reminder = db.read(load_case, proposed).result().timeline[-1]
    assert reminder.body_text == REMINDER and reminder.pending
    assert pending_entries_count(db, proposed) == 2  # the proposal and the reminder


def pending_entries_count(db: DbRunner, case_id: int) -> int:
    return len(db.read(pending_entries, case_id).result())


def test_nobody_is_reminded_when_no_resolution_waits(db: DbRunner, org: Org) -> None:
    case_id = db.write(lambda session: place_case(session, Stage.INVESTIGATING, number=4712).id).result()

    with pytest.raises(NothingToDecideError, match="nobody to remind"):
        db.write(send_confirmation_reminder, case_id, org.specialist, REMINDER, FRIDAY, CADENCE).result()
    assert pending_entries_count(db, case_id) == 0
