"""The action registry and shortcuts: one action per command for menus, shortcuts and the palette."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTextBrowser, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.domain.enums import DraftChannel, Stage
from tests.ui.conftest import Sample
from tests.ui.workflow_support import (
    active_main_window,
    case_stage,
    focused,
    press,
    type_text,
    workflow_data,
)
from ui.actions import CASE_VIEWS, ActionRegistry, ActionSpec, TypingShortcutGuard, ViewName
from ui.case_header import CaseHeaderWidget
from ui.data_access import DataAccess
from ui.dialogs.escalate_dialog import EscalateDialog
from ui.main_window import MainWindow

__all__ = ["workflow_data"]


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


@pytest.fixture
def typing_window(qtbot: QtBot) -> tuple[QMainWindow, QLineEdit, QTextBrowser, Counter, Counter]:
    window = QMainWindow()
    qtbot.addWidget(window)
    registry = ActionRegistry(window)
    escalations, palettes = Counter(), Counter()
    registry.register(ActionSpec("case.escalate", "&Escalate…", escalations, "E"))
    registry.register(ActionSpec("go.palette", "Command &Palette…", palettes, "Ctrl+K"))
    field = QLineEdit()
    reading = QTextBrowser()
    reading.setPlainText("A read-only timeline.")
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.addWidget(field)
    layout.addWidget(reading)
    window.setCentralWidget(body)
    guard = TypingShortcutGuard(window)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(guard)
    window.show()
    qtbot.waitActive(window)
    return window, field, reading, escalations, palettes


def test_a_single_key_shortcut_types_text_in_a_field_and_runs_elsewhere(
    qtbot: QtBot, typing_window: tuple[QMainWindow, QLineEdit, QTextBrowser, Counter, Counter]
) -> None:
    _window, field, reading, escalations, _palettes = typing_window
    field.setFocus()
    qtbot.keyClicks(field, "Escalate me")
    assert field.text() == "Escalate me"
    assert escalations.count == 0

    reading.setFocus()
    qtbot.keyClick(reading, Qt.Key.Key_E)
    assert escalations.count == 1


def test_chorded_shortcuts_still_work_while_typing(
    qtbot: QtBot, typing_window: tuple[QMainWindow, QLineEdit, QTextBrowser, Counter, Counter]
) -> None:
    _window, field, _reading, _escalations, palettes = typing_window
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert palettes.count == 1
    assert field.text() == ""


def test_an_action_applies_only_in_its_views_and_only_when_enabled(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    registry = ActionRegistry(window)
    calls = Counter()
    allowed = [False]
    registry.register(
        ActionSpec("case.close", "C&lose Case…", calls, views=CASE_VIEWS, is_enabled=lambda: allowed[0])
    )

    registry.trigger("case.close")
    registry.set_view(ViewName.CASE)
    registry.trigger("case.close")
    assert calls.count == 0
    assert registry.available() == []

    allowed[0] = True
    assert [spec.plain_text for spec in registry.available()] == ["Close Case"]
    registry.trigger("case.close")
    assert calls.count == 1
    registry.set_view(ViewName.INBOX)
    assert not registry.action("case.close").isEnabled()


@pytest.fixture
def window(qtbot: QtBot, workflow_data: DataAccess, sample: Sample) -> MainWindow:
    return active_main_window(qtbot, workflow_data)


def open_case(qtbot: QtBot, window: MainWindow, case_id: int) -> None:
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        window.open_case(case_id)
    qtbot.waitUntil(lambda: window.workflow.context is not None and window.workflow.case_id == case_id)


def menu_actions(window: MainWindow) -> set[QAction]:
    found: set[QAction] = set()
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is not None:
            found.update(action for action in menu.actions() if not action.isSeparator())
    return found


def test_every_command_has_a_menu_entry_and_the_listed_shortcuts(window: MainWindow) -> None:
    registered = {window.action_registry.action(action_id) for action_id in window.action_registry.ids()}
    assert registered <= menu_actions(window)
    shortcuts = {
        action.objectName(): action.shortcut().toString()
        for action in registered
        if not action.shortcut().isEmpty()
    }
    assert shortcuts["case.escalate"] == "E"
    assert shortcuts["case.reply"] == "R"
    assert shortcuts["case.internal_note"] == "Shift+R"
    assert shortcuts["case.investigation_note"] == "N"
    assert shortcuts["go.palette"] == "Ctrl+K"
    assert shortcuts["go.back"] == "Esc"
    assert shortcuts["view.search"] == QKeySequence(QKeySequence.StandardKey.Find).toString()
    assert [shortcuts[f"view.{view}"] for view in ("my_cases", "my_team", "all_open")] == [
        "Ctrl+1",
        "Ctrl+2",
        "Ctrl+3",
    ]
    assert len(set(shortcuts.values())) == len(shortcuts), "no two commands share a shortcut"


def test_e_in_the_case_view_opens_the_escalate_dialog(
    qtbot: QtBot, window: MainWindow, sample: Sample
) -> None:
    open_case(qtbot, window, sample.id(1001))
    assert window.action_registry.action("case.escalate").isEnabled()  # re-escalation from investigating

    with qtbot.waitSignal(window.workflow.dialog_opened, timeout=5000) as opened:
        qtbot.keyClick(window.case_view.timeline.browser, Qt.Key.Key_E)

    dialog = opened.args[0]
    assert isinstance(dialog, EscalateDialog)
    assert dialog.windowTitle() == "Re-escalate Case"
    assert dialog.tier.currentData() == 3
    dialog.reject()


def test_typing_e_in_the_search_box_searches_instead_of_escalating(
    qtbot: QtBot, window: MainWindow, sample: Sample
) -> None:
    qtbot.waitUntil(lambda: window.workflow.context is not None)
    assert window.action_registry.action("case.escalate").isEnabled()  # on the inbox's current row
    opened: list[object] = []
    window.workflow.dialog_opened.connect(opened.append)
    search = window.inbox.search_field
    search.setFocus()

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        qtbot.keyClicks(search, "escalate")

    assert search.text() == "escalate"
    qtbot.wait(50)
    assert opened == []


def test_a_stage_command_moves_the_case_and_refreshes_what_is_enabled(
    qtbot: QtBot, db: DbRunner, window: MainWindow, sample: Sample
) -> None:
    open_case(qtbot, window, sample.id(1001))
    await_customer = window.action_registry.action("case.await_customer")
    assert await_customer.isEnabled()
    assert not window.action_registry.action("case.close").isEnabled()

    await_customer.trigger()

    qtbot.waitUntil(
        lambda: (
            window.workflow.context is not None
            and window.workflow.context.state.stage is Stage.AWAITING_CUSTOMER
        )
    )
    assert case_stage(db, sample.id(1001)) is Stage.AWAITING_CUSTOMER
    assert not await_customer.isEnabled()
    assert window.action_registry.action("case.investigate").isEnabled()


def test_case_commands_are_disabled_in_the_case_view_until_a_case_is_loaded_and_back_only_there(
    qtbot: QtBot, window: MainWindow, sample: Sample
) -> None:
    assert not window.action_registry.action("go.back").isEnabled()
    assert not window.action_registry.action("case.reply").isEnabled()  # case view only
    open_case(qtbot, window, sample.id(1001))
    assert window.action_registry.action("go.back").isEnabled()
    window.show_inbox()
    assert not window.action_registry.action("go.back").isEnabled()


def test_r_starts_a_reply_and_typing_r_n_e_in_it_is_just_text(
    qtbot: QtBot, window: MainWindow, sample: Sample
) -> None:
    open_case(qtbot, window, sample.id(1001))
    opened: list[object] = []
    window.workflow.dialog_opened.connect(opened.append)
    composer = window.case_view.composer
    qtbot.waitUntil(composer.isEnabled)  # once the case's drafts are loaded

    qtbot.keyClick(window.case_view.timeline.browser, Qt.Key.Key_R)

    qtbot.waitUntil(lambda: focused() is composer.editor)
    assert composer.channel is DraftChannel.PUBLIC_REPLY
    type_text(qtbot, "Renewed the Entra certificate")
    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    # QTest types a lower-case letter even with Shift; what matters is that it was typed.
    assert composer.editor.toPlainText().lower() == "renewed the entra certificater"
    assert composer.channel is DraftChannel.PUBLIC_REPLY, "Shift+R typed a capital R"
    qtbot.wait(50)
    assert opened == [], "E typed a letter; it did not open the Escalate dialog"


def test_shift_r_starts_an_internal_note_and_n_an_investigation_note(
    qtbot: QtBot, window: MainWindow, sample: Sample
) -> None:
    open_case(qtbot, window, sample.id(1001))
    browser = window.case_view.timeline.browser
    qtbot.waitUntil(
        lambda: window.case_view.composer.isEnabled() and window.case_view.note_editor.isEnabled()
    )

    qtbot.keyClick(browser, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: focused() is window.case_view.composer.editor)
    assert window.case_view.composer.channel is DraftChannel.INTERNAL_NOTE

    qtbot.keyClick(browser, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.case_view.note_editor.isAncestorOf(focused()))


def test_the_case_header_offers_the_next_steps_that_apply_now(
    qtbot: QtBot, db: DbRunner, window: MainWindow, sample: Sample
) -> None:
    open_case(qtbot, window, sample.id(1001))
    bar = window.case_view.findChild(CaseHeaderWidget).next_steps

    qtbot.waitUntil(lambda: "Propose Resolution" in bar.visible_texts())
    assert bar.visible_texts() == [
        "Escalate",
        "Wait for Customer",
        "Wait for Engineering",
        "Request Approval",
        "Propose Resolution",
    ]

    window.action_registry.action("case.await_customer").trigger()
    qtbot.waitUntil(lambda: bar.visible_texts() == ["Escalate", "Start Investigating"])
