"""SyncCommands: the main window's sync part: the status area, the Outbox view and the connections.

The window builds one, puts :attr:`SyncCommands.area` in its status bar and
:attr:`SyncCommands.banner` above its pages, registers :meth:`SyncCommands.specs` (View ›
Outbox, ``Ctrl+Shift+O``; File › Helpdesk Connections…) and hands it the desktop's sync seam
with :meth:`set_sync`. The Outbox view and the connections dialog are non-modal and opened
once: asking again brings the open one forward.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from ui.actions import ActionSpec
from ui.background_io import BackgroundIo
from ui.data_access import DataAccess
from ui.dialogs.connections_dialog import ConnectionsDialog, SecretStore
from ui.outbox_view import OutboxView
from ui.sync_status import OfflineBanner, OutboxFilter, SyncStatusArea, SyncStatusSource


class SyncCommands(QObject):
    """Opens the Outbox view and the connections dialog; owns the status area (and its banner)."""

    def __init__(self, data: DataAccess, files: BackgroundIo, window: QWidget) -> None:
        super().__init__(window)
        self._data = data
        self._files = files
        self._window = window
        self._source: SyncStatusSource | None = None
        self._secrets: SecretStore | None = None
        self._outbox: OutboxView | None = None
        self._connections: ConnectionsDialog | None = None
        self.area = SyncStatusArea()
        self.area.outbox_requested.connect(self._on_area_outbox_requested)
        self.area.connections_requested.connect(self.open_connections)

    @property
    def banner(self) -> OfflineBanner:
        """The offline banner, for the top of the window."""
        return self.area.banner

    def set_sync(self, source: SyncStatusSource | None, secrets: SecretStore | None) -> None:
        """The engine's status source and the keychain (None: no sync in this window)."""
        self._source = source
        self._secrets = secrets
        self.area.set_source(source)

    def specs(self) -> list[ActionSpec]:
        """View › Outbox (Ctrl+Shift+O) and File › Helpdesk Connections…."""
        return [
            ActionSpec("view.outbox", self.tr("&Outbox"), self.open_outbox, "Ctrl+Shift+O"),
            ActionSpec("app.connections", self.tr("Helpdesk &Connections…"), self.open_connections),
        ]

    def open_outbox(self, kind: OutboxFilter = OutboxFilter.ALL) -> OutboxView:
        """Open (or bring forward) the Outbox view, listing the entries of ``kind``."""
        if self._outbox is None:
            self._outbox = OutboxView(self._data, self._window)
            self._outbox.finished.connect(self._on_outbox_finished)
        self._outbox.set_filter(kind)
        self._show(self._outbox)
        return self._outbox

    def open_connections(self) -> ConnectionsDialog:
        """Open (or bring forward) the helpdesk connections."""
        if self._connections is None:
            self._connections = ConnectionsDialog(
                self._data, self._files, source=self._source, secrets=self._secrets, parent=self._window
            )
            self._connections.finished.connect(self._on_connections_finished)
        self._show(self._connections)
        return self._connections

    @staticmethod
    def _show(dialog: QDialog) -> None:
        if dialog.isVisible():  # asked again: bring the open one forward
            dialog.raise_()
            dialog.activateWindow()
        else:
            dialog.show()  # non-modal: the window stays usable

    def _on_area_outbox_requested(self, kind: str) -> None:
        self.open_outbox(OutboxFilter(kind))

    def _on_outbox_finished(self, _result: int) -> None:
        if self._outbox is not None:
            self._outbox.deleteLater()
            self._outbox = None

    def _on_connections_finished(self, _result: int) -> None:
        if self._connections is not None:
            self._connections.deleteLater()
            self._connections = None
