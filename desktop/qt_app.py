"""Creating the one QApplication, with Handoff's identity, style and translations."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.paths import APP_NAME


def create_application(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication (created once; reused when it already exists)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(APP_NAME)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setStyle("Fusion")
    _install_translations(app)
    return app


def _install_translations(app: QApplication) -> None:
    """Qt's own translations for the user's locale (Handoff's .qm files join them when they exist)."""
    translator = QTranslator(app)
    if translator.load(
        QLocale(), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(translator)
