"""UpdateNotice: "Handoff X.Y is available — Download", or "Update check failed: …", non-modal.

A banner at the top of the window: Download opens the verified download URL in the browser
(the package's SHA-256 is the one the signed manifest names), Release Notes opens the notes,
Dismiss hides it. Every button is reachable with Tab and has a mnemonic.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from core.updates import UpdateFailed, UpdateOffer, UpdateOutcome
from ui.notice_banner import NoticeBanner
from ui.tones import Tone

UrlOpener = Callable[[QUrl], bool]


class UpdateNotice(NoticeBanner):
    """Offers a verified update or reports a failed check.

    Signals:
        download_requested(str): the user pressed Download (the URL, opened in the browser).
    """

    download_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, open_url: UrlOpener = QDesktopServices.openUrl) -> None:
        super().__init__("updateNotice", "", parent)
        self.setAccessibleName(self.tr("Update"))
        self._open_url = open_url
        self._download_url = ""
        self._notes_url = ""
        self.download_button = self.add_button(self.tr("Do&wnload"), self.tr("Download the new version"))
        self.notes_button = self.add_button(self.tr("Release &Notes"), self.tr("Open the release notes"))
        self.download_button.clicked.connect(self._on_download)
        self.notes_button.clicked.connect(lambda: self._open_url(QUrl(self._notes_url)))

    def show_outcome(self, outcome: UpdateOutcome | None) -> None:
        """Offer ``outcome``'s update, or say why the check failed; nothing to show otherwise."""
        if isinstance(outcome, UpdateOffer):
            self.show_offer(
                outcome.version, outcome.download.url, outcome.manifest.notes_url, outcome.download.sha256
            )
        elif isinstance(outcome, UpdateFailed):
            self.show_failure(outcome.reason)

    def show_offer(self, version: str, download_url: str, notes_url: str | None, sha256: str = "") -> None:
        """ "Handoff ``version`` is available" with Download (and Release Notes when there are some);
        Download's tooltip gives the URL and the package's SHA-256 from the signed manifest."""
        self._download_url = download_url
        tip = download_url if not sha256 else self.tr("{0}\nSHA-256: {1}").format(download_url, sha256)
        self.download_button.setToolTip(tip)
        self._notes_url = notes_url or ""
        self.download_button.setVisible(True)
        self.notes_button.setVisible(bool(notes_url))
        self.show_message(self.tr("Handoff {0} is available.").format(version), Tone.INFO)
        self.download_button.setDefault(True)

    def show_failure(self, reason: str) -> None:
        """ "Update check failed: ``reason``" (nothing is offered)."""
        self._download_url = ""
        self.download_button.setVisible(False)
        self.notes_button.setVisible(False)
        self.show_message(self.tr("Update check failed: {0}").format(reason), Tone.WARNING)

    def _on_download(self) -> None:
        if self._download_url:
            self.download_requested.emit(self._download_url)
            self._open_url(QUrl(self._download_url))
