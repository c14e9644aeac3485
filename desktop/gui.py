"""Running the desktop app: migrate, then the app coroutine on the qasync loop, then a clean shutdown.

Start-up order (ARCHITECTURE.md): logging and excepthook, QApplication,
workspace path, database migration (before any window; a problem becomes a
clear dialog), then the app coroutine builds the services and the window and
waits until the user quits; on the way out the DB thread is drained.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import resource
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from core.db.migrate import DatabaseError
from core.db.runner import DbRunner
from core.policy import current_policy
from core.policy.preferences import read_preferences
from core.workspace import open_workspace
from desktop.crash import install_excepthook
from desktop.gc_guard import QtThreadGarbageCollector, freeze_long_lived
from desktop.policy_startup import PolicyAndUpdates
from desktop.qt_app import create_application
from desktop.sync_bridge import SyncBridge
from ui.data_access import DataAccess
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from desktop.sync_bridge import SyncBridge

log = logging.getLogger("handoff.app")

# Benchmarks: print a line and quit as soon as the first inbox page is painted.
EXIT_AFTER_FIRST_PAINT_ENV = "HANDOFF_EXIT_AFTER_FIRST_PAINT"
FIRST_PAINT_MARKER = "handoff-first-paint"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Startup", text)


UI_SWITCH_INTERVAL_S = 0.001


def keep_ui_responsive() -> None:
    """Let the UI thread take the interpreter back within a millisecond (Python's default is 5 ms).

    The window shares the interpreter with the DB thread and the sync workers; with the default
    interval, a busy first sync could hold the UI thread off for 50 ms and more.
    """
    sys.setswitchinterval(UI_SWITCH_INTERVAL_S)


def run_gui(data_dir: Path, *, session_secrets: Mapping[str, str] | None = None) -> int:
    """Open the main window on the workspace in ``data_dir``; returns the exit status.

    ``session_secrets``: helpdesk connections signed in for this session only (the demo's sandbox).
    """
    app = create_application()
    keep_ui_responsive()
    install_excepthook()
    collector = QtThreadGarbageCollector(app)
    try:
        engine, report = open_workspace(data_dir)
    except DatabaseError as error:
        log.warning("cannot open workspace %s: %s", data_dir, error)
        _show_database_problem(str(error))
        return 1
    if report.backup_path is not None:
        log.info("workspace upgraded from %s; backup at %s", report.from_revision, report.backup_path)
    db = DbRunner(engine)
    # qasync must be imported after PySide6 so that it binds to it.
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(run_app(app, db, data_dir, session_secrets))
    finally:
        db.shutdown()
        collector.stop()
        asyncio.set_event_loop(None)


async def run_app(
    app: QApplication, db: DbRunner, data_dir: Path, session_secrets: Mapping[str, str] | None = None
) -> int:
    """The app coroutine: build services and the window, wait for the user to quit."""
    closed = asyncio.Event()
    # The loop must outlive the window: sync is stopped (awaited) after the last window closes.
    app.setQuitOnLastWindowClosed(False)
    data = DataAccess(db)
    window = MainWindow(data, workspace_label=data_dir.name)
    # Background sync starts once the first inbox page is shown: nothing added to start-up.
    sync = BackgroundSync(window, db, data, session_secrets)
    policy_extras = PolicyAndUpdates(window, data)  # policy banner, preset connections, daily update check
    app.lastWindowClosed.connect(closed.set)
    if os.environ.get(EXIT_AFTER_FIRST_PAINT_ENV):
        FirstPaintProbe(window, closed)
    window.resize(1400, 900)
    window.show()
    await closed.wait()
    await sync.aclose()  # stops after the current page or entry; the outbox keeps the rest
    await policy_extras.aclose()
    window.deleteLater()
    return 0


class BackgroundSync:
    """The sync engine behind the window, started when the first inbox page has loaded.

    The sync modules (httpx, the connectors) are imported then, on a worker thread: neither
    the first paint nor the window waits for them (importing them takes about 150 ms).
    """

    def __init__(
        self, window: MainWindow, db: DbRunner, data: DataAccess, session_secrets: Mapping[str, str] | None
    ) -> None:
        self._window = window
        self._db = db
        self._data = data
        self._session_secrets = session_secrets
        self._bridge: SyncBridge | None = None
        self._starting: asyncio.Task[None] | None = None
        window.inbox_loaded.connect(self._on_first_page)

    def _on_first_page(self, _rows: int) -> None:
        self._window.inbox_loaded.disconnect(self._on_first_page)
        self._starting = asyncio.ensure_future(self._start())

    async def _start(self) -> None:
        module = await asyncio.to_thread(importlib.import_module, "desktop.sync_bridge")
        # The user's sync interval, within the bounds the IT policy sets.
        managed = await asyncio.wrap_future(self._db.read(read_preferences, current_policy()))
        self._bridge = module.SyncBridge(
            self._db,
            self._data,
            session_secrets=self._session_secrets,
            interval=managed.values.sync_interval_minutes * 60,
        )
        self._window.set_sync(self._bridge, self._bridge)
        freeze_long_lived()  # start-up is over: collections during sync skip what it built
        self._bridge.start()

    async def aclose(self) -> None:
        """Stop syncing after the current page or entry (the outbox keeps the rest)."""
        if self._starting is not None:
            await self._starting
        if self._bridge is not None:
            await self._bridge.aclose()


class FirstPaintProbe(QObject):
    """Benchmark hook: once the inbox's first page is painted, print the marker and quit."""

    def __init__(self, window: MainWindow, closed: asyncio.Event) -> None:
        super().__init__(window)
        self._window = window
        self._closed = closed
        self._loaded = False
        self._viewport = window.inbox_table().viewport()
        self._viewport.installEventFilter(self)
        window.inbox_loaded.connect(self._on_window_inbox_loaded)

    def _on_window_inbox_loaded(self, _rows: int) -> None:
        self._loaded = True
        self._viewport.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._loaded and watched is self._viewport and event.type() == QEvent.Type.Paint:
            self._viewport.removeEventFilter(self)
            QTimer.singleShot(0, self._report)  # after this paint has finished
        return False

    def _report(self) -> None:
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{FIRST_PAINT_MARKER} peak_rss_mb={peak_mb:.1f}", flush=True)
        self._window.close()
        self._closed.set()


def _show_database_problem(message: str) -> None:
    """A clear dialog for a workspace that cannot be opened (before any window exists)."""
    print(f"handoff: {message}", file=sys.stderr)
    if QGuiApplication.platformName() == "offscreen":
        return  # nobody could see or dismiss a dialog
    box = QMessageBox(QMessageBox.Icon.Critical, _tr("Cannot open the workspace"), message)
    box.setInformativeText(_tr("Nothing was changed in the workspace."))
    box.exec()  # before the event loop runs: no coroutine is involved
