"""A specialist takes one case from Escalate to Close with the keyboard only; each step is in the timeline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.domain.enums import Stage
from tests.ui.workflow_support import (
    NewCase,
    case_stage,
    focused,
    new_case,
    press,
    qt_garbage_collected_here,
    timeline_texts,
    transitions,
    type_text,
    workflow_data,
)
from ui.data_access import DataAccess
from ui.dialogs.form_dialog import FormDialog
from ui.main_window import MainWindow

__all__ = ["new_case", "qt_garbage_collected_here", "workflow_data"]

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot: QtBot, workflow_data: DataAccess, new_case: NewCase) -> MainWindow:
    main = MainWindow(workflow_data, workspace_label="acme-support")
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.inbox_loaded, timeout=5000):
        main.resize(1200, 800)
        main.show()
    qtbot.waitActive(main)
    return main


def wait_for_stage(qtbot: QtBot, window: MainWindow, stage: Stage) -> None:
    def reached() -> bool:
        context = window.workflow.context
        return context is not None and context.state.stage is stage

    qtbot.waitUntil(reached, timeout=5000)


def run_command(qtbot: QtBot, window: MainWindow, words: str) -> None:
    """Ctrl+K, type ``words``, Enter."""
    with qtbot.waitSignal(window.palette_opened, timeout=1000) as opened:
        press(qtbot, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: opened.args[0].search.hasFocus())
    type_text(qtbot, words)
    press(qtbot, Qt.Key.Key_Return)


def open_dialog_with(qtbot: QtBot, window: MainWindow, words: str) -> FormDialog:
    """Run a command that opens a dialog; returns it once it has the keyboard focus."""
    with qtbot.waitSignal(window.workflow.dialog_opened, timeout=5000) as opened:
        run_command(qtbot, window, words)
    dialog: FormDialog = opened.args[0]
    qtbot.waitUntil(lambda: dialog.isAncestorOf(focused()))
    return dialog


def submit(qtbot: QtBot, dialog: FormDialog) -> None:
    with qtbot.waitSignal(dialog.completed, timeout=5000):
        press(qtbot, Qt.Key.Key_Return, CTRL)


def test_from_escalate_to_close_with_the_keyboard_only(
    qtbot: QtBot, db: DbRunner, window: MainWindow, new_case: NewCase
) -> None:
    # Find the tier-1 case under "All cases" (Ctrl+6) and open it.
    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        press(qtbot, Qt.Key.Key_6, CTRL)
    press(qtbot, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        press(qtbot, Qt.Key.Key_Return)
    wait_for_stage(qtbot, window, Stage.NEW)

    # E: escalate, overriding the missing context.
    with qtbot.waitSignal(window.workflow.dialog_opened, timeout=5000) as opened:
        press(qtbot, Qt.Key.Key_E)
    escalate = opened.args[0]
    qtbot.waitUntil(lambda: focused() is escalate.reason)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "All 400 users are blocked since the upgrade.")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Nobody can sign in to reproduce it.")
    submit(qtbot, escalate)
    wait_for_stage(qtbot, window, Stage.REQUESTED)

    run_command(qtbot, window, "triaged")
    wait_for_stage(qtbot, window, Stage.TRIAGED)
    run_command(qtbot, window, "start inv")
    wait_for_stage(qtbot, window, Stage.INVESTIGATING)

    approval = open_dialog_with(qtbot, window, "request appr")
    press(qtbot, Qt.Key.Key_Down)  # a policy exception: no amount
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Extend the trial licence while SSO is down.")
    submit(qtbot, approval)
    wait_for_stage(qtbot, window, Stage.AWAITING_APPROVAL)

    decision = open_dialog_with(qtbot, window, "decide")
    submit(qtbot, decision)  # approve: "me" is a lead
    wait_for_stage(qtbot, window, Stage.INVESTIGATING)

    proposal = open_dialog_with(qtbot, window, "propose")
    type_text(qtbot, "We rotated the signing certificate. Please sign in again.")
    submit(qtbot, proposal)
    wait_for_stage(qtbot, window, Stage.RESOLUTION_PROPOSED)

    confirmation = open_dialog_with(qtbot, window, "confirmation")
    submit(qtbot, confirmation)  # confirmed
    wait_for_stage(qtbot, window, Stage.RESOLVED)

    closure = open_dialog_with(qtbot, window, "close case")
    type_text(qtbot, "Rotated the SAML signing certificate.")
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Down)  # Product defect
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "The upgrade kept the expired certificate.")
    submit(qtbot, closure)
    wait_for_stage(qtbot, window, Stage.CLOSED)

    assert case_stage(db, new_case.case_id) is Stage.CLOSED
    assert transitions(db, new_case.case_id) == [
        ("new", "requested", "escalated"),
        ("requested", "triaged", "normal"),
        ("triaged", "investigating", "normal"),
        ("investigating", "awaiting_approval", "normal"),
        ("awaiting_approval", "investigating", "normal"),
        ("investigating", "resolution_proposed", "normal"),
        ("resolution_proposed", "resolved", "normal"),
        ("resolved", "closed", "normal"),
    ]
    timeline = "\n".join(timeline_texts(db, new_case.case_id))
    for expected in (
        "All 400 users are blocked since the upgrade.",
        "Approval requested: Policy exception",
        "We rotated the signing certificate. Please sign in again.",
        "The customer confirmed the resolution.",
        "Resolution: Rotated the SAML signing certificate.",
    ):
        assert expected in timeline
    decisions = [line for line in timeline.splitlines() if "approved" in line.lower()]
    assert decisions and "Policy exception" in decisions[0]
    assert window.is_showing_case()
    assert not window.action_registry.action("case.close").isEnabled()
    assert not window.action_registry.action("case.escalate").isEnabled()
