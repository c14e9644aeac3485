"""The one place bugs end up: log the traceback, show a crash dialog, keep running if possible."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from core.redaction import redact

log = logging.getLogger("handoff.crash")


def _tr(text: str) -> str:
    return QCoreApplication.translate("CrashDialog", text)


def install_excepthook() -> None:
    """Route uncaught exceptions (main thread and Qt slots) to :func:`report_bug`."""
    sys.excepthook = report_bug


def report_bug(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """Log a bug with its traceback and show a non-modal crash dialog."""
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    details = redact("".join(traceback.format_exception(kind, error, tb)))
    log.error("unexpected error:\n%s", details)
    if QApplication.instance() is None:
        return
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_tr("Handoff hit a bug"))
    box.setText(
        _tr(
            "Something went wrong inside Handoff. Your work is saved in the local database; "
            "you can keep working or restart Handoff."
        )
    )
    box.setDetailedText(details)
    box.open()
    _open_dialogs.append(box)
    box.finished.connect(lambda _result, dialog=box: _open_dialogs.remove(dialog))


_open_dialogs: list[QMessageBox] = []
