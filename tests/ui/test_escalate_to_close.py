"""A specialist takes one case from Escalate to Close with the keyboard only; each step is in the timeline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.domain.enums import ReasonCode, Stage
from core.workflow import EscalationRequest, change_stage, escalate_case, propose_resolution
from tests.ui.workflow_support import (
    NewCase,
    active_main_window,
    case_stage,
    focused,
    new_case,
    press,
    timeline_texts,
    transitions,
    type_text,
    workflow_data,
)
from ui.data_access import DataAccess
from ui.dialogs.form_dialog import FormDialog
from ui.main_window import MainWindow

__all__ = ["new_case", "workflow_data"]

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot: QtBot, workflow_data: DataAccess, new_case: NewCase) -> MainWindow:
    return active_main_window(qtbot, workflow_data)


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


def test_not_fixed_and_re_escalate_opens_the_escalate_dialog_for_a_higher_tier(
    qtbot: QtBot, db: DbRunner, window: MainWindow, new_case: NewCase
) -> None:
    db.write(_escalate_and_propose, new_case).result()
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        window.open_case(new_case.case_id)
    wait_for_stage(qtbot, window, Stage.RESOLUTION_PROPOSED)

    confirmation = open_dialog_with(qtbot, window, "confirmation")
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)  # Not fixed: re-escalate
    assert confirmation.re_escalate.isChecked()
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Still failing for the EU tenant.")
    with qtbot.waitSignal(window.workflow.dialog_opened, timeout=5000) as opened:
        press(qtbot, Qt.Key.Key_Return, CTRL)

    escalate = opened.args[0]
    assert escalate.windowTitle() == "Re-escalate Case"
    assert [escalate.tier.itemData(row) for row in range(escalate.tier.count())] == [3]
    assert case_stage(db, new_case.case_id) is Stage.INVESTIGATING
    assert transitions(db, new_case.case_id)[-1] == ("resolution_proposed", "investigating", "returned")
    escalate.reject()


def test_e_in_the_inbox_escalates_the_current_row(
    qtbot: QtBot, window: MainWindow, new_case: NewCase
) -> None:
    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        press(qtbot, Qt.Key.Key_6, CTRL)
    press(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(
        lambda: window.workflow.context is not None and window.workflow.case_id == new_case.case_id
    )

    with qtbot.waitSignal(window.workflow.dialog_opened, timeout=5000) as opened:
        press(qtbot, Qt.Key.Key_E)

    escalate = opened.args[0]
    assert escalate.windowTitle() == "Escalate Case"
    assert not window.is_showing_case()
    escalate.reject()


def test_a_refused_stage_change_is_explained_in_the_status_bar(
    qtbot: QtBot, db: DbRunner, window: MainWindow, new_case: NewCase
) -> None:
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        window.open_case(new_case.case_id)
    wait_for_stage(qtbot, window, Stage.NEW)

    window.workflow.move_to(Stage.INVESTIGATING)  # as a stale menu entry would

    qtbot.waitUntil(lambda: "cannot go to Investigating" in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage().startswith("A case in New cannot go to Investigating.")
    assert case_stage(db, new_case.case_id) is Stage.NEW


def _escalate_and_propose(session: Session, case: NewCase) -> None:
    now = datetime.now(UTC)
    request = EscalationRequest(
        case.case_id,
        case.me,
        2,
        None,
        ReasonCode.CUSTOMER_REQUEST,
        "Blocked.",
        "No logs yet.",
        2,
        None,
        None,
        ("logs",),
    )
    escalate_case(session, request, now)
    change_stage(session, case.case_id, Stage.TRIAGED, case.me, "", now)
    change_stage(session, case.case_id, Stage.INVESTIGATING, case.me, "", now)
    propose_resolution(session, case.case_id, case.me, "Please try again.", now)
