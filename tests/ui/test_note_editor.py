"""NoteEditor: notes saved with Ctrl+Enter land in the timeline as internal and pending; drafts survive."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.communication.drafts import load_draft
from core.db.runner import DbRunner
from core.domain.enums import DraftChannel, NoteKind
from tests.ui.conftest import Sample
from tests.ui.test_composer import open_case, timeline_text
from ui.case_view import CaseView
from ui.labels import note_kind_label
from ui.note_editor import NOTE_KIND_ORDER


def test_ctrl_enter_saves_the_note_into_the_timeline_and_the_side_panel(
    qtbot: QtBot, view: CaseView, db: DbRunner, sample: Sample
) -> None:
    open_case(qtbot, view, sample.id(1001))
    view.start_investigation_note()
    view.note_editor.set_kind(NoteKind.FINDING)
    qtbot.keyClicks(view.note_editor.editor, "The IdP clock runs **94 s** ahead")

    with qtbot.waitSignal(view.note_editor.note_saved, timeout=5000):
        qtbot.keyClick(view.note_editor.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: "The IdP clock runs 94 s ahead" in timeline_text(view), timeout=5000)
    card = timeline_text(view).rsplit("Internal note · Finding", 1)[-1]
    assert "Pending" in card and "**" not in card
    qtbot.waitUntil(lambda: "The IdP clock runs" in view.side_panel.browser.toPlainText(), timeout=5000)
    assert view.note_editor.editor.toPlainText() == ""
    assert db.read(load_draft, sample.id(1001), DraftChannel.INVESTIGATION_NOTE, sample.me).result() is None


def test_a_note_being_typed_is_kept_with_its_kind(
    qtbot: QtBot, view: CaseView, db: DbRunner, sample: Sample
) -> None:
    open_case(qtbot, view, sample.id(1001))
    view.start_investigation_note()
    view.note_editor.set_kind(NoteKind.TEST)

    with qtbot.waitSignal(view.note_editor.draft_saved, timeout=3000):
        qtbot.keyClicks(view.note_editor.editor, "Set the IdP clock back 2 minutes")

    draft = db.read(load_draft, sample.id(1001), DraftChannel.INVESTIGATION_NOTE, sample.me).result()
    assert draft is not None and draft.body == "Set the IdP clock back 2 minutes"
    assert draft.meta == {"note_kind": "test"}
    open_case(qtbot, view, sample.id(1005))
    open_case(qtbot, view, sample.id(1001))
    assert view.note_editor.editor.toPlainText() == "Set the IdP clock back 2 minutes"
    assert view.note_editor.kind is NoteKind.TEST


def test_an_empty_note_is_not_saved_and_says_why(qtbot: QtBot, view: CaseView, sample: Sample) -> None:
    open_case(qtbot, view, sample.id(1001))
    view.start_investigation_note()

    qtbot.keyClick(view.note_editor.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert view.note_editor.status_text.startswith("The note is empty.")


class _UpperCaseNoteKinds(QTranslator):
    """A translation that writes note kinds in capitals, to see which labels go through translation."""

    def translate(
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return source_text.upper() if context == "NoteKind" else ""


def test_every_note_kind_the_editor_offers_has_a_translated_label(qapp: QApplication) -> None:
    translator = _UpperCaseNoteKinds()
    QCoreApplication.installTranslator(translator)
    try:
        labels = {kind: note_kind_label(kind) for kind in NOTE_KIND_ORDER}
    finally:
        QCoreApplication.removeTranslator(translator)

    assert set(NOTE_KIND_ORDER) == set(NoteKind)
    assert labels[NoteKind.TROUBLESHOOTING_STEP] == "TROUBLESHOOTING STEP"
    assert labels[NoteKind.FINDING] == "FINDING"
    assert all(label.isupper() for label in labels.values())
