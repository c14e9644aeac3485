"""ComposerTextEdit: the composer's Markdown editor, on which dropped files become attachments."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit

from ui.file_drops import local_files


class ComposerTextEdit(QPlainTextEdit):
    """The Markdown editor of the composer; files dropped on it are attached, not pasted as paths.

    Signals:
        files_dropped(list): local file paths dropped or pasted on the editor.
    """

    files_dropped = Signal(list)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return bool(local_files(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if not files:
            super().insertFromMimeData(source)
            return
        # Drop handlers only schedule work: copying the files happens later, off the UI thread.
        QTimer.singleShot(0, lambda: self.files_dropped.emit(files))
