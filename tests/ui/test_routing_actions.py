"""RoutingActions as a lead uses it: move, confirm a broken rule or cancel, choose in "Move to…", undo."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.domain.enums import Stage
from core.routing.moves import TriageDecision
from tests.ui.routing_support import (
    INVESTIGATING_NUMBER,
    Org,
    mark_outbox_sent,
    org,
    outbox_operations,
    placement,
    routes_of,
)
from tests.ui.workflow_support import workflow_data
from ui.data_access import DataAccess
from ui.dialogs.move_to_dialog import MoveToDialog
from ui.dialogs.rule_confirm_dialog import RuleConfirmDialog
from ui.routing_actions import RoutingActions

__all__ = ["org", "workflow_data"]

WAIT_MS = 5000


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def routing(workflow_data: DataAccess, window: QWidget) -> RoutingActions:
    return RoutingActions(workflow_data, window)


def opened_dialog(qtbot: QtBot, routing: RoutingActions, start: object) -> QDialog:
    """Run ``start()`` and return the dialog RoutingActions opens (closed by qtbot after the test)."""
    with qtbot.waitSignal(routing.dialog_opened, timeout=WAIT_MS) as blocker:
        start()  # type: ignore[operator]
    dialog = blocker.args[0]
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_a_move_within_the_rules_is_written_at_once_with_its_outbox_entry(
    qtbot: QtBot,
    db: DbRunner,
    org: Org,
    routing: RoutingActions,
) -> None:
    case = org.case(INVESTIGATING_NUMBER)
    reports: list[str] = []
    routing.reported.connect(reports.append)

    with qtbot.waitSignal(routing.moved, timeout=WAIT_MS) as moved:
        routing.move([case], org.sso, org.marco)

    assert moved.args[1] == 1
    assert placement(db, case).team_id == org.sso
    assert placement(db, case).assignee_id == org.marco
    assert ("assign", "pending") in outbox_operations(db, case)
    assert routing.can_undo
    assert reports == ["Moved 1 case to SSO Specialists → Marco Bellini. Ctrl+Z to undo."]


def test_a_move_that_breaks_a_rule_asks_first_and_cancel_writes_nothing(
    qtbot: QtBot,
    db: DbRunner,
    org: Org,
    routing: RoutingActions,
) -> None:
    case = org.case(INVESTIGATING_NUMBER)
    moves: list[str] = []
    routing.moved.connect(moves.append)

    dialog = opened_dialog(qtbot, routing, lambda: routing.move([case], org.api, org.jonas))

    assert isinstance(dialog, RuleConfirmDialog)
    assert dialog.messages() == [
        "Skill missing: Jonas Weber has area:sso at level 2, the case needs 5",
    ]
    assert dialog.windowTitle() == "Confirm Move"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.wait(200)  # nothing is on its way either
    assert moves == []
    assert placement(db, case).assignee_id == org.priya
    assert routes_of(db, case) == []
    assert not routing.can_undo


def test_confirming_a_broken_rule_writes_the_move_with_the_overridden_rule(
    qtbot: QtBot,
    db: DbRunner,
    org: Org,
    routing: RoutingActions,
) -> None:
    case = org.case(INVESTIGATING_NUMBER)
    dialog = opened_dialog(qtbot, routing, lambda: routing.move([case], org.api, org.jonas))
    assert isinstance(dialog, RuleConfirmDialog)
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.isDefault(), "Enter must not override a rule by accident"

    with qtbot.waitSignal(routing.moved, timeout=WAIT_MS):
        dialog.confirm_button.click()

    assert placement(db, case) == placement(db, case).__class__(org.api, org.jonas, Stage.INVESTIGATING)
    [route] = routes_of(db, case)
    assert json.loads(route.overridden_rules_json or "[]") == ["skill_missing"]


def test_undo_puts_the_cases_back(
    qtbot: QtBot,
    db: DbRunner,
    org: Org,
    routing: RoutingActions,
) -> None:
    case = org.case(INVESTIGATING_NUMBER)
    with qtbot.waitSignal(routing.moved, timeout=WAIT_MS):
        routing.move([case], org.sso, org.marco)
    availability: list[bool] = []
    routing.undo_available_changed.connect(availability.append)

    with qtbot.waitSignal(routing.undone, timeout=WAIT_MS):
        routing.undo()

    assert placement(db, case).assignee_id == org.priya
    assert not routing.can_undo
    assert availability == [False]


def test_undo_after_sync_took_the_move_says_why_and_drops_it(
    qtbot: QtBot,
    db: DbRunner,
    org: Org,
    routing: RoutingActions,
) -> None:
    case = org.case(INVESTIGATING_NUMBER)
    with qtbot.waitSignal(routing.moved, timeout=WAIT_MS):
        routing.move([case], org.sso, org.marco)
    mark_outbox_sent(db, case)

    with qtbot.waitSignal(routing.problem_occurred, timeout=WAIT_MS) as problem:
        routing.undo()

    assert problem.args[0] == "Case #5010 was already sent to the helpdesk; move it back instead."
    assert placement(db, case).assignee_id == org.marco
    assert not routing.can_undo


def test_move_to_filters_as_you_type_and_enter_moves(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    db: DbRunner,
    org: Org,
    routing: RoutingActions,
) -> None:
    case = org.case(INVESTIGATING_NUMBER)
    dialog = opened_dialog(qtbot, routing, lambda: routing.choose_and_move([case]))
    assert isinstance(dialog, MoveToDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 7)
    qtmodeltester.check(dialog.model)
    assert dialog.visible_texts() == [
        "API Specialists — 0/6 units",
        "Jonas Weber — 0/6 units",
        "Billing Specialists — 0/6 units",
        "Ana Costa — 0/6 units",
        "SSO Specialists — 2/12 units",
        "Marco Bellini — 0/6 units",
        "Priya Raman — 2/6 units",
    ]
    assert dialog.filter_field.hasFocus()

    qtbot.keyClicks(dialog.filter_field, "bil")
    assert dialog.visible_texts() == ["Billing Specialists — 0/6 units", "Ana Costa — 0/6 units"]
    qtbot.keyClick(dialog.filter_field, Qt.Key.Key_Down)
    assert dialog.current_target() is not None
    assert dialog.current_target().person_name == "Ana Costa"  # type: ignore[union-attr]
    # Ana does not know SSO: the panel says so before anything is written.
    qtbot.waitUntil(lambda: "Skill missing: Ana Costa" in dialog.explanation.toPlainText())

    qtbot.keyClick(dialog.filter_field, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.filter_field, Qt.Key.Key_Tab)
    assert dialog.reason_field.hasFocus()
    qtbot.keyClicks(dialog.reason_field, "The invoice export is the real problem")
    with qtbot.waitSignal(routing.moved, timeout=WAIT_MS):
        qtbot.keyClick(dialog.reason_field, Qt.Key.Key_Return)  # the team itself: no rule broken

    assert not dialog.isVisible()
    assert placement(db, case) == placement(db, case).__class__(org.billing, None, Stage.INVESTIGATING)
    [route] = routes_of(db, case)
    assert route.reason == "The invoice export is the real problem"


def test_a_reason_written_while_confirming_is_recorded_and_enter_then_confirms(
    qtbot: QtBot, db: DbRunner, org: Org, routing: RoutingActions
) -> None:
    case = org.case(INVESTIGATING_NUMBER)
    dialog = opened_dialog(qtbot, routing, lambda: routing.move([case], org.api, org.jonas))
    assert isinstance(dialog, RuleConfirmDialog)
    dialog.reason_field.setFocus()
    qtbot.keyClicks(dialog.reason_field, "Jonas pairs with Priya on SSO this week")

    with qtbot.waitSignal(routing.moved, timeout=WAIT_MS):
        qtbot.keyClick(dialog.reason_field, Qt.Key.Key_Return)

    [route] = routes_of(db, case)
    assert route.reason == "Jonas pairs with Priya on SSO this week"
    assert json.loads(route.overridden_rules_json or "[]") == ["skill_missing"]


def test_a_refused_triage_is_reported_and_leaves_nothing_to_undo(
    qtbot: QtBot, db: DbRunner, org: Org, routing: RoutingActions
) -> None:
    case = org.case(INVESTIGATING_NUMBER)  # being investigated: not waiting for triage

    with qtbot.waitSignal(routing.problem_occurred, timeout=WAIT_MS) as problem:
        routing.accept([TriageDecision(case_id=case, team_id=org.api, person_id=None)])

    assert "#5010" in problem.args[0]
    assert placement(db, case).team_id == org.sso
    assert not routing.can_undo
