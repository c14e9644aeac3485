"""The Escalate dialog: recommendation explained, readiness with evidence, override rules, keyboard submit."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.domain.enums import Stage
from tests.ui.workflow_support import (
    NewCase,
    case_stage,
    focused,
    new_case,
    open_exposed,
    press,
    timeline_texts,
    transitions,
    type_text,
    workflow_data,
)
from ui.data_access import DataAccess
from ui.dialogs.escalate_dialog import EscalateDialog, load_escalation_inputs

__all__ = ["new_case", "workflow_data"]

CTRL = Qt.KeyboardModifier.ControlModifier


def open_dialog(qtbot: QtBot, db: DbRunner, data: DataAccess, case: NewCase) -> EscalateDialog:
    inputs = db.read(load_escalation_inputs, case.case_id, datetime.now(UTC)).result()
    dialog = EscalateDialog(data, inputs, case_label="Case #3001 · SSO login fails for every user")
    open_exposed(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.reason.hasFocus())
    return dialog


def cells(dialog: EscalateDialog, model_name: str) -> list[list[str]]:
    model = getattr(dialog, model_name)
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_shows_the_recommendation_with_every_signal_and_the_readiness_checklist(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, new_case: NewCase
) -> None:
    dialog = open_dialog(qtbot, db, workflow_data, new_case)

    assert dialog.windowTitle() == "Escalate Case"
    assert dialog.recommendation_label.text().startswith("Recommended: Tier ")
    assert dialog.route_label.text() == (
        "Routing: Priya Raman in Identity & SSO: 6 of 6 units free, the only one eligible (relaxed lang:en)."
    )
    signals = cells(dialog, "signals_model")
    fired = [row for row in signals if row[0].startswith("✓")]
    assert any("escalat" in row[0].lower() or "customer" in row[0].lower() for row in fired)
    assert any(row[0].startswith("–") for row in signals), "signals that did not fire are listed too"
    readiness = cells(dialog, "readiness_model")
    assert readiness, "the readiness checklist lists the required context"
    missing = [row for row in readiness if row[0].startswith("✗")]
    assert [row[1] for row in missing] == ["Missing: not found in the timeline"] * len(missing)
    assert dialog.missing_items == tuple(row[0].removeprefix("✗ ") for row in missing)
    assert dialog.override_reason.isEnabled() is bool(missing)
    assert dialog.tier.currentData() >= 2  # never the tier the case is already in


def test_activating_a_signal_found_in_the_timeline_asks_to_show_that_event(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, new_case: NewCase
) -> None:
    dialog = open_dialog(qtbot, db, workflow_data, new_case)
    model = dialog.signals_model
    row = next(
        row
        for row in range(model.rowCount())
        if model.row(row).evidence_event_id == new_case.events["complaint"]
    )
    assert model.index(row, 3).data() == "Show in timeline"
    dialog.signals_view.setFocus()
    dialog.signals_view.setCurrentIndex(model.index(row, 0))

    with qtbot.waitSignal(dialog.evidence_requested, timeout=1000) as shown:
        press(qtbot, Qt.Key.Key_Return)

    assert shown.args == [new_case.events["complaint"]]
    assert dialog.isVisible(), "Enter on a signal shows its evidence; it does not escalate"
    assert case_stage(db, new_case.case_id) is Stage.NEW


def test_missing_context_needs_an_override_reason(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, new_case: NewCase
) -> None:
    dialog = open_dialog(qtbot, db, workflow_data, new_case)
    assert dialog.missing_items, "the sample case lacks some required context"

    press(qtbot, Qt.Key.Key_Down)  # a reason
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "400 users blocked since the upgrade.")
    press(qtbot, Qt.Key.Key_Return, CTRL)

    assert dialog.problem == "Please fill in: override reason (required context is missing)."
    assert focused() is dialog.override_reason
    assert case_stage(db, new_case.case_id) is Stage.NEW


def test_escalating_with_the_keyboard_records_the_override_and_moves_the_case_to_requested(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, new_case: NewCase
) -> None:
    dialog = open_dialog(qtbot, db, workflow_data, new_case)
    tier = dialog.tier.currentData()

    press(qtbot, Qt.Key.Key_Down)  # the first reason code
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "400 users blocked since the upgrade.")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is dialog.override_reason
    type_text(qtbot, "The customer cannot sign in to collect logs.")
    with qtbot.waitSignal(dialog.completed, timeout=5000):
        press(qtbot, Qt.Key.Key_Enter, CTRL)

    assert case_stage(db, new_case.case_id) is Stage.REQUESTED
    assert transitions(db, new_case.case_id) == [("new", "requested", "escalated")]
    texts = "\n".join(timeline_texts(db, new_case.case_id))
    assert "400 users blocked since the upgrade." in texts
    assert f"tier {tier}" in texts.lower()
