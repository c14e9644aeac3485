"""The sync status area: where the helpdesk connections stand, what waits in the outbox, "Sync now".

The desktop layer hands the window a :class:`SyncStatusSource` (the UI never imports ``sync``);
:class:`SyncStatusArea` polls its ``status()`` once a second (a frozen snapshot the engine keeps
in memory: no SQL, no network) and shows it in the status bar: "Connected · synced 2 min ago",
"Offline · 3 waiting", "Sign in needed" (a button that opens the connections), the waiting,
failed and conflicting counts as buttons that open the Outbox view filtered, and "Sync now".
:class:`OfflineBanner` says at the top of the window that Handoff is offline (or needs a new
sign-in) and how many changes wait; everything keeps working meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from core.db.types import utc_now
from core.remote.connections import ConnectionDraft
from core.remote.dtos import ConnectionStatus
from core.remote.status import SyncStatus
from ui.formatting import format_relative
from ui.tones import Tone, accent, tint

POLL_INTERVAL_MS = 1000
Now = Callable[[], datetime]


def _tr(text: str) -> str:
    return QCoreApplication.translate("SyncStatusArea", text)


@dataclass(frozen=True)
class ConnectionTestResult:
    """What "Test connection" found: whether it signed in, and a sentence for the user
    ("Signed in as Priya Raman (agent).", "The API token was refused.", "TLS failure: …")."""

    ok: bool
    message: str


class SyncStatusSource(Protocol):
    """The desktop's seam to the sync engine, as the window sees it.

    ``status()`` must be cheap (the UI calls it every second on the UI thread). ``sync_now()``
    and ``test_connection()`` only start work; the engine runs it on the qasync loop.
    ``test_connection`` calls ``on_done`` on the Qt thread once it knows; ``secret`` None means
    the secret already stored for ``draft.name``.
    """

    def status(self) -> SyncStatus:
        """The engine's current snapshot (no I/O)."""
        ...

    def sync_now(self) -> None:
        """Pull and push every enabled connection now (the outbox first)."""
        ...

    def test_connection(
        self, draft: ConnectionDraft, secret: str | None, on_done: Callable[[ConnectionTestResult], None]
    ) -> None:
        """Sign in with ``draft`` (``users/me``) and report what happened through ``on_done``."""
        ...


class OutboxFilter(StrEnum):
    """Which entries the Outbox view lists."""

    ALL = "all"
    WAITING = "waiting"  # pending or being sent
    FAILED = "failed"
    CONFLICT = "conflict"


def state_text(status: SyncStatus, now: datetime) -> str:
    """The status area's lead: "Connected · synced 2 min ago", "Offline", "Sign in needed"."""
    state = status.state
    if not status.connections:
        return _tr("Not connected to a helpdesk")
    if state is ConnectionStatus.SIGN_IN_NEEDED:
        return _tr("Sign in needed")
    if state is ConnectionStatus.OFFLINE:
        return _tr("Offline")  # the waiting count follows as its own button
    if state is ConnectionStatus.ERROR:
        return _tr("Sync problem")
    if status.activity or (state is ConnectionStatus.NEVER_SYNCED and status.running):
        return _tr("Syncing…")
    if state is ConnectionStatus.NEVER_SYNCED:
        return _tr("Not synced yet")
    synced = status.last_synced_at
    if synced is None:
        return _tr("Connected")
    return _tr("Connected · synced {0}").format(format_relative(synced, now))


def state_tooltip(status: SyncStatus) -> str:
    """One line per connection: its name, state and why (the error's own sentence)."""
    lines = []
    for connection in status.connections:
        line = f"{connection.name}: {_state_word(connection.state)}"
        if connection.message:
            line += f" — {connection.message}"
        if connection.activity:
            line += f" ({connection.activity})"
        lines.append(line)
    return "\n".join(lines)


def _state_word(state: ConnectionStatus) -> str:
    words = {
        ConnectionStatus.CONNECTED: _tr("connected"),
        ConnectionStatus.OFFLINE: _tr("offline"),
        ConnectionStatus.SIGN_IN_NEEDED: _tr("sign in needed"),
        ConnectionStatus.ERROR: _tr("problem"),
        ConnectionStatus.NEVER_SYNCED: _tr("not synced yet"),
    }
    return words[state]


def _count_button(accessible_name: str) -> QToolButton:
    button = QToolButton()
    button.setAutoRaise(True)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    button.setAccessibleName(accessible_name)
    button.setVisible(False)
    return button


class OfflineBanner(QFrame):
    """ "Offline — 3 changes wait to be sent…" at the top of the window, with a button to the Outbox.

    Signals:
        outbox_requested(): the user pressed Show Outbox.
        sign_in_requested(): the user pressed Sign In (credentials refused).
    """

    outbox_requested = Signal()
    sign_in_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Sync status"))
        self._message = QLabel()
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setWordWrap(True)
        self.outbox_button = QPushButton(self.tr("Show &Outbox"))
        self.outbox_button.setAccessibleName(self.tr("Show the changes waiting to be sent"))
        self.outbox_button.clicked.connect(self.outbox_requested)
        self.sign_in_button = QPushButton(self.tr("Sign &In…"))
        self.sign_in_button.setAccessibleName(self.tr("Open the helpdesk connections to sign in again"))
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        row.setSpacing(12)
        row.addWidget(self._message, 1)
        row.addWidget(self.sign_in_button)
        row.addWidget(self.outbox_button)
        self._apply_palette()
        self.setVisible(False)

    @property
    def text(self) -> str:
        """What the banner says."""
        return self._message.text()

    def set_status(self, status: SyncStatus) -> None:
        """Shown while offline or signed out; hidden otherwise."""
        state = status.state if status.connections else None
        if state is ConnectionStatus.OFFLINE:
            message = self.tr("Offline: the helpdesk cannot be reached. Everything keeps working here.")
        elif state is ConnectionStatus.SIGN_IN_NEEDED:
            message = self.tr(
                "The helpdesk refused Handoff's sign-in: sync is stopped until you sign in again."
            )
        else:
            self.setVisible(False)
            return
        if status.pending:
            message += " " + self._waiting(status.pending, state)
        if self._message.text() != message:
            self._message.setText(message)
        self.sign_in_button.setVisible(state is ConnectionStatus.SIGN_IN_NEEDED)
        self.setVisible(True)

    def _waiting(self, count: int, state: ConnectionStatus) -> str:
        if state is ConnectionStatus.SIGN_IN_NEEDED:
            if count == 1:
                return self.tr("1 change waits to be sent once you have signed in.")
            return self.tr("{0} changes wait to be sent once you have signed in.").format(count)
        if count == 1:
            return self.tr("1 change waits to be sent once the connection is back.")
        return self.tr("{0} changes wait to be sent once the connection is back.").format(count)

    def _apply_palette(self) -> None:
        palette = self.palette()
        background = tint(Tone.INFO, palette, 0.14).name()
        border = accent(Tone.INFO, palette).name()
        self.setStyleSheet(
            f"QFrame#syncBanner {{ background: {background}; border: 1px solid {border};"
            " border-radius: 4px; }"
        )


class SyncStatusArea(QWidget):
    """The status bar's permanent sync widget; polls the source every second while a source is set.

    Signals:
        outbox_requested(str): open the Outbox view on this :class:`OutboxFilter` value.
        connections_requested(): open the helpdesk connections (to sign in again, or to add one).
    """

    outbox_requested = Signal(str)
    connections_requested = Signal()

    def __init__(self, *, now: Now = utc_now, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._source: SyncStatusSource | None = None
        self._status = SyncStatus()
        self.banner = OfflineBanner()
        self.banner.outbox_requested.connect(lambda: self.outbox_requested.emit(OutboxFilter.ALL.value))
        self.banner.sign_in_requested.connect(self.connections_requested)
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setAccessibleName(self.tr("Helpdesk sync"))
        self.sign_in_button = QToolButton()
        self.sign_in_button.setText(self.tr("Sign in needed"))
        self.sign_in_button.setAccessibleName(self.tr("Sign in needed: open the helpdesk connections"))
        self.sign_in_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.sign_in_button.clicked.connect(self.connections_requested)
        self.sign_in_button.setVisible(False)
        self.waiting_button = _count_button(self.tr("Changes waiting to be sent"))
        self.failed_button = _count_button(self.tr("Changes the helpdesk refused"))
        self.conflict_button = _count_button(self.tr("Changes in conflict"))
        for button, kind in (
            (self.waiting_button, OutboxFilter.WAITING),
            (self.failed_button, OutboxFilter.FAILED),
            (self.conflict_button, OutboxFilter.CONFLICT),
        ):
            button.clicked.connect(lambda _checked=False, value=kind.value: self.outbox_requested.emit(value))
        self.sync_button = QToolButton()
        self.sync_button.setText(self.tr("Sync now"))
        self.sync_button.setAccessibleName(self.tr("Sync now"))
        self.sync_button.setToolTip(self.tr("Send what waits and fetch the helpdesk's changes now"))
        self.sync_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.sync_button.clicked.connect(self.sync_now)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 4, 0)
        row.setSpacing(4)
        for widget in (
            self.state_label,
            self.sign_in_button,
            self.waiting_button,
            self.failed_button,
            self.conflict_button,
            self.sync_button,
        ):
            row.addWidget(widget)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self.refresh)
        self._apply_counts_palette()
        self.refresh()

    @property
    def status(self) -> SyncStatus:
        """The snapshot shown."""
        return self._status

    def set_source(self, source: SyncStatusSource | None) -> None:
        """Show ``source``'s status (polled every second); None: no sync in this window."""
        self._source = source
        if source is None:
            self._timer.stop()
        else:
            self._timer.start()
        self.refresh()

    def sync_now(self) -> None:
        """Ask the engine to sync now."""
        if self._source is not None:
            self._source.sync_now()
            self.state_label.setText(self.tr("Syncing…"))

    def refresh(self) -> None:
        """Read the source's snapshot and show it."""
        status = self._source.status() if self._source is not None else SyncStatus()
        self._status = status
        signed_out = bool(status.connections) and status.state is ConnectionStatus.SIGN_IN_NEEDED
        self.state_label.setVisible(not signed_out)
        self.sign_in_button.setVisible(signed_out)
        self.state_label.setText(state_text(status, self._now()))
        self._apply_state_palette(status)
        self.state_label.setToolTip(state_tooltip(status))
        self.sign_in_button.setToolTip(state_tooltip(status))
        self._set_count(self.waiting_button, status.pending, self.tr("{0} waiting"))
        self._set_count(self.failed_button, status.failed, self.tr("{0} failed"))
        conflicts = self.tr("1 conflict") if status.conflict == 1 else self.tr("{0} conflicts")
        self._set_count(self.conflict_button, status.conflict, conflicts)
        self.sync_button.setVisible(self._source is not None and bool(status.connections))
        self.sync_button.setEnabled(not status.activity)
        self.banner.set_status(status)

    @staticmethod
    def _set_count(button: QToolButton, count: int, pattern: str) -> None:
        button.setText(pattern.format(count))
        button.setVisible(count > 0)

    def _apply_state_palette(self, status: SyncStatus) -> None:
        tones = {ConnectionStatus.OFFLINE: Tone.WARNING, ConnectionStatus.ERROR: Tone.DANGER}
        tone = tones.get(status.state) if status.connections else None
        palette = self.state_label.palette()
        color = accent(tone, self.palette()) if tone else self.palette().color(QPalette.ColorRole.WindowText)
        palette.setColor(QPalette.ColorRole.WindowText, color)
        self.state_label.setPalette(palette)
        self.sign_in_button.setPalette(self._toned(self.sign_in_button, Tone.DANGER))

    def _toned(self, button: QToolButton, tone: Tone) -> QPalette:
        palette = button.palette()
        palette.setColor(QPalette.ColorRole.ButtonText, accent(tone, self.palette()))
        return palette

    def _apply_counts_palette(self) -> None:
        for button, tone in ((self.failed_button, Tone.DANGER), (self.conflict_button, Tone.WARNING)):
            button.setPalette(self._toned(button, tone))
