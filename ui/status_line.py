"""StatusLine: the line under an editor that says what just happened or what went wrong."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget


class StatusLine(QLabel):
    """A word-wrapped line for one message at a time (an empty message clears it).

    Signals:
        message_changed(str): the line shows another message (not emitted when the same one is shown again).
    """

    message_changed = Signal(str)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(accessible_name)

    def show_message(self, text: str) -> None:
        """Show ``text`` instead of what the line says now."""
        if self.text() != text:
            self.setText(text)
            self.message_changed.emit(text)
