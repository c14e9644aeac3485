"""AttachmentList: the files attached to a message being written, by name and size."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from core.domain.dtos import Attachment
from ui.formatting import format_file_size

_ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 1


class AttachmentList(QListView):
    """A short list of attachments, hidden while there are none; Delete (or Backspace) asks to remove one.

    Signals:
        remove_requested(object): the user asked to take the selected :class:`Attachment` off.
    """

    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self.setAccessibleName(self.tr("Attached files"))
        self.setToolTip(self.tr("Press Delete to remove the selected file"))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMaximumHeight(self.fontMetrics().height() * 4)

    def set_attachments(self, attachments: Sequence[Attachment]) -> None:
        """Show ``attachments``, in the order given (none: hide the list)."""
        self._model.clear()
        for attachment in attachments:
            item = QStandardItem(f"{attachment.filename} ({format_file_size(attachment.size_bytes)})")
            item.setData(attachment, _ATTACHMENT_ROLE)
            self._model.appendRow(item)
        self.setVisible(bool(attachments))

    def selected_attachment(self) -> Attachment | None:
        """The attachment selected in the list, if any."""
        index = self.currentIndex()
        attachment = index.data(_ATTACHMENT_ROLE) if index.isValid() else None
        return attachment if isinstance(attachment, Attachment) else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() not in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            super().keyPressEvent(event)
            return
        attachment = self.selected_attachment()
        if attachment is not None:
            self.remove_requested.emit(attachment)
