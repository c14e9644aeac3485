"""OutboxEditDialog: correct the words of a change the helpdesk refused, then send it again.

A reply or a note is edited as its text (Markdown, as the composer takes it); other changes as
the texts their payload carries (the reason of a stage change, an approval's justification or
comment, the customer's feedback…). Values the helpdesk maps (stage, priority, team, assignee)
are not edited here: such a change is retried, resolved or discarded and made again in Handoff.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from core.communication.markdown import markdown_to_html, markdown_to_text
from core.domain.changes import ChangeSet
from core.outbox import JsonValue, OutboxEntry
from core.remote.delivery import EntryStateError, OutboxItem, retry_entry
from core.remote.outbox_text import payload_summary
from ui.dialogs.form_dialog import TextArea, buddy_label, secondary_label, text_area

TEXT_FIELDS: dict[str, str] = {
    "body_text": QT_TRANSLATE_NOOP("OutboxEditDialog", "&Text:"),
    "body": QT_TRANSLATE_NOOP("OutboxEditDialog", "&Message:"),
    "reason": QT_TRANSLATE_NOOP("OutboxEditDialog", "&Reason:"),
    "justification": QT_TRANSLATE_NOOP("OutboxEditDialog", "&Justification:"),
    "comment": QT_TRANSLATE_NOOP("OutboxEditDialog", "&Comment:"),
    "customer_feedback": QT_TRANSLATE_NOOP("OutboxEditDialog", "Customer &feedback:"),
    "override_reason": QT_TRANSLATE_NOOP("OutboxEditDialog", "&Override reason:"),
}
"""The payload texts a user may correct, with their form labels, in the order shown."""
REQUIRED_FIELDS = frozenset({"body_text", "body"})
MARKDOWN_FIELD = "body_text"  # a reply's or note's text: its HTML is rendered again from it


def editable_fields(entry: OutboxEntry) -> list[str]:
    """The payload keys of ``entry`` the dialog lets the user correct (none: nothing to edit)."""
    return [key for key in TEXT_FIELDS if isinstance(entry.payload.get(key), str)]


def edited_payload(payload: Mapping[str, JsonValue], texts: Mapping[str, str]) -> dict[str, JsonValue]:
    """``payload`` with the corrected ``texts`` (a reply's text also rendered to HTML again)."""
    edited: dict[str, JsonValue] = dict(payload)
    for key, text in texts.items():
        if key == MARKDOWN_FIELD:
            edited[key] = markdown_to_text(text)
            edited["body_html"] = markdown_to_html(text)
        else:
            edited[key] = text
    return edited


def retry_edited(
    session: Session, entry_id: int, payload: dict[str, JsonValue], texts: dict[str, str]
) -> ChangeSet | str:
    """Unit of work: the corrected texts into the entry, queued again; a refusal as its sentence."""
    try:
        return retry_entry(session, entry_id, edited_payload(payload, texts))
    except EntryStateError as error:
        return str(error)


class OutboxEditDialog(QDialog):
    """One text area per correctable text of the entry; Retry (Ctrl+Enter) hands the texts over.

    Signals:
        texts_accepted(dict): the user pressed Retry; the corrected texts by payload key.
    """

    texts_accepted = Signal(dict)

    def __init__(self, item: OutboxItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit and Retry"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.editors: dict[str, TextArea] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        keys = editable_fields(item.entry)
        for key in keys:
            label = QCoreApplication.translate("OutboxEditDialog", TEXT_FIELDS[key])
            editor = text_area(
                label.replace("&", "").removesuffix(":"), lines=10 if key in REQUIRED_FIELDS else 3
            )
            editor.setPlainText(str(item.entry.payload[key]))
            editor.textChanged.connect(self._on_editor_text_changed)
            form.addRow(buddy_label(label, editor), editor)
            self.editors[key] = editor
        intro = secondary_label(
            self.tr("{0} — case #{1}. The corrected version replaces the one the helpdesk refused.").format(
                payload_summary(item.entry).split(":", 1)[0], item.case_number
            )
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.retry_button = self.buttons.addButton(self.tr("&Retry"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.retry_button.setDefault(True)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        for keys_text in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys_text), self, self._on_buttons_accepted)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addWidget(self.buttons)
        self.resize(600, 380 if any(key in REQUIRED_FIELDS for key in keys) else 260)
        self._on_editor_text_changed()

    def texts(self) -> dict[str, str]:
        """The texts as corrected (trimmed), by payload key."""
        return {key: editor.toPlainText().strip() for key, editor in self.editors.items()}

    def _on_editor_text_changed(self) -> None:
        texts = self.texts()
        self.retry_button.setEnabled(all(texts[key] for key in texts if key in REQUIRED_FIELDS))

    def _on_buttons_accepted(self) -> None:
        if self.retry_button.isEnabled():
            self.texts_accepted.emit(self.texts())
            self.accept()
