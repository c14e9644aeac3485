"""Request and decide approvals: an amount for a credit, keyboard submit, a lead's decision, refusals."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.domain.enums import ApprovalKind, PersonRole, Stage
from core.workflow import ApprovalRequest, request_approval
from tests.ui.conftest import Sample
from tests.ui.workflow_support import (
    case_stage,
    focused,
    press,
    set_my_role,
    show_dialog,
    timeline_texts,
    type_text,
    workflow_data,
)
from ui.data_access import DataAccess
from ui.dialogs.approval_dialog import ApprovalDialog
from ui.dialogs.decide_approval_dialog import DecideApprovalDialog

__all__ = ["workflow_data"]

CTRL = Qt.KeyboardModifier.ControlModifier


def pending_approval(db: DbRunner, sample: Sample) -> int:
    request = ApprovalRequest(
        sample.id(1001), sample.me, ApprovalKind.CREDIT_REFUND, 12_050, "EUR", "Two days of downtime."
    )
    db.write(request_approval, request, datetime.now(UTC)).result()
    return 1


def test_a_credit_needs_an_amount_and_a_justification(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    dialog = ApprovalDialog(workflow_data, sample.id(1001))
    show_dialog(qtbot, dialog)
    assert focused() is dialog.kind
    assert dialog.selected_kind is ApprovalKind.CREDIT_REFUND

    press(qtbot, Qt.Key.Key_Return, CTRL)

    assert dialog.problem == "Please fill in: amount, justification."
    assert focused() is dialog.amount
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, Qt.Key.Key_Down)  # a policy exception has no amount
    assert not dialog.amount.isEnabled()
    dialog.submit()
    assert dialog.problem == "Please fill in: justification."
    assert case_stage(db, sample.id(1001)) is Stage.INVESTIGATING


def test_requesting_a_refund_with_the_keyboard_waits_for_approval(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    dialog = ApprovalDialog(workflow_data, sample.id(1001), case_label="Case #1001")
    show_dialog(qtbot, dialog)

    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.amount
    type_text(qtbot, "120.5")
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "eur")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Two days of downtime during their quarter close.")
    with qtbot.waitSignal(dialog.completed, timeout=5000):
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert case_stage(db, sample.id(1001)) is Stage.AWAITING_APPROVAL
    assert any("Credit/refund of 120.50 EUR" in text for text in timeline_texts(db, sample.id(1001)))


def decide_dialog(qtbot: QtBot, data: DataAccess, approval_id: int) -> DecideApprovalDialog:
    dialog = DecideApprovalDialog(
        data,
        approval_id,
        request_text="Credit or refund · EUR 120.50",
        justification="Two days of downtime.",
        requested_by="Priya Raman",
    )
    show_dialog(qtbot, dialog)
    return dialog


def test_only_a_lead_may_decide_and_the_refusal_is_shown_in_the_dialog(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    approval_id = pending_approval(db, sample)
    dialog = decide_dialog(qtbot, workflow_data, approval_id)

    with qtbot.waitSignal(dialog.problem_shown, timeout=5000):
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert dialog.problem.startswith("Only a lead or a manager can approve or deny a request")
    assert dialog.isVisible()
    assert case_stage(db, sample.id(1001)) is Stage.AWAITING_APPROVAL


def test_a_denial_needs_a_comment_and_lands_in_the_timeline(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, sample: Sample
) -> None:
    set_my_role(db, PersonRole.LEAD)
    approval_id = pending_approval(db, sample)
    dialog = decide_dialog(qtbot, workflow_data, approval_id)
    assert focused() is dialog.approve
    press(qtbot, Qt.Key.Key_Right)  # Deny
    assert dialog.deny.isChecked()

    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert dialog.problem == "Please fill in: a comment saying why the request is denied."
    assert focused() is dialog.comment

    type_text(qtbot, "Offer a service credit next quarter instead.")
    with qtbot.waitSignal(dialog.completed, timeout=5000):
        press(qtbot, Qt.Key.Key_Return, CTRL)

    assert case_stage(db, sample.id(1001)) is Stage.INVESTIGATING
    assert timeline_texts(db, sample.id(1001))[-1].endswith("Offer a service credit next quarter instead.")
