"""The command palette (Ctrl+K): what the view offers, filtered as you type; Enter runs, Esc closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.ui.conftest import Sample
from tests.ui.workflow_support import active_main_window, focused, press, type_text, workflow_data
from ui.command_palette import SHORTCUT_ROLE, CommandPalette, match_rank
from ui.data_access import DataAccess
from ui.dialogs.resolution_dialog import ResolutionDialog
from ui.main_window import MainWindow

__all__ = ["workflow_data"]


@pytest.fixture
def window(qtbot: QtBot, workflow_data: DataAccess, sample: Sample) -> MainWindow:
    main = active_main_window(qtbot, workflow_data)
    with qtbot.waitSignal(main.case_loaded, timeout=5000):
        main.open_case(sample.id(1001))  # investigating
    qtbot.waitUntil(lambda: main.workflow.context is not None)
    return main


def open_palette(qtbot: QtBot, window: MainWindow) -> CommandPalette:
    with qtbot.waitSignal(window.palette_opened, timeout=1000) as opened:
        press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = opened.args[0]
    qtbot.waitUntil(lambda: palette.search.hasFocus())
    return palette


def test_matching_prefers_prefixes_then_words_then_letters_in_order() -> None:
    assert match_rank("prop", "Propose Resolution") == 0
    assert match_rank("resolution pro", "Propose Resolution") == 1
    assert match_rank("prpres", "Propose Resolution") == 2
    assert match_rank("xyz", "Propose Resolution") is None


def test_lists_only_the_commands_available_on_this_case_with_their_shortcuts(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow
) -> None:
    palette = open_palette(qtbot, window)
    qtmodeltester.check(palette.model)

    names = palette.listed_names()
    assert "Escalate" in names
    assert "Propose Resolution" in names
    assert "Back to the Inbox" in names
    assert "Close Case" not in names  # the case is not resolved
    assert "Decide Approval" not in names  # nothing is pending
    assert "Command Palette" not in names
    escalate = palette.model.index(names.index("Escalate"), 0)
    assert escalate.data() == "Escalate"
    assert escalate.data(SHORTCUT_ROLE) == "E"
    assert escalate.data(Qt.ItemDataRole.AccessibleTextRole) == "Escalate, E"
    palette.reject()


def test_typing_filters_and_enter_runs_the_chosen_command(qtbot: QtBot, window: MainWindow) -> None:
    palette = open_palette(qtbot, window)

    type_text(qtbot, "prpres")
    assert palette.listed_names() == ["Propose Resolution"]
    with qtbot.waitSignal(window.workflow.dialog_opened, timeout=5000) as opened:
        press(qtbot, Qt.Key.Key_Return)

    assert not window.findChildren(CommandPalette), "the palette closed (and was deleted)"
    dialog = opened.args[0]
    assert isinstance(dialog, ResolutionDialog)
    qtbot.waitUntil(lambda: focused() is dialog.message)
    dialog.reject()


def test_arrows_choose_and_esc_closes_without_running_anything(qtbot: QtBot, window: MainWindow) -> None:
    palette = open_palette(qtbot, window)
    type_text(qtbot, "wait for")
    assert palette.listed_names() == ["Wait for Customer", "Wait for Engineering"]
    assert palette.current_action_id() == "case.await_customer"
    press(qtbot, Qt.Key.Key_Down)
    assert palette.current_action_id() == "case.await_engineering"
    opened: list[object] = []
    window.workflow.dialog_opened.connect(opened.append)

    with qtbot.waitSignal(palette.finished, timeout=1000):
        press(qtbot, Qt.Key.Key_Escape)

    assert window.is_showing_case(), "Esc closed the palette, not the case"
    assert opened == []


def test_a_search_without_matches_says_so(qtbot: QtBot, window: MainWindow) -> None:
    palette = open_palette(qtbot, window)
    type_text(qtbot, "zzz")
    assert palette.listed_names() == []
    assert palette.current_action_id() is None
    press(qtbot, Qt.Key.Key_Return)
    assert palette.isVisible()
    palette.reject()
