"""The window stays responsive while a large first sync runs in the background, and the synced
cases reach the workspace (see :mod:`tests.sync_stall`).

The target is no stall over 50 ms; on this 2-core machine, whose other core serves the sandbox,
the longest stall measures 37–72 ms at 20,000 tickets (``tests/benchmarks/test_sync_performance.py``
measures it; this test syncs 3,000). This test guards against a regression that stalls the window for a whole
page's work (a page decoded or mapped on the loop's thread stalled it for 120 ms and more).
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.db.runner import DbRunner
from tests.sync_stall import sync_in_the_window

TICKETS = 3000
STALL_LIMIT_S = 0.100  # a regression guard; the 50 ms target is measured by the benchmark


def _zendesk_cases(session: Session) -> int:
    counted = select(func.count()).select_from(CaseRow).where(CaseRow.source_system == "zendesk")
    return session.scalar(counted) or 0


def test_a_large_first_sync_never_stalls_the_window(qtbot: QtBot, qapp: QApplication, db: DbRunner) -> None:
    measured = sync_in_the_window(qtbot, qapp, db, TICKETS)

    assert measured.report.ok, measured.report
    assert measured.report.connections[0].tickets_pulled >= TICKETS
    assert db.read(_zendesk_cases).result() == TICKETS
    print(f"longest UI stall during the sync: {measured.longest_stall_s * 1000:.1f} ms")
    assert measured.longest_stall_s < STALL_LIMIT_S, (
        f"the window stalled for {measured.longest_stall_s * 1000:.0f} ms"
    )
