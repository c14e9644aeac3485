"""The Outbox view: what waits for the helpdesk, and retry / edit and retry / discard / resolve."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.communication.messages import OutgoingMessage, send_message
from core.db.models import TimelineEventRow
from core.db.runner import DbRunner
from core.domain.enums import DraftChannel, OutboxState, Stage
from core.remote.delivery import outbox_items
from tests.core.remote.builders import T0
from tests.ui.sync_support import (
    REFUSED,
    ZendeskCases,
    conflict,
    fail,
    move_stage,
    reply,
    timeline_texts,
    wait_to_retry,
    zendesk_cases,
)
from ui.data_access import DataAccess
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.dialogs.outbox_edit_dialog import OutboxEditDialog
from ui.outbox_view import OutboxModel, OutboxView
from ui.sync_status import OutboxFilter


@pytest.fixture
def cases(db: DbRunner) -> ZendeskCases:
    return zendesk_cases(db)


def _open(qtbot: QtBot, data: DataAccess) -> OutboxView:
    view = OutboxView(data)
    qtbot.addWidget(view)
    with qtbot.wait_signal(view.loaded):
        pass
    view.show()
    return view


def _meta_of_last_event(session: Session, case_id: int) -> dict[str, str]:
    last = session.scalars(
        select(TimelineEventRow)
        .where(TimelineEventRow.case_id == case_id)
        .order_by(TimelineEventRow.id.desc())
    ).first()
    assert last is not None and last.meta_json is not None
    return dict(json.loads(last.meta_json))


def _texts(view: OutboxView, column: int) -> list[str]:
    model = view.model
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]


def test_lists_every_undelivered_change_with_its_case_state_and_answer(
    qtbot: QtBot, data: DataAccess, db: DbRunner, cases: ZendeskCases, qtmodeltester: object
) -> None:
    refused = reply(db, cases.first, cases.author, "Here is the **workaround**.")
    fail(db, refused)
    waiting = move_stage(db, cases.second, cases.author, Stage.AWAITING_CUSTOMER)
    wait_to_retry(db, waiting, "Zendesk cannot be reached (connection refused)")

    view = _open(qtbot, data)

    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    assert _texts(view, OutboxModel.STATE) == ["Failed", "Waiting"]
    first_case, second_case = _texts(view, OutboxModel.CASE)
    assert "SSO login loops" in first_case and first_case.startswith("#")
    assert "Export fails on large accounts" in second_case
    assert _texts(view, OutboxModel.CHANGE)[0].startswith("Public reply: Here is the workaround.")
    assert "Stage change" in _texts(view, OutboxModel.CHANGE)[1]
    assert _texts(view, OutboxModel.PROBLEM) == [
        REFUSED,
        "Will try again: Zendesk cannot be reached (connection refused)",
    ]
    assert _texts(view, OutboxModel.ATTEMPTS) == ["1", "1"]


def test_the_filter_shows_only_failed_entries_and_says_when_nothing_is_left(
    qtbot: QtBot, data: DataAccess, db: DbRunner, cases: ZendeskCases
) -> None:
    fail(db, reply(db, cases.first, cases.author, "Refused text"))
    move_stage(db, cases.second, cases.author, Stage.AWAITING_CUSTOMER)
    view = _open(qtbot, data)

    view.set_filter(OutboxFilter.FAILED)
    assert _texts(view, OutboxModel.STATE) == ["Failed"]
    assert view.filter_box.currentText() == "Failed"
    view.set_filter(OutboxFilter.CONFLICT)
    assert view.model.rowCount() == 0
    assert view.empty_label.isVisible()
    assert "Nothing waits" in view.empty_label.text()


def test_buttons_follow_the_selected_entry(
    qtbot: QtBot, data: DataAccess, db: DbRunner, cases: ZendeskCases
) -> None:
    failed = reply(db, cases.first, cases.author, "Refused text")
    fail(db, failed)
    move_stage(db, cases.second, cases.author, Stage.AWAITING_CUSTOMER)
    view = _open(qtbot, data)

    buttons = (view.retry_button, view.edit_button, view.resolve_button, view.discard_button)
    assert view.selected_item() is not None  # the first entry is selected from the start
    view.table.clearSelection()
    assert [button.isEnabled() for button in buttons] == [False] * 4  # nothing selected
    view.table.selectRow(0)  # the failed reply
    assert [button.isEnabled() for button in buttons] == [True, True, False, True]
    assert REFUSED in view.detail.text()
    view.table.selectRow(1)  # a waiting stage change: nothing to retry yet; its reason can be corrected
    assert [button.isEnabled() for button in buttons] == [False, True, False, True]


def test_retry_puts_a_failed_entry_back_in_the_queue(
    qtbot: QtBot, data: DataAccess, db: DbRunner, cases: ZendeskCases
) -> None:
    failed = reply(db, cases.first, cases.author, "Refused text")
    fail(db, failed)
    view = _open(qtbot, data)
    view.table.selectRow(0)

    with qtbot.wait_signal(view.loaded):  # the change set names the entry: the list reloads
        view.retry_button.click()

    assert _texts(view, OutboxModel.STATE) == ["Waiting"]
    assert _texts(view, OutboxModel.PROBLEM) == [""]
    assert "next sync" in view.status.text()
    assert view.selected_item() is not None  # the entry stays selected across the reload


def test_edit_and_retry_sends_the_corrected_text(
    qtbot: QtBot, data: DataAccess, db: DbRunner, cases: ZendeskCases
) -> None:
    failed = reply(db, cases.first, cases.author, "A reply that is far too long")
    fail(db, failed)
    view = _open(qtbot, data)
    view.table.selectRow(0)

    dialog = view.edit_selected()
    assert dialog is not None
    editor = dialog.editors["body_text"]
    assert list(dialog.editors) == ["body_text"]
    assert editor.toPlainText() == "A reply that is far too long"
    editor.setPlainText("")
    assert not dialog.retry_button.isEnabled()  # an empty reply cannot be sent
    editor.setPlainText("A *shorter* reply.")
    with qtbot.wait_signal(view.loaded):
        dialog.retry_button.click()

    item = db.read(outbox_items).result()[0]
    assert item.entry.state is OutboxState.PENDING
    assert item.entry.payload["body_text"] == "A shorter reply."
    assert "<em>shorter</em>" in str(item.entry.payload["body_html"])
    # The case's timeline shows what will be sent, and the first version is kept with the event.
    assert timeline_texts(db, cases.first)[-1] == "A shorter reply."
    assert db.read(_meta_of_last_event, cases.first).result()["text_before_edit"] == (
        "A reply that is far too long"
    )


def test_discard_asks_first_then_the_entry_is_gone_and_a_copy_stays_in_the_timeline(
    qtbot: QtBot, data: DataAccess, db: DbRunner, cases: ZendeskCases
) -> None:
    failed = reply(db, cases.first, cases.author, "Please send us the HAR file.")
    fail(db, failed)
    view = _open(qtbot, data)
    view.table.selectRow(0)

    box = view.discard_selected()
    assert box is not None
    assert "will not be sent" in box.text()
    assert "copy stays in the timeline" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert db.read(outbox_items).result()[0].entry.id == failed  # cancelled: still there

    box = view.discard_selected()
    assert box is not None
    discard = next(b for b in box.buttons() if b.text().replace("&", "") == "Discard")
    with qtbot.wait_signal(view.loaded):
        discard.click()

    assert view.model.rowCount() == 0
    assert "copy stays" in view.status.text()
    assert (
        timeline_texts(db, cases.first)[-1]
        == "Not sent to Zendesk: Public reply: Please send us the HAR file."
    )


def test_a_conflict_opens_the_side_by_side_dialog(
    qtbot: QtBot, data: DataAccess, db: DbRunner, cases: ZendeskCases
) -> None:
    entry = move_stage(db, cases.first, cases.author, Stage.AWAITING_CUSTOMER)
    conflict(db, entry)
    view = _open(qtbot, data)
    view.set_filter(OutboxFilter.CONFLICT)
    view.table.selectRow(0)

    assert _texts(view, OutboxModel.STATE) == ["Conflict"]
    assert "Sam Ortiz" in _texts(view, OutboxModel.PROBLEM)[0]
    assert view.resolve_button.isEnabled() and view.retry_button.isEnabled()  # retry keeps Handoff's values
    dialog = view.resolve_selected()
    assert isinstance(dialog, ConflictDialog)
    assert dialog.isVisible()


def test_the_list_follows_deliveries_made_elsewhere(
    qtbot: QtBot, data: DataAccess, db: DbRunner, cases: ZendeskCases
) -> None:
    view = _open(qtbot, data)
    assert view.model.rowCount() == 0

    note = OutgoingMessage(cases.first, cases.author, DraftChannel.INTERNAL_NOTE, "A note")
    with qtbot.wait_signal(view.loaded):  # written through DataAccess: its change set names the entry
        data.write(send_message, note, T0)

    assert _texts(view, OutboxModel.CHANGE) == ["Internal note: A note"]


def test_keyboard_enter_edits_the_text_and_delete_asks_to_discard(
    qtbot: QtBot, data: DataAccess, db: DbRunner, cases: ZendeskCases
) -> None:
    fail(db, reply(db, cases.first, cases.author, "Refused text"))
    view = _open(qtbot, data)
    view.activateWindow()
    qtbot.wait_until(view.isActiveWindow)
    assert view.table.hasFocus() and view.selected_item() is not None  # ready for the keyboard

    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    box = view.findChild(QMessageBox)
    assert box is not None and box.isVisible() and "Discard this change?" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()

    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    editor = view.findChild(OutboxEditDialog)
    assert editor is not None and editor.isVisible()
    assert editor.editors["body_text"].toPlainText() == "Refused text"


def test_edit_and_retry_corrects_the_reason_of_a_refused_stage_change(
    qtbot: QtBot, data: DataAccess, db: DbRunner, cases: ZendeskCases
) -> None:
    fail(db, move_stage(db, cases.first, cases.author, Stage.AWAITING_CUSTOMER), "Reason is too long")
    view = _open(qtbot, data)

    dialog = view.edit_selected()
    assert dialog is not None and list(dialog.editors) == ["reason"]  # the stage itself is not edited here
    dialog.editors["reason"].setPlainText("Waiting for the HAR file")
    with qtbot.wait_signal(view.loaded):
        dialog.retry_button.click()

    entry = db.read(outbox_items).result()[0].entry
    assert entry.state is OutboxState.PENDING
    assert (entry.payload["reason"], entry.payload["stage"]) == (
        "Waiting for the HAR file",
        "awaiting_customer",
    )
    assert "corrected version" in view.status.text()
