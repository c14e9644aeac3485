"""NoteEditor: structured investigation notes (hypothesis → test → result) written in Markdown.

The kind is chosen first (hypothesis, test, result, finding, troubleshooting step, note); the body
is Markdown. Typing is saved as a draft (channel ``investigation_note``) exactly like the composer:
after a 300 ms pause, and at once on focus-out, case switch and window close. ``Ctrl+Enter`` saves
the note: it appears in the timeline as internal, pending until the helpdesk has it.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.communication.notes import save_investigation_note
from core.communication.refusals import Refusal
from core.db.types import utc_now
from core.domain.dtos import CaseDrafts
from core.domain.enums import DraftChannel, NoteKind
from ui.data_access import DataAccess
from ui.draft_autosave import AUTOSAVE_PAUSE_MS, Clock, DraftAutosave
from ui.draft_submission import DraftSubmission
from ui.labels import note_kind_label
from ui.send_shortcuts import add_send_shortcuts
from ui.status_line import StatusLine

NOTE_KIND_ORDER: tuple[NoteKind, ...] = (
    NoteKind.HYPOTHESIS,
    NoteKind.TEST,
    NoteKind.RESULT,
    NoteKind.FINDING,
    NoteKind.TROUBLESHOOTING_STEP,
    NoteKind.NOTE,
)
_NOTE_KIND = "note_kind"


class NoteEditor(QWidget):
    """Writes investigation notes on one case.

    Signals:
        note_saved(int): a note on the case (its id) was saved and queued for the helpdesk.
        draft_saved(int): the note's draft on the case (its id) was saved.
        status_changed(str): the line under the editor changed.
    """

    note_saved = Signal(int)
    draft_saved = Signal(int)
    status_changed = Signal(str)

    def __init__(
        self,
        data: DataAccess,
        *,
        now: Clock = utc_now,
        autosave_pause_ms: int = AUTOSAVE_PAUSE_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data = data
        self._now = now
        self._case_id: int | None = None
        self._author_id: int | None = None
        self._kind = QComboBox()
        self._kind.setAccessibleName(self.tr("Note kind"))
        self._kind.view().setAccessibleName(self.tr("Note kinds"))
        for kind in NOTE_KIND_ORDER:
            self._kind.addItem(note_kind_label(kind.value), kind)
        kind_label = QLabel(self.tr("&Kind:"))
        kind_label.setBuddy(self._kind)
        self._editor = QPlainTextEdit()
        self._editor.setAccessibleName(self.tr("Investigation note"))
        self._editor.setPlaceholderText(
            self.tr("What do you suspect, test or find? Markdown: **bold**, *italic*, - lists, `code`")
        )
        self._editor.setTabChangesFocus(True)
        self._autosave = DraftAutosave(
            data,
            self._editor,
            DraftChannel.INVESTIGATION_NOTE,
            self._draft_meta,
            now=now,
            pause_ms=autosave_pause_ms,
            parent=self,
        )
        self._autosave.saved.connect(self.draft_saved)
        self._kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self._status = StatusLine(self.tr("Note status"))
        self._status.message_changed.connect(self.status_changed)
        self._autosave.failed.connect(self._status.show_message)
        self._save = QPushButton(self.tr("Save note"))
        self._save.setToolTip(self.tr("Save the note to the case (Ctrl+Enter)"))
        self._save.clicked.connect(self.save_note)
        add_send_shortcuts(self, self.save_note)
        self._submission = DraftSubmission(data, self._editor, self._autosave, self._save)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(kind_label)
        top.addWidget(self._kind)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self._status, 1)
        bottom.addWidget(self._save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self._editor, 1)
        layout.addLayout(bottom)
        self.setEnabled(False)

    @property
    def editor(self) -> QPlainTextEdit:
        """The Markdown editor."""
        return self._editor

    @property
    def kind(self) -> NoteKind:
        """The kind of the note being written."""
        return NoteKind(self._kind.currentData())

    @property
    def status_text(self) -> str:
        """The line under the editor."""
        return self._status.text()

    def set_kind(self, kind: NoteKind) -> None:
        """Write a note of ``kind``."""
        self._kind.setCurrentIndex(NOTE_KIND_ORDER.index(kind))

    def set_case(self, drafts: CaseDrafts) -> None:
        """Start writing on case ``drafts.case_id``, restoring its saved note draft."""
        self._autosave.flush()
        self._case_id = drafts.case_id
        self._author_id = drafts.author_id
        saved = drafts.drafts.get(DraftChannel.INVESTIGATION_NOTE)
        with self._autosave.quietly():
            self._editor.setPlainText(saved.body if saved else "")
            self.set_kind(_note_kind(saved.meta.get(_NOTE_KIND) if saved else None))
        self._autosave.bind(drafts.case_id, drafts.author_id)
        self._status.show_message("")
        self.setEnabled(True)

    def clear_case(self) -> None:
        """Save what is unsaved and stop writing on the current case."""
        self._autosave.flush()
        self._autosave.bind(None, None)
        self._case_id = None
        with self._autosave.quietly():
            self._editor.clear()
        self.setEnabled(False)

    def flush_draft(self) -> None:
        """Save the draft now."""
        self._autosave.flush()

    def start(self) -> None:
        """Put the keyboard in the editor."""
        self._editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save_note(self) -> None:
        """Save the note (Ctrl+Enter); it appears in the timeline as internal, marked pending."""
        if self._case_id is None or self._submission.busy:
            return
        body = self._editor.toPlainText()
        if not body.strip():
            self._status.show_message(
                self.tr("The note is empty. Write what you found, tested or suspect, then save it.")
            )
            return
        case_id = self._case_id
        self._submission.submit(
            save_investigation_note,
            case_id,
            self._author_id,
            self.kind,
            body,
            self._now(),
            on_finished=lambda outcome: self._on_save_finished(case_id, outcome),
        )

    def hideEvent(self, event: QHideEvent) -> None:
        self._autosave.flush()
        super().hideEvent(event)

    def _on_save_finished(self, case_id: int, outcome: object) -> None:
        if isinstance(outcome, Refusal):
            self._status.show_message(outcome.message)
            return
        if case_id == self._case_id:
            self._autosave.forget()
            with self._autosave.quietly():
                self._editor.clear()
        self._status.show_message(self.tr("Note saved. It shows as pending until the helpdesk has it."))
        self.note_saved.emit(case_id)

    def _on_kind_current_index_changed(self, _index: int) -> None:
        self._autosave.mark_dirty()

    def _draft_meta(self) -> Mapping[str, object]:
        return {_NOTE_KIND: self.kind.value}


def _note_kind(value: object) -> NoteKind:
    try:
        return NoteKind(str(value))
    except ValueError:
        return NOTE_KIND_ORDER[0]
