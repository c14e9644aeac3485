"""Measuring how long the window stalls while it syncs a sandbox Zendesk in the background.

Shared by the UI test (a regression guard) and the sync benchmark (the 50 ms target): the real
main window on the qasync loop, the sync engine on the same loop, the sandbox in its own process,
and a 5 ms Qt timer whose longest gap between ticks is the longest stall.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.remote.connections import save_connection
from desktop.gc_guard import QtThreadGarbageCollector, freeze_long_lived
from desktop.gui import keep_ui_responsive
from desktop.sandbox_process import running_sandbox
from desktop.sync_bridge import SyncBridge
from sync.engine import SyncReport
from ui.data_access import DataAccess
from ui.main_window import MainWindow

NAME = "Stall probe Zendesk"


@dataclass(frozen=True)
class StallMeasure:
    """The sync's report and the longest time the Qt event loop went without a timer tick."""

    report: SyncReport
    longest_stall_s: float


def sync_in_the_window(qtbot: QtBot, qapp: QApplication, db: DbRunner, tickets: int) -> StallMeasure:
    """Show the main window, sync ``tickets`` sandbox tickets in the background, time the stalls.

    As the app does: the UI thread takes the interpreter back within 1 ms and garbage is
    collected on the Qt thread.
    """
    data = DataAccess(db)
    collector = QtThreadGarbageCollector(qapp)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    interval = sys.getswitchinterval()
    keep_ui_responsive()
    arguments = ["--cases", str(tickets), "--seed", "2026", "--rate-limit", "1000000"]
    try:
        with running_sandbox(arguments) as sandbox:
            db.write(save_connection, sandbox.connection_draft(NAME)).result()
            window = MainWindow(data, workspace_label="stall")
            qtbot.addWidget(window)
            with qtbot.waitSignal(window.inbox_loaded, timeout=30_000):
                window.resize(1400, 900)
                window.show()
            bridge = SyncBridge(db, data, session_secrets={NAME: sandbox.token})
            window.set_sync(bridge, bridge)
            freeze_long_lived()  # as the app does once sync starts
            ticks = _Ticks()
            timer = QTimer()
            timer.setInterval(5)
            timer.timeout.connect(ticks.tick)

            async def sync_once() -> SyncReport:
                timer.start()
                try:
                    return await bridge.engine.run_once()
                finally:
                    timer.stop()
                    await bridge.aclose()

            report = loop.run_until_complete(sync_once())
            window.close()
    finally:
        sys.setswitchinterval(interval)
        collector.stop()
        data.close()
        loop.close()
        asyncio.set_event_loop(None)
    return StallMeasure(report, ticks.longest)


class _Ticks:
    def __init__(self) -> None:
        self.longest = 0.0
        self._last = 0.0

    def tick(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.longest = max(self.longest, now - self._last)
        self._last = now
