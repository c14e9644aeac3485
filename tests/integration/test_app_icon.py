"""The window icon: shipped with the app and loadable by Qt, so windows and the tray show it."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from pytestqt.qtbot import QtBot

from desktop.paths import app_icon_file


def test_the_app_icon_is_a_256_pixel_image_qt_can_load(qtbot: QtBot) -> None:
    icon = QIcon(str(app_icon_file()))

    assert not icon.isNull()
    assert QSize(256, 256) in icon.availableSizes()
    assert not icon.pixmap(32, 32).toImage().isNull()
