"""Composer: drafts saved while typing and restored, Ctrl+Enter sends (pending), templates, attachments."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.communication.attachments import workspace_attachments_dir
from core.communication.drafts import load_draft, load_my_drafts
from core.db.models import CaseRow
from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.domain.dtos import CaseDrafts
from core.domain.enums import DraftChannel, Stage
from tests.ui.conftest import Sample
from ui.case_view import CaseView
from ui.composer import Composer
from ui.data_access import DataAccess


def open_case(qtbot: QtBot, view: CaseView, case_id: int) -> None:
    with qtbot.waitSignals([view.case_loaded, view.drafts_restored], timeout=5000):
        view.show_case(case_id)


def type_reply(
    qtbot: QtBot, view: CaseView, text: str, channel: DraftChannel = DraftChannel.PUBLIC_REPLY
) -> None:
    if channel is DraftChannel.INTERNAL_NOTE:
        view.start_internal_note()
    else:
        view.start_reply()
    qtbot.keyClicks(view.composer.editor, text)


def timeline_text(view: CaseView) -> str:
    return view.timeline.browser.toPlainText()


def test_a_pause_in_typing_saves_the_draft(
    qtbot: QtBot, view: CaseView, db: DbRunner, sample: Sample
) -> None:
    open_case(qtbot, view, sample.id(1001))

    with qtbot.waitSignal(view.composer.draft_saved, timeout=3000):
        type_reply(qtbot, view, "Hi Dana, we found the clock skew")

    draft = db.read(load_draft, sample.id(1001), DraftChannel.PUBLIC_REPLY, sample.me).result()
    assert draft is not None and draft.body == "Hi Dana, we found the clock skew"


def test_reopening_the_case_restores_each_channel_draft(
    qtbot: QtBot, view: CaseView, data: DataAccess, sample: Sample
) -> None:
    open_case(qtbot, view, sample.id(1001))
    type_reply(qtbot, view, "Reply in progress")
    type_reply(qtbot, view, "Note for Marco", DraftChannel.INTERNAL_NOTE)

    open_case(qtbot, view, sample.id(1005))  # switching saves at once, without waiting for the pause
    assert view.composer.editor.toPlainText() == ""
    open_case(qtbot, view, sample.id(1001))

    assert view.composer.channel is DraftChannel.PUBLIC_REPLY
    assert view.composer.editor.toPlainText() == "Reply in progress"
    internal = view.composer.channel_button(DraftChannel.INTERNAL_NOTE)
    assert internal.text().endswith("•")  # the other channel's draft is not forgotten
    view.start_internal_note()
    assert view.composer.editor.toPlainText() == "Note for Marco"
    restarted = CaseView(data)  # a new view, as after a restart, reads them back from the database
    qtbot.addWidget(restarted)
    open_case(qtbot, restarted, sample.id(1001))
    assert restarted.composer.editor.toPlainText() == "Reply in progress"


def test_ctrl_enter_sends_and_the_timeline_shows_the_message_pending(
    qtbot: QtBot, view: CaseView, db: DbRunner, sample: Sample
) -> None:
    open_case(qtbot, view, sample.id(1001))
    type_reply(qtbot, view, "The **fix** is live, please sign in again.")

    with qtbot.waitSignal(view.composer.message_sent, timeout=5000):
        qtbot.keyClick(view.composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: "The fix is live, please sign in again." in timeline_text(view), timeout=5000)
    last_card = timeline_text(view).rsplit("Agent reply", 1)[-1]
    assert "Pending" in last_card
    assert "Pending" not in timeline_text(view).split("The fix is live")[0].rsplit("Agent reply", 1)[0]
    assert view.composer.editor.toPlainText() == ""
    assert db.read(load_draft, sample.id(1001), DraftChannel.PUBLIC_REPLY, sample.me).result() is None


def test_sending_nothing_says_what_to_do(qtbot: QtBot, view: CaseView, sample: Sample) -> None:
    open_case(qtbot, view, sample.id(1001))
    view.start_reply()

    qtbot.keyClick(view.composer.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert view.composer.status_text == "The message is empty. Write something before sending it."


def test_the_request_information_template_fills_in_the_case_and_moves_it_to_awaiting_customer(
    qtbot: QtBot, view: CaseView, sample: Sample
) -> None:
    open_case(qtbot, view, sample.id(1001))
    view.start_reply()
    view.composer.open_templates()
    picker = view.composer.template_picker
    qtbot.waitUntil(lambda: len(picker.visible_names()) > 1, timeout=5000)

    qtbot.keyClicks(picker.filter_edit, "request")
    assert picker.visible_names() == ["Request information"]
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Return)

    text = view.composer.editor.toPlainText()
    assert text.startswith("Hello Dana Whitfield,") and "case #1001" in text and "{case_number}" not in text
    assert view.composer.moves_to_stage is Stage.AWAITING_CUSTOMER
    with qtbot.waitSignal(view.composer.message_sent, timeout=5000):
        view.composer.send()
    qtbot.waitUntil(lambda: "Awaiting customer" in timeline_text(view), timeout=5000)
    assert "the product version you are using" in timeline_text(view)


def test_a_file_dropped_on_the_editor_is_attached_and_sent_with_the_reply(
    qtbot: QtBot, view: CaseView, sample: Sample, tmp_path: Path
) -> None:
    open_case(qtbot, view, sample.id(1001))
    log = tmp_path / "saml-trace.log"
    log.write_text("NotBefore skew=94s\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(log))])
    view.start_reply()

    assert view.composer.editor.canInsertFromMimeData(mime)
    with qtbot.waitSignal(view.composer.attachments_changed, timeout=5000):
        view.composer.editor.insertFromMimeData(mime)

    assert [attachment.filename for attachment in view.composer.attachments] == ["saml-trace.log"]
    assert view.composer.editor.toPlainText() == ""  # the path was not pasted as text
    qtbot.keyClicks(view.composer.editor, "Trace attached.")
    with qtbot.waitSignal(view.composer.message_sent, timeout=5000):
        view.composer.send()
    qtbot.waitUntil(lambda: "saml-trace.log" in timeline_text(view), timeout=5000)
    assert view.composer.attachments == ()


def test_a_file_over_the_limit_is_refused_with_a_clear_message(
    qtbot: QtBot, data: DataAccess, db: DbRunner, sample: Sample, tmp_path: Path
) -> None:
    with ThreadPoolExecutor(max_workers=1) as executor:
        composer = Composer(data, file_executor=executor, templates=(), max_attachment_bytes=1024)
        qtbot.addWidget(composer)
        composer.set_attachments_dir(db.read(workspace_attachments_dir).result())
        composer.set_case(db.read(load_my_drafts, sample.id(1001)).result())
        big = tmp_path / "capture.har"
        big.write_bytes(b"x" * 4096)

        with qtbot.waitSignal(composer.status_changed, check_params_cb=lambda text: "at most" in text):
            composer.add_files([big])

    assert composer.status_text == (
        "“capture.har” is 4 KB; attachments can be at most 1 KB. Compress it or share a link to it instead."
    )
    assert composer.attachments == ()


@pytest.fixture
def slow_composer(qtbot: QtBot, data: DataAccess, db: DbRunner, sample: Sample) -> Iterator[Composer]:
    """A composer on case 1001 whose typing pause never ends within a test: only flushes save."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        composer = Composer(data, file_executor=executor, templates=(), autosave_pause_ms=600_000)
        qtbot.addWidget(composer)
        composer.set_case(db.read(load_my_drafts, sample.id(1001)).result())
        composer.show()
        qtbot.waitExposed(composer)
        yield composer


def test_leaving_the_editor_saves_at_once(
    qtbot: QtBot, slow_composer: Composer, db: DbRunner, sample: Sample
) -> None:
    slow_composer.start(DraftChannel.PUBLIC_REPLY)
    qtbot.keyClicks(slow_composer.editor, "Half a thought")

    with qtbot.waitSignal(slow_composer.draft_saved, timeout=3000):
        slow_composer.editor.clearFocus()

    draft = db.read(load_draft, sample.id(1001), DraftChannel.PUBLIC_REPLY, sample.me).result()
    assert draft is not None and draft.body == "Half a thought"


def test_closing_the_window_saves_at_once(
    qtbot: QtBot, slow_composer: Composer, db: DbRunner, sample: Sample
) -> None:
    slow_composer.start(DraftChannel.INTERNAL_NOTE)
    slow_composer.editor.insertPlainText("Typed just before quitting")

    with qtbot.waitSignal(slow_composer.draft_saved, timeout=3000):
        slow_composer.close()

    draft = db.read(load_draft, sample.id(1001), DraftChannel.INTERNAL_NOTE, sample.me).result()
    assert draft is not None and draft.body == "Typed just before quitting"


def test_attachments_stay_with_the_draft_until_removed(
    qtbot: QtBot, view: CaseView, sample: Sample, tmp_path: Path
) -> None:
    open_case(qtbot, view, sample.id(1001))
    screenshot = tmp_path / "error dialog.png"
    screenshot.write_bytes(b"\x89PNG not really")
    with qtbot.waitSignal(view.composer.attachments_changed, timeout=5000):
        view.composer.add_files([screenshot])

    open_case(qtbot, view, sample.id(1005))
    open_case(qtbot, view, sample.id(1001))
    assert [attachment.filename for attachment in view.composer.attachments] == ["error dialog.png"]

    attached = view.composer.attachment_list
    attached.setCurrentIndex(attached.model().index(0, 0))
    with qtbot.waitSignal(view.composer.attachments_changed, timeout=5000):
        qtbot.keyClick(attached, Qt.Key.Key_Delete)
    assert view.composer.attachments == ()
    open_case(qtbot, view, sample.id(1005))
    open_case(qtbot, view, sample.id(1001))
    assert view.composer.attachments == ()


def test_esc_closes_the_template_list_without_leaving_the_case(
    qtbot: QtBot, view: CaseView, sample: Sample
) -> None:
    back = QAction(view)
    back.setShortcut(QKeySequence(Qt.Key.Key_Escape))  # like the main window's Back action
    view.addAction(back)
    left: list[str] = []
    back.triggered.connect(lambda: left.append("shortcut"))
    view.back_requested.connect(lambda: left.append("view"))
    open_case(qtbot, view, sample.id(1001))
    view.activateWindow()
    view.start_reply()
    view.composer.open_templates()
    picker = view.composer.template_picker
    assert picker.isVisible()

    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Escape)

    assert not picker.isVisible()
    assert left == []
    assert view.composer.editor.hasFocus()


def test_a_draft_that_cannot_be_saved_stays_in_the_editor_and_says_so(
    qtbot: QtBot, db: DbRunner, sample: Sample
) -> None:
    # A database refusing the write (here: an author it does not know) stands in for a full disk or a lock.
    access = DataAccess(db, known_errors=(IntegrityError,))
    try:
        with ThreadPoolExecutor(max_workers=1) as executor:
            composer = Composer(access, file_executor=executor, templates=(), autosave_pause_ms=10)
            qtbot.addWidget(composer)
            composer.set_case(CaseDrafts(case_id=sample.id(1001), author_id=424242))

            with qtbot.waitSignal(
                composer.status_changed,
                check_params_cb=lambda text: "could not be saved" in text,
                timeout=5000,
            ):
                composer.editor.insertPlainText("Words that must not vanish")

            assert composer.editor.toPlainText() == "Words that must not vanish"
            assert "It is still here" in composer.status_text
    finally:
        access.close()


def test_a_template_whose_stage_move_the_case_cannot_make_is_inserted_without_it(
    qtbot: QtBot, view: CaseView, sample: Sample
) -> None:
    open_case(qtbot, view, sample.id(1002))  # triaged: it cannot wait for the customer yet
    view.start_internal_note()
    view.composer.open_templates()
    picker = view.composer.template_picker
    qtbot.waitUntil(lambda: len(picker.visible_names()) > 1, timeout=5000)

    qtbot.keyClicks(picker.filter_edit, "request")
    qtbot.keyClick(picker.filter_edit, Qt.Key.Key_Return)

    assert view.composer.channel is DraftChannel.PUBLIC_REPLY
    assert view.composer.editor.toPlainText().startswith("Hello Dana Whitfield,")
    assert view.composer.moves_to_stage is None
    status = view.composer.status_text
    assert status.startswith("A case in Triaged cannot go to Awaiting customer.")
    assert status.endswith("The message will be sent without changing the stage.")


def test_the_editors_are_ready_when_the_case_appears(qtbot: QtBot, view: CaseView, sample: Sample) -> None:
    order: list[str] = []
    view.drafts_restored.connect(lambda _case_id: order.append("drafts"))
    view.case_loaded.connect(lambda _case_id: order.append("case"))

    open_case(qtbot, view, sample.id(1001))

    assert order == ["drafts", "case"]
    assert view.composer.isEnabled() and view.note_editor.isEnabled()


def test_typing_on_a_case_deleted_meanwhile_is_reported_not_a_crash(
    qtbot: QtBot, view: CaseView, data: DataAccess, db: DbRunner, sample: Sample
) -> None:
    open_case(qtbot, view, sample.id(1005))
    type_reply(qtbot, view, "Almost done with this reply")

    def delete_case(session: Session) -> ChangeSet:
        session.delete(session.get_one(CaseRow, sample.id(1005)))
        return ChangeSet(cases_removed=frozenset({sample.id(1005)}))

    with qtbot.waitSignal(view.composer.status_changed, timeout=5000):
        data.write(delete_case)

    assert view.message.startswith("This case no longer exists")
    assert "could not be saved (There is no case with id" in view.composer.status_text
