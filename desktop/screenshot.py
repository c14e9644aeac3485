"""Rendering the real main window offscreen to a PNG (README screenshots, CI smoke test)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.db.runner import DbRunner
from core.domain.dtos import InboxQuery
from core.queries.case_detail import case_id_for_number
from core.queries.inbox import inbox_case_ids
from core.workspace import open_workspace

LOAD_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class ScreenshotRequest:
    """What to render and where."""

    data_dir: Path
    view: str  # "inbox", "case", "board" or "triage"
    out: Path
    width: int = 1400
    height: int = 900
    case_number: int | None = None


def render_screenshot(request: ScreenshotRequest) -> Path:
    """Open the workspace, show the requested view at the requested size, save it as PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before the QApplication exists
    from desktop.qt_app import create_application
    from desktop.qt_wait import process_events_for, wait_for_signal
    from ui.data_access import DataAccess
    from ui.main_window import MainWindow

    app = create_application()
    engine, _report = open_workspace(request.data_dir, create=False)
    db = DbRunner(engine)
    try:
        case_id = _case_to_show(db, request) if request.view == "case" else None
        data = DataAccess(db)
        window = MainWindow(data, workspace_label=request.data_dir.name)
        window.resize(request.width, request.height)
        window.show()
        wait_for_signal(window.inbox_loaded, LOAD_TIMEOUT_MS, "the inbox to load")
        if case_id is not None:
            window.open_case(case_id)
            wait_for_signal(window.case_loaded, LOAD_TIMEOUT_MS, "the case to load")
        elif request.view == "board":
            window.show_board()
            wait_for_signal(window.board_loaded, LOAD_TIMEOUT_MS, "the board to load")
        elif request.view == "triage":
            window.show_triage()
            wait_for_signal(window.triage_loaded, LOAD_TIMEOUT_MS, "the triage queue to load")
        process_events_for(150)
        request.out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(request.out), "PNG"):
            raise OSError(f"could not write {request.out}")
        window.close()
        app.processEvents()
    finally:
        db.shutdown()
    return request.out


def _case_to_show(db: DbRunner, request: ScreenshotRequest) -> int:
    """The id of the requested case, or of the inbox's first; LookupError when there is none.

    Resolved before any window exists, so blocking on the DB thread here freezes nothing.
    """
    if request.case_number is not None:
        return db.read(case_id_for_number, request.case_number).result()
    first = db.read(inbox_case_ids, InboxQuery(limit=1)).result()
    if not first:
        raise LookupError("the workspace has no case to show")
    return first[0]
