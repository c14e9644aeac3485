"""Creating the one QApplication, with Handoff's identity, style and translations."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop.paths import APP_NAME, app_icon_file


def create_application(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication (created once; reused when it already exists)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    qInstallMessageHandler(_log_qt_message)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(APP_NAME)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setStyle("Fusion")
    icon = app_icon_file()
    if icon.is_file():  # every window and the tray icon show it
        app.setWindowIcon(QIcon(str(icon)))
    _install_translations(app)
    return app


def _install_translations(app: QApplication) -> None:
    """Qt's own translations for the user's locale (Handoff's .qm files join them when they exist)."""
    translator = QTranslator(app)
    if translator.load(
        QLocale(), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(translator)


_qt_log = logging.getLogger("handoff.qt")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
# Said by the offscreen platform (screenshots, CI) for every window with a layout; means nothing.
_PLATFORM_NOISE = ("This plugin does not support propagateSizeHints()",)


def _log_qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own messages go to the ``handoff.qt`` logger instead of bare stderr."""
    if message in _PLATFORM_NOISE:
        return
    _qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)
