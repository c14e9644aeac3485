"""Propose a resolution (with the reminder cadence shown) and record the customer's answer."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.config import ReminderCadence, default_config
from core.db.runner import DbRunner
from core.domain.enums import Stage
from core.workflow import propose_resolution
from tests.ui.conftest import Sample
from tests.ui.workflow_support import (
    case_stage,
    focused,
    press,
    show_dialog,
    timeline_texts,
    transitions,
    type_text,
    workflow_data,
)
from ui.data_access import DataAccess
from ui.dialogs.confirmation_dialog import ConfirmationChoice, ConfirmationDialog
from ui.dialogs.resolution_dialog import ResolutionDialog

__all__ = ["workflow_data"]

CTRL = Qt.KeyboardModifier.ControlModifier


def proposed(db: DbRunner, sample: Sample) -> int:
    case_id = sample.id(1001)
    db.write(propose_resolution, case_id, sample.me, "Please sync the IdP clock.", datetime.now(UTC)).result()
    return case_id


def test_the_proposal_dialog_states_the_reminder_cadence(
    qtbot: QtBot, workflow_data: DataAccess, sample: Sample
) -> None:
    dialog = ResolutionDialog(workflow_data, sample.id(1001), default_config().reminders)
    assert dialog.cadence_label.text() == (
        "If the customer does not answer, you are reminded after 2 and 5 business days. "
        "Then Handoff proposes closing the case."
    )
    assert dialog.cadence_text(ReminderCadence((3,), False)) == (
        "If the customer does not answer, you are reminded after 3 business days."
    )
    assert dialog.cadence_text(ReminderCadence((), True)) == "No reminders are scheduled."
    dialog.deleteLater()


def test_proposing_with_the_keyboard_sends_the_message_and_waits_for_the_customer(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    dialog = ResolutionDialog(workflow_data, sample.id(1001), default_config().reminders)
    show_dialog(qtbot, dialog)
    assert focused() is dialog.message

    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert dialog.problem == "Please fill in: the message to the customer."

    type_text(qtbot, "We synchronized the clock of your IdP. Please try to sign in again.")
    with qtbot.waitSignal(dialog.completed, timeout=5000):
        press(qtbot, Qt.Key.Key_Enter, CTRL)

    assert case_stage(db, sample.id(1001)) is Stage.RESOLUTION_PROPOSED
    assert any("Please try to sign in again." in text for text in timeline_texts(db, sample.id(1001)))


def test_confirmed_resolves_the_case(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    case_id = proposed(db, sample)
    dialog = ConfirmationDialog(workflow_data, case_id)
    show_dialog(qtbot, dialog)
    assert dialog.choice is ConfirmationChoice.CONFIRMED
    assert not dialog.guidance.isEnabled()

    with qtbot.waitSignal(dialog.completed, timeout=5000):
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert case_stage(db, case_id) is Stage.RESOLVED


def test_not_fixed_returns_the_case_with_feedback_and_guidance(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    case_id = proposed(db, sample)
    dialog = ConfirmationDialog(workflow_data, case_id)
    show_dialog(qtbot, dialog)

    press(qtbot, Qt.Key.Key_Down)  # Not fixed: return to investigation
    assert dialog.choice is ConfirmationChoice.RETURN
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert dialog.problem == "Please fill in: the customer's feedback, guidance for the specialist."

    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # Customer feedback
    type_text(qtbot, "Still looping after the clock sync.")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Check the SP metadata cache.")
    with qtbot.waitSignal(dialog.completed, timeout=5000):
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert case_stage(db, case_id) is Stage.INVESTIGATING
    assert transitions(db, case_id)[-1] == ("resolution_proposed", "investigating", "returned")
    assert timeline_texts(db, case_id)[-1] == (
        "Returned to investigation.\nCustomer feedback: Still looping after the clock sync.\n"
        "Guidance: Check the SP metadata cache."
    )


def test_not_fixed_and_re_escalate_records_the_answer_then_asks_for_the_escalation(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    case_id = proposed(db, sample)
    dialog = ConfirmationDialog(workflow_data, case_id)
    show_dialog(qtbot, dialog)
    dialog.set_choice(ConfirmationChoice.RE_ESCALATE)
    assert not dialog.guidance.isEnabled()
    dialog.feedback.setPlainText("Nothing changed.")

    with qtbot.waitSignal(dialog.re_escalation_requested, timeout=5000) as asked:
        dialog.submit()

    assert asked.args == [case_id]
    assert case_stage(db, case_id) is Stage.INVESTIGATING
    assert "Guidance: Re-escalating to a higher tier." in timeline_texts(db, case_id)[-1]


def test_a_reminder_goes_to_the_customer_and_the_panel_counts_it(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    from core.workflow import load_workflow_state
    from ui.dialogs.reminder_dialog import ReminderDialog

    case_id = proposed(db, sample)
    dialog = ReminderDialog(workflow_data, case_id)
    show_dialog(qtbot, dialog)
    assert "check whether the fix" in dialog.message.toPlainText()  # a ready-to-send default

    with qtbot.waitSignal(dialog.completed, timeout=5000):
        press(qtbot, Qt.Key.Key_Return, CTRL)

    proposal = db.read(load_workflow_state, case_id).result().open_proposal
    assert proposal is not None and proposal.reminders_sent == 1
    assert any("check whether the fix" in text for text in timeline_texts(db, case_id))
