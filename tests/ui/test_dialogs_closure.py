"""The closure form: required fields named, follow-ups added and removed, keyboard submit, refusals inline."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.config import default_config
from core.db.runner import DbRunner
from core.domain.enums import Stage
from tests.ui.conftest import Sample
from tests.ui.workflow_support import (
    case_stage,
    focused,
    open_exposed,
    press,
    timeline_texts,
    type_text,
    workflow_data,
)
from ui.data_access import DataAccess
from ui.dialogs.closure_dialog import ClosureDialog

__all__ = ["workflow_data"]

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def open_dialog(qtbot: QtBot, data: DataAccess, case_id: int) -> ClosureDialog:
    dialog = ClosureDialog(data, case_id, default_config().root_causes, case_label="Case #1007 · CSV export")
    open_exposed(qtbot, dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.summary.hasFocus())
    return dialog


def test_submitting_an_empty_form_names_every_missing_field(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    dialog = open_dialog(qtbot, workflow_data, sample.id(1007))

    press(qtbot, Qt.Key.Key_Return, CTRL)

    assert dialog.problem == "Please fill in: resolution summary, root cause category, root cause detail."
    assert dialog.isVisible()
    assert dialog.summary.hasFocus()  # the first missing field
    assert case_stage(db, sample.id(1007)) is Stage.RESOLVED


def test_closing_with_the_keyboard_only_records_the_closure(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    dialog = open_dialog(qtbot, workflow_data, sample.id(1007))
    type_text(qtbot, "Escaped the delimiter in the CSV writer.")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.category
    press(qtbot, Qt.Key.Key_Down)  # the first category: Product defect
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Unicode names were cut at the first multibyte character.")
    press(qtbot, Qt.Key.Key_A, ALT)  # Add Follow-up (a mnemonic click is animated): edit the new action
    qtbot.waitUntil(lambda: dialog.follow_ups.rowCount() == 1)
    type_text(qtbot, "Add a unicode export test")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Marco Bellini")
    press(qtbot, Qt.Key.Key_Return)  # commits the row (queued, as between a user's keystrokes)
    qtbot.waitUntil(lambda: dialog.follow_ups.entries[0].owner == "Marco Bellini")
    press(qtbot, Qt.Key.Key_E, ALT)  # Linked defect
    type_text(qtbot, "ENG-4821")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "https://tracker.example.com/ENG-4821")
    press(qtbot, Qt.Key.Key_N, ALT)  # the customer was notified
    qtbot.waitUntil(dialog.customer_notified.isChecked)

    with qtbot.waitSignal(dialog.completed, timeout=5000):
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert not dialog.isVisible()
    assert case_stage(db, sample.id(1007)) is Stage.CLOSED
    closure_note = timeline_texts(db, sample.id(1007))[-1]
    assert "Resolution: Escaped the delimiter in the CSV writer." in closure_note
    assert "Root cause: product_defect — Unicode names were cut" in closure_note
    due = (date.today() + timedelta(days=7)).isoformat()
    assert f"Follow-up: Add a unicode export test (Marco Bellini, due {due})" in closure_note
    assert "Linked defect: ENG-4821 https://tracker.example.com/ENG-4821" in closure_note
    assert "Customer notified." in closure_note


def test_follow_ups_need_an_owner_and_can_be_removed(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    dialog = open_dialog(qtbot, workflow_data, sample.id(1007))
    dialog.summary.setPlainText("Fixed.")
    dialog.category.setCurrentIndex(0)
    dialog.detail.setPlainText("A bug.")
    dialog.add_follow_up("Write a test")
    dialog.defect_url.setText("tracker.example.com/ENG-1")

    dialog.submit()

    assert dialog.problem.splitlines() == [
        "Follow-up 1 needs an action and an owner (or remove it).",
        "A linked defect needs its key (e.g. ENG-4821).",
        "The defect URL must be a web address starting with https://.",
    ]
    dialog.follow_up_table.setCurrentIndex(dialog.follow_ups.index(0, 0))
    dialog.remove_follow_up_button.click()
    assert dialog.follow_ups.rowCount() == 0
    assert case_stage(db, sample.id(1007)) is Stage.RESOLVED


def test_a_refusal_from_the_core_is_shown_inline_and_nothing_typed_is_lost(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    dialog = open_dialog(qtbot, workflow_data, sample.id(1001))  # still investigating
    dialog.summary.setPlainText("Synchronized the IdP clock.")
    dialog.category.setCurrentIndex(1)
    dialog.detail.setPlainText("Clock skew.")

    with qtbot.waitSignal(dialog.problem_shown, timeout=5000):
        press(qtbot, Qt.Key.Key_Enter, CTRL)

    assert dialog.problem.startswith("A case in Investigating cannot go to Closed.")
    assert dialog.isVisible()
    assert dialog.submit_button.isEnabled()
    assert dialog.summary.toPlainText() == "Synchronized the IdP clock."
    assert case_stage(db, sample.id(1001)) is Stage.INVESTIGATING
