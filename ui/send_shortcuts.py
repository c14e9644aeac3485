"""The Ctrl+Enter shortcuts that send what an editor holds (a reply, a note)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

SEND_SHORTCUTS = ("Ctrl+Return", "Ctrl+Enter")


def add_send_shortcuts(widget: QWidget, send: Callable[[], None]) -> None:
    """Call ``send`` on Ctrl+Enter (either Enter key) while the focus is inside ``widget``."""
    for sequence in SEND_SHORTCUTS:
        shortcut = QShortcut(QKeySequence(sequence), widget)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(send)
