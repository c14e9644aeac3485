"""The window stays responsive while a large first sync runs in the background, and the synced
cases reach the inbox: the real window on the qasync loop, the sync engine on the same loop, the
sandbox Zendesk in its own process.

The target is no stall over 50 ms; on a 2-core machine whose other core serves the sandbox the
longest stall measures 40–65 ms (``tests/benchmarks/test_sync_performance.py`` reports it).
This test guards against a regression that stalls the window for a whole page's work (a page
decoded or mapped on the loop's thread stalled it for 120 ms and more).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.db.runner import DbRunner
from core.remote.connections import ConnectionDraft, save_connection
from core.remote.dtos import AuthMethod
from desktop.gui import keep_ui_responsive
from desktop.sandbox_process import running_sandbox
from desktop.sync_bridge import SyncBridge
from sync.engine import SyncReport
from ui.data_access import DataAccess
from ui.main_window import MainWindow

TICKETS = 3000
STALL_LIMIT_S = 0.100  # a regression guard; the 50 ms target is measured by the benchmark
NAME = "Stall test Zendesk"


@dataclass
class _Gaps:
    """The longest time the Qt event loop went without running a 5 ms timer."""

    longest: float = 0.0
    last: float = 0.0

    def tick(self) -> None:
        now = time.perf_counter()
        if self.last:
            self.longest = max(self.longest, now - self.last)
        self.last = now


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    switch_interval = sys.getswitchinterval()
    yield event_loop
    sys.setswitchinterval(switch_interval)
    event_loop.close()
    asyncio.set_event_loop(None)


def _zendesk_cases(session: Session) -> int:
    return (
        session.scalar(select(func.count()).select_from(CaseRow).where(CaseRow.source_system == "zendesk"))
        or 0
    )


def test_a_large_first_sync_never_stalls_the_window(
    qtbot: QtBot, db: DbRunner, data: DataAccess, loop: asyncio.AbstractEventLoop
) -> None:
    arguments = ["--cases", str(TICKETS), "--seed", "2026", "--rate-limit", "1000000"]
    with running_sandbox(arguments) as sandbox:
        draft = ConnectionDraft(
            name=NAME,
            kind="zendesk",
            base_url=sandbox.url,
            auth_method=AuthMethod.API_TOKEN,
            account_email=sandbox.email,
            ca_bundle=sandbox.ca_bundle,
        )
        db.write(save_connection, draft).result()
        window = MainWindow(data, workspace_label="stall")
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.inbox_loaded, timeout=10_000):
            window.resize(1400, 900)
            window.show()
        bridge = SyncBridge(db, data, session_secrets={NAME: sandbox.token})
        window.set_sync(bridge, bridge)
        gaps = _Gaps()
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(gaps.tick)

        keep_ui_responsive()  # as the app does

        async def sync_once() -> SyncReport:
            timer.start()
            try:
                return await bridge.engine.run_once()
            finally:
                timer.stop()
                await bridge.aclose()

        with loop:
            report = loop.run_until_complete(sync_once())

    assert report.ok, report
    assert report.connections[0].tickets_pulled >= TICKETS
    assert db.read(_zendesk_cases).result() == TICKETS
    print(f"longest UI stall during the sync: {gaps.longest * 1000:.1f} ms")
    assert gaps.longest < STALL_LIMIT_S, f"the window stalled for {gaps.longest * 1000:.0f} ms"
