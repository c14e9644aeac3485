"""The board and the triage queue in the main window: reaching them, opening a case, coming back, Ctrl+Z."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.domain.enums import Stage
from tests.ui.routing_support import INVESTIGATING_NUMBER, QUEUE_NUMBERS, Org, Placement, org, placement
from tests.ui.workflow_support import active_main_window, focused, press, type_text, workflow_data
from ui.case_header import CaseHeaderWidget
from ui.command_palette import CommandPalette
from ui.data_access import DataAccess
from ui.dialogs.move_to_dialog import MoveToDialog
from ui.main_window import MainWindow

__all__ = ["org", "workflow_data"]

WAIT_MS = 5000


@pytest.fixture
def window(qtbot: QtBot, workflow_data: DataAccess, org: Org) -> MainWindow:
    return active_main_window(qtbot, workflow_data)


def show_triage(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.triage_loaded, timeout=WAIT_MS):
        press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.triage


def test_ctrl_b_shows_the_board_and_ctrl_t_the_triage_queue(
    qtbot: QtBot, window: MainWindow, org: Org
) -> None:
    with qtbot.waitSignal(window.board_loaded, timeout=WAIT_MS) as board:
        press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.board
    assert board.args == [1]  # the case being investigated; the requested ones wait in triage

    with qtbot.waitSignal(window.triage_loaded, timeout=WAIT_MS) as triage:
        press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.triage
    assert triage.args == [len(QUEUE_NUMBERS)]
    assert window.triage.isAncestorOf(focused())


def test_the_palette_reaches_the_board_and_the_triage_queue(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.palette_opened, timeout=1000) as opened:
        press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette: CommandPalette = opened.args[0]
    qtbot.addWidget(palette)
    qtbot.waitUntil(lambda: palette.search.hasFocus())

    type_text(qtbot, "triage queue")
    with qtbot.waitSignal(window.triage_loaded, timeout=WAIT_MS):
        press(qtbot, Qt.Key.Key_Return)
    assert window.current_page() is window.triage


def test_a_case_opened_from_the_triage_queue_goes_back_there_with_esc(
    qtbot: QtBot, window: MainWindow, org: Org
) -> None:
    show_triage(qtbot, window)
    window.triage.table.selectRow(1)
    with qtbot.waitSignal(window.case_loaded, timeout=WAIT_MS) as loaded:
        press(qtbot, Qt.Key.Key_Return)
    assert loaded.args == [org.case(QUEUE_NUMBERS[1])]
    assert window.action_registry.action("go.back").text() == "&Back to the Triage Queue"

    with qtbot.waitSignal(window.triage_loaded, timeout=WAIT_MS):
        window.action_registry.trigger("go.back")
    assert window.current_page() is window.triage


def test_triage_then_ctrl_z_undoes_it_and_the_status_bar_says_how(
    qtbot: QtBot, db: DbRunner, window: MainWindow, org: Org
) -> None:
    show_triage(qtbot, window)
    first = org.case(QUEUE_NUMBERS[0])
    undo = window.action_registry.action("edit.undo_move")
    assert not undo.isEnabled()

    with qtbot.waitSignal(window.triage_loaded, timeout=WAIT_MS):
        press(qtbot, Qt.Key.Key_A)
    assert placement(db, first).stage is Stage.TRIAGED
    assert window.statusBar().currentMessage() == "Triaged 1 case. Ctrl+Z to undo."
    assert undo.isEnabled()

    with qtbot.waitSignal(window.routing.undone, timeout=WAIT_MS):
        press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert placement(db, first) == Placement(None, None, Stage.REQUESTED)
    assert window.statusBar().currentMessage() == "Undid the move of 1 case."
    qtbot.waitUntil(lambda: window.triage.model.rowCount() == len(QUEUE_NUMBERS))
    assert not undo.isEnabled()


def test_ctrl_z_in_the_composer_undoes_typing_not_the_last_move(
    qtbot: QtBot, db: DbRunner, window: MainWindow, org: Org
) -> None:
    case = org.case(INVESTIGATING_NUMBER)
    with qtbot.waitSignal(window.routing.moved, timeout=WAIT_MS):
        window.routing.move([case], org.api, None)  # another lane, nobody assigned: breaks no rule
    with qtbot.waitSignal(window.case_loaded, timeout=WAIT_MS):
        window.open_case(case)
    composer = window.case_view.composer
    qtbot.waitUntil(composer.isEnabled)
    window.case_view.start_reply()
    qtbot.waitUntil(lambda: focused() is composer.editor)
    type_text(qtbot, "Moved to the API team")

    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(300)  # an undo of the move, if it wrongly started, would be written by now

    assert composer.editor.toPlainText() != "Moved to the API team"
    assert placement(db, case).team_id == org.api
    assert window.routing.can_undo


def test_the_case_header_counts_re_routes(qtbot: QtBot, window: MainWindow, org: Org) -> None:
    case = org.case(INVESTIGATING_NUMBER)
    with qtbot.waitSignal(window.routing.moved, timeout=WAIT_MS):
        window.routing.move([case], org.api, None)

    with qtbot.waitSignal(window.case_loaded, timeout=WAIT_MS):
        window.open_case(case)

    header = window.case_view.findChild(CaseHeaderWidget)
    texts = [label.text() for label in header.findChildren(QLabel)]
    assert any("Re-routed 1×" in text for text in texts)


def test_m_on_an_open_case_offers_move_to_for_it(qtbot: QtBot, window: MainWindow, org: Org) -> None:
    case = org.case(INVESTIGATING_NUMBER)
    with qtbot.waitSignal(window.case_loaded, timeout=WAIT_MS):
        window.open_case(case)
    qtbot.waitUntil(lambda: window.action_registry.action("case.move_to").isEnabled())

    with qtbot.waitSignal(window.routing.dialog_opened, timeout=WAIT_MS) as opened:
        qtbot.keyClick(window.case_view.timeline.browser, Qt.Key.Key_M)

    dialog = opened.args[0]
    assert isinstance(dialog, MoveToDialog)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(dialog)
    assert dialog.case_ids == (case,)
