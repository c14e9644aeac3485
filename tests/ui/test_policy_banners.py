"""The policy-problem banner and the update notice in a window: what they say, keyboard, dismissal."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from core.updates import Download, UpdateFailed, UpdateManifest, UpdateOffer, UpToDate
from ui.notice_banner import insert_banner
from ui.policy_banner import PolicyBanner
from ui.update_notice import UpdateNotice

PROBLEMS = [
    'features.demo: found "off"; allowed: true or false (left enabled)',
    "sync.min_interval_minutes: found 0; allowed: a whole number of minutes from 1 to 1440",
    "allowed_hosts[1]: found 7; allowed: a host name",
    'locked_settings[0]: found "theme"; allowed: one of ...',
]


def window_with(qtbot: QtBot, banner: QWidget) -> QMainWindow:
    window = QMainWindow()
    central = QWidget()
    column = QVBoxLayout(central)
    column.addWidget(QLabel("the pages"), 1)
    window.setCentralWidget(central)
    insert_banner(window, banner)
    qtbot.addWidget(window)
    window.resize(900, 400)
    window.show()
    return window


def screenshot(widget: QWidget, tmp_path: Path, name: str) -> None:
    path = Path(os.environ.get("HANDOFF_SCREENSHOT_DIR", tmp_path)) / name
    assert widget.grab().save(str(path))
    assert QImage(str(path)).width() > 0


def test_policy_banner_names_the_wrong_keys_and_how_to_check(qtbot: QtBot, tmp_path: Path) -> None:
    banner = PolicyBanner()
    window = window_with(qtbot, banner)
    assert not banner.isVisible()
    banner.show_problems("/etc/handoff/policy.json", PROBLEMS)
    assert banner.isVisible()
    lines = banner.text.splitlines()
    assert lines[0] == (
        "Your organization's policy (/etc/handoff/policy.json) has 4 problems; "
        "Handoff uses safe defaults for them:"
    )
    assert lines[1:4] == [f"• {problem}" for problem in PROBLEMS[:3]]
    assert lines[4] == "…and 1 more in the log."
    assert lines[5] == "Your IT department can check the file with: handoff policy check FILE"
    assert window.centralWidget().layout().itemAt(0).layout().itemAt(0).widget() is banner  # on top
    screenshot(window, tmp_path, "policy-banner.png")
    banner.dismiss_button.setFocus()
    qtbot.keyClick(banner.dismiss_button, Qt.Key.Key_Space)
    assert not banner.isVisible()


def test_policy_banner_stays_hidden_without_problems(qtbot: QtBot) -> None:
    banner = PolicyBanner()
    _window = window_with(qtbot, banner)
    banner.show_problems("/etc/handoff/policy.json", [])
    assert not banner.isVisible()
    banner.show_problems("policy.json", PROBLEMS[:1])
    assert banner.text.startswith(
        "Your organization's policy (policy.json) has a problem; Handoff uses a safe"
    )


def offer() -> UpdateOffer:
    download = Download("https://example.com/handoff-9.1.0-linux-x86_64.tar.gz", "ab" * 32)
    manifest = UpdateManifest(
        "9.1.0",
        "stable",
        datetime(2026, 11, 20, tzinfo=UTC),
        "https://example.com/notes/9.1.0",
        {"linux-x86_64": download},
    )
    return UpdateOffer(manifest, download)


def test_an_offer_is_downloaded_from_the_keyboard(qtbot: QtBot, tmp_path: Path) -> None:
    opened: list[str] = []
    notice = UpdateNotice(open_url=lambda url: opened.append(url.toString()) or True)
    window = window_with(qtbot, notice)
    notice.show_outcome(offer())
    assert notice.isVisible() and notice.text == "Handoff 9.1.0 is available."
    assert notice.download_button.isVisible() and notice.notes_button.isVisible()
    assert notice.download_button.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert notice.download_button.toolTip() == (
        "https://example.com/handoff-9.1.0-linux-x86_64.tar.gz\nSHA-256: " + "ab" * 32
    )
    screenshot(window, tmp_path, "update-notice.png")
    with qtbot.waitSignal(notice.download_requested) as requested:
        notice.download_button.setFocus()
        qtbot.keyClick(notice.download_button, Qt.Key.Key_Space)
    assert requested.args == ["https://example.com/handoff-9.1.0-linux-x86_64.tar.gz"]
    qtbot.keyClick(notice.notes_button, Qt.Key.Key_Space)
    assert opened == [
        "https://example.com/handoff-9.1.0-linux-x86_64.tar.gz",
        "https://example.com/notes/9.1.0",
    ]
    assert not window.isModal() and window.isEnabled()  # nothing blocks the window


def test_a_failed_check_is_shown_and_offers_nothing(qtbot: QtBot) -> None:
    opened: list[QUrl] = []
    notice = UpdateNotice(open_url=lambda url: opened.append(url) or True)
    _window = window_with(qtbot, notice)
    notice.show_outcome(UpdateFailed("signature invalid"))
    assert notice.text == "Update check failed: signature invalid"
    assert not notice.download_button.isVisible() and not notice.notes_button.isVisible()
    notice.download_button.click()
    assert opened == []


def test_nothing_is_shown_when_up_to_date(qtbot: QtBot) -> None:
    notice = UpdateNotice(open_url=lambda _url: True)
    _window = window_with(qtbot, notice)
    notice.show_outcome(UpToDate("9.1.0", "9.1.0"))
    notice.show_outcome(None)
    assert not notice.isVisible()
