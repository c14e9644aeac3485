"""S (or a click on a clock) explains the case's SLA: policy, explanation lines, and the pause ledger."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.sla.types import CaseClocks, Metric
from core.sla.vendor import VendorSlaState, VendorSlaTarget, replace_vendor_targets
from tests.ui.conftest import Sample
from tests.ui.sla_support import T0, sample_clocks
from ui import sla_clocks
from ui.case_header import CaseHeaderWidget
from ui.data_access import DataAccess
from ui.dialogs.sla_dialog import SlaDialog
from ui.main_window import MainWindow
from ui.tones import Tone


def _fake_case_clocks(_session: Session, case_id: int, _now: datetime) -> CaseClocks:
    return sample_clocks(case_id)


@pytest.fixture
def fake_clocks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sla_clocks, "case_clocks", _fake_case_clocks)
    yield


@pytest.fixture
def window(qtbot: QtBot, data: DataAccess, sample: Sample, fake_clocks: None) -> MainWindow:
    main = MainWindow(data, workspace_label="acme-support")
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.inbox_loaded, timeout=5000):
        main.resize(1200, 800)
        main.show()
    qtbot.waitExposed(main)
    return main


def _open_case_with_clocks(qtbot: QtBot, window: MainWindow, case_id: int) -> CaseHeaderWidget:
    header = window.case_view.findChild(CaseHeaderWidget)
    assert header is not None
    with qtbot.waitSignal(header.sla.clocks_loaded, timeout=5000):
        window.open_case(case_id)
    qtbot.waitUntil(lambda: window.case_view.message == "", timeout=5000)
    return header


def _open_dialog() -> SlaDialog | None:
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, SlaDialog) and w.isVisible()]
    return dialogs[-1] if dialogs else None


def test_s_opens_the_explanation_and_the_pause_ledger(
    qtbot: QtBot, window: MainWindow, sample: Sample
) -> None:
    _open_case_with_clocks(qtbot, window, sample.id(1001))

    qtbot.keyClick(window.case_view, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: _open_dialog() is not None, timeout=3000)
    dialog = _open_dialog()
    assert dialog is not None

    assert dialog.windowTitle() == "SLA of case #1001"
    text = dialog.explanation.toPlainText()
    assert "• Policy Enterprise urgent (enterprise-urgent), version v3." in text
    assert "Resolution paused while awaiting the customer" in text
    ledger = dialog.ledger_model
    rows = [
        [ledger.index(r, c).data() for c in range(ledger.columnCount())] for r in range(ledger.rowCount())
    ]
    assert [row[0] for row in rows] == ["Yes — check", "No"]  # the customer wrote during the first pause
    assert [row[1] for row in rows] == ["Resolution", "Resolution"]
    assert rows[1][3] == "still paused"
    assert rows[0][4] == "Awaiting the customer"
    assert ledger.row(0).tone is Tone.WARNING
    assert dialog.flag_note.isVisibleTo(dialog)
    assert "The customer wrote during 1 pause" in dialog.flag_note.text()
    dialog.close()


def test_clicking_a_clock_opens_the_explanation(qtbot: QtBot, window: MainWindow, sample: Sample) -> None:
    header = _open_case_with_clocks(qtbot, window, sample.id(1001))

    qtbot.mouseClick(header.sla.chip(0), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _open_dialog() is not None, timeout=3000)
    dialog = _open_dialog()
    assert dialog is not None
    clock_texts = [dialog.clock_model.index(r, 0).data() for r in range(dialog.clock_model.rowCount())]
    assert clock_texts[0].startswith("Next reply · ")
    assert clock_texts[1:3] == ["Resolution · paused", "First reply · met"]
    assert clock_texts[3].startswith("Periodic update · overdue")
    dialog.close()


def test_explain_sla_is_a_case_view_command(window: MainWindow) -> None:
    action = window.action_registry.action("case.explain_sla")

    assert action.shortcut().toString() == "S"
    assert not action.isEnabled()  # the inbox is in front


def test_a_ledger_without_customer_messages_flags_nothing(qtbot: QtBot) -> None:
    clocks = sample_clocks(1)
    quiet = CaseClocks(**{**clocks.__dict__, "pause_ledger": clocks.pause_ledger[1:]})
    dialog = SlaDialog(quiet, now=T0)
    qtbot.addWidget(dialog)

    assert dialog.ledger_model.rowCount() == 1
    assert dialog.ledger_model.index(0, 0).data() == "No"
    assert not dialog.flag_note.isVisibleTo(dialog)


def _store_zendesk_targets(session: Session, case_id: int) -> None:
    replace_vendor_targets(
        session,
        case_id,
        "zendesk",
        [
            VendorSlaTarget(
                source="zendesk",
                metric="next_reply_time",
                state=VendorSlaState.RUNNING,
                due_at=T0 + timedelta(minutes=42),  # Handoff's next reply is due at T0 + 72 min
                policy_name="Enterprise SLA",
                handoff_metric=Metric.NEXT_REPLY,
            )
        ],
        T0,
    )


def test_a_synced_case_shows_the_helpdesks_own_sla_beside_handoffs_clock(
    qtbot: QtBot, window: MainWindow, sample: Sample, db: DbRunner
) -> None:
    db.write(_store_zendesk_targets, sample.id(1001)).result()
    header = _open_case_with_clocks(qtbot, window, sample.id(1001))
    qtbot.waitUntil(lambda: len(header.sla.vendor_targets) == 1, timeout=3000)

    qtbot.keyClick(window.case_view, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: _open_dialog() is not None, timeout=3000)
    dialog = _open_dialog()
    assert dialog is not None

    assert dialog.vendor_table.isVisible()
    model = dialog.vendor_model
    row = [model.index(0, column).data() for column in range(model.columnCount())]
    assert row[:3] == ["Zendesk", "Next reply time (Enterprise SLA)", "running"]
    assert row[4].endswith("(30 min later)")  # Handoff would warn after Zendesk already counts a breach
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == (
        "The helpdesk expects this before Handoff's clock does."
    )


def test_a_local_case_has_no_helpdesk_section(qtbot: QtBot, window: MainWindow, sample: Sample) -> None:
    _open_case_with_clocks(qtbot, window, sample.id(1001))

    qtbot.keyClick(window.case_view, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: _open_dialog() is not None, timeout=3000)
    dialog = _open_dialog()
    assert dialog is not None

    assert not dialog.vendor_table.isVisible()
