"""NoticeBanner: a toned strip at the top of the window with a message, buttons and Dismiss.

It looks like the offline banner (:class:`ui.sync_status.OfflineBanner`): a tinted frame with
an accent border. :func:`insert_banner` puts one above the window's pages.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QMainWindow, QPushButton, QWidget

from ui.tones import Tone, accent, tint


class NoticeBanner(QFrame):
    """A message with action buttons and Dismiss; hidden until :meth:`show_message`.

    Signals:
        dismissed(): the user pressed Dismiss (the banner hides itself).
    """

    dismissed = Signal()

    def __init__(self, object_name: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(accessible_name)
        self._message = QLabel()
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setWordWrap(True)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(10, 4, 6, 4)
        self._row.setSpacing(12)
        self._row.addWidget(self._message, 1)
        self.dismiss_button = self.add_button(self.tr("&Dismiss"), self.tr("Dismiss this message"))
        self.dismiss_button.clicked.connect(self._on_dismiss)
        self.setVisible(False)

    @property
    def text(self) -> str:
        """What the banner says."""
        return self._message.text()

    def add_button(self, text: str, accessible_name: str) -> QPushButton:
        """A keyboard-reachable button placed before Dismiss."""
        button = QPushButton(text)
        button.setAccessibleName(accessible_name)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._row.insertWidget(self._row.count() - (1 if self._row.count() > 1 else 0), button)
        return button

    def show_message(self, message: str, tone: Tone) -> None:
        """Say ``message`` in the colours of ``tone`` and show the banner."""
        self._message.setText(message)
        self._message.setAccessibleName(message)
        palette = self.palette()
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ background: {tint(tone, palette, 0.14).name()};"
            f" border: 1px solid {accent(tone, palette).name()}; border-radius: 4px; }}"
        )
        self.setVisible(True)

    def _on_dismiss(self) -> None:
        self.setVisible(False)
        self.dismissed.emit()


def insert_banner(window: QMainWindow, banner: QWidget) -> None:
    """Put ``banner`` at the top of ``window``'s central column, above the other banners and pages."""
    central = window.centralWidget()
    column = central.layout() if central is not None else None
    if not isinstance(column, QBoxLayout):
        raise TypeError("the window's central widget has no column layout to hold a banner")
    row = QHBoxLayout()
    row.setContentsMargins(8, 6, 8, 0)
    row.addWidget(banner)
    column.insertLayout(0, row)
