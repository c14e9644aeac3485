"""SearchField: a line edit that reports its text after a short pause in typing; Esc clears it.

The results can be walked without leaving the field: Up/Down (and Page Up/Down) ask to move in
the list, Enter asks to open the current result.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

DEBOUNCE_MS = 150
PAGE_STEP = 10
_MOVES = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_PageUp: -PAGE_STEP,
    Qt.Key.Key_PageDown: PAGE_STEP,
}


class SearchField(QLineEdit):
    """A search box with a clear button, debounced.

    Signals:
        search_requested(str): the text, once typing paused for ``DEBOUNCE_MS`` (at once when cleared
            with Esc or set with :meth:`set_search_now`, or on Enter while a search is pending).
        move_requested(int): Up/Down/Page Up/Page Down: move the current result by that many rows.
        open_requested(): Enter with no search pending: open the current result.
    """

    search_requested = Signal(str)
    move_requested = Signal(int)
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.textEdited.connect(self._on_self_text_edited)

    def set_search_now(self, text: str) -> None:
        """Put ``text`` in the field and report it without waiting."""
        self.set_text_quietly(text)
        self.search_requested.emit(text)

    def set_text_quietly(self, text: str) -> None:
        """Put ``text`` in the field without reporting it (and drop a report still pending)."""
        self.setText(text)
        self._timer.stop()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self.text():
            self.set_search_now("")
        elif key in _MOVES and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.move_requested.emit(_MOVES[Qt.Key(key)])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._timer.isActive():
                self._timer.stop()
                self.search_requested.emit(self.text())
            else:
                self.open_requested.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _on_self_text_edited(self, _text: str) -> None:
        # Typing and the clear button both come here; restarting means only a pause searches.
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        self.search_requested.emit(self.text())
