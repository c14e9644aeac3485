""" "Move to…" on its own: loads, filters, moves the cursor from the filter field, explains each target."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.ui.routing_support import INVESTIGATING_NUMBER, QUEUE_NUMBERS, Org, org
from tests.ui.workflow_support import workflow_data
from ui.data_access import DataAccess
from ui.dialogs.move_to_dialog import MoveToDialog

__all__ = ["org", "workflow_data"]

WAIT_MS = 5000


def open_dialog(qtbot: QtBot, data: DataAccess, case_ids: list[int]) -> MoveToDialog:
    dialog = MoveToDialog(data, case_ids)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=WAIT_MS)
    return dialog


@pytest.fixture
def dialog(qtbot: QtBot, workflow_data: DataAccess, org: Org) -> MoveToDialog:
    return open_dialog(qtbot, workflow_data, [org.case(INVESTIGATING_NUMBER)])


def current_text(dialog: MoveToDialog) -> str:
    return str(dialog.list.currentIndex().data()).strip()


def test_it_names_the_case_and_starts_on_the_first_team_with_its_explanation(
    qtbot: QtBot, dialog: MoveToDialog
) -> None:
    assert dialog.windowTitle() == "Move To…"
    assert dialog.question == "Where should #5010 Okta group push does not remove users go?"
    assert current_text(dialog) == "API Specialists — 0/6 units"
    qtbot.waitUntil(lambda: "Jonas Weber" in dialog.explanation.toPlainText(), timeout=WAIT_MS)
    assert dialog.choose_button.isEnabled()


def test_arrows_in_the_filter_field_move_the_cursor_and_the_explanation_follows(
    qtbot: QtBot, dialog: MoveToDialog
) -> None:
    qtbot.keyClick(dialog.filter_field, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.filter_field, Qt.Key.Key_Down)
    assert current_text(dialog) == "Billing Specialists — 0/6 units"
    assert dialog.filter_field.hasFocus()
    # A team alone breaks no rule here; the panel shows who Handoff would pick in it.
    qtbot.waitUntil(lambda: "Billing Specialists" in dialog.explanation.toPlainText(), timeout=WAIT_MS)
    assert "breaks" not in dialog.explanation.toPlainText()


def test_a_filter_matching_nothing_says_so_and_enter_does_nothing(
    qtbot: QtBot, qtmodeltester: ModelTester, dialog: MoveToDialog
) -> None:
    chosen: list[object] = []
    dialog.chosen.connect(lambda *args: chosen.append(args))
    qtbot.keyClicks(dialog.filter_field, "zzz")
    qtmodeltester.check(dialog.proxy)

    assert dialog.visible_texts() == []
    assert not dialog.choose_button.isEnabled()
    assert "No team or person matches" in dialog.explanation.toPlainText()
    qtbot.keyClick(dialog.filter_field, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert chosen == []


def test_a_person_filter_shows_the_person_and_enter_reports_the_choice(
    qtbot: QtBot, org: Org, dialog: MoveToDialog
) -> None:
    qtbot.keyClicks(dialog.filter_field, "MARCO")
    # The team row stays as context (whose team Marco is in); Marco is the current row.
    assert dialog.visible_texts() == ["SSO Specialists — 2/12 units", "Marco Bellini — 0/6 units"]
    assert current_text(dialog) == "Marco Bellini — 0/6 units"

    with qtbot.waitSignal(dialog.chosen, timeout=1000) as chosen:
        qtbot.keyClick(dialog.filter_field, Qt.Key.Key_Return)

    assert chosen.args == [org.sso, org.marco]
    assert not dialog.isVisible()


def test_several_cases_are_counted_in_the_question(qtbot: QtBot, workflow_data: DataAccess, org: Org) -> None:
    dialog = open_dialog(qtbot, workflow_data, [org.case(number) for number in QUEUE_NUMBERS])
    assert dialog.question == "Where should these 3 cases go?"
