"""A bug reaches the one exception hook: it is logged and shown, with secrets masked, and the app goes on."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.crash import report_bug


def _visible_crash_dialogs() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_a_bug_opens_a_crash_dialog_with_the_traceback_and_no_secret(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        raise RuntimeError("refresh failed for Authorization: Bearer sk-live-123456")
    except RuntimeError as error:
        with caplog.at_level(logging.ERROR, logger="handoff.crash"):
            report_bug(type(error), error, error.__traceback__)

    qtbot.waitUntil(lambda: len(_visible_crash_dialogs()) == 1)
    dialog = _visible_crash_dialogs()[0]
    assert "Your work is saved" in dialog.text()
    assert "RuntimeError: refresh failed" in dialog.detailedText()
    assert "sk-live-123456" not in dialog.detailedText()
    assert "sk-live-123456" not in caplog.text
    assert "refresh failed" in caplog.text
    dialog.close()
    qtbot.waitUntil(lambda: not _visible_crash_dialogs())
