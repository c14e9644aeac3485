"""SafeTextBrowser: a rich-text viewer that never loads anything and never follows a link by itself.

Customer HTML is sanitized before it gets here; this widget is the second
wall. ``loadResource`` answers nothing for every URL (images, style sheets,
anything remote or local), and clicking a link only emits ``link_activated``:
the window decides whether to open it, and only after a user's click.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget


class SafeTextBrowser(QTextBrowser):
    """A QTextBrowser that loads no resource and reports link clicks instead of following them.

    Signals:
        link_activated(QUrl): the user clicked (or pressed Enter on) a link.
    """

    link_activated = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.link_activated)

    def loadResource(self, type: int, name: QUrl) -> Any:
        """Never load: no image, style sheet or other resource, from anywhere."""
        return None
