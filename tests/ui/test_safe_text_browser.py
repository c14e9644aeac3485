"""SafeTextBrowser loads nothing, from anywhere, and reports link clicks instead of following them."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from ui.safe_text_browser import SafeTextBrowser


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP port on loopback that records whether anything connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/a.css",
        "file:///etc/hostname",
        "qrc:/x.png",
        "data:,x",
    ],
)
def test_load_resource_returns_nothing(qtbot: QtBot, url: str) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)

    for kind in (QTextDocument.ResourceType.ImageResource, QTextDocument.ResourceType.StyleSheetResource):
        assert browser.loadResource(int(kind.value), QUrl(url)) is None


def test_unsanitized_remote_references_never_reach_the_network(qtbot: QtBot, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.resize(600, 400)
    browser.show()
    qtbot.waitExposed(browser)

    browser.setHtml(
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">'
        f'<p style="background-image: url(http://127.0.0.1:{port}/bg.png)">text</p>'
        f'<img src="http://127.0.0.1:{port}/x.png" width="20" height="20">'
        f'<table background="http://127.0.0.1:{port}/t.png"><tr><td>cell</td></tr></table>'
    )
    browser.grab()  # layout and paint, where images would be fetched

    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected


def test_a_link_click_is_reported_not_followed(qtbot: QtBot) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml('<a href="https://status.example.com/7">status</a>')

    with qtbot.waitSignal(browser.link_activated, timeout=1000) as clicked:
        browser.anchorClicked.emit(QUrl("https://status.example.com/7"))

    assert clicked.args == [QUrl("https://status.example.com/7")]
    assert browser.source().isEmpty()
    assert "status" in browser.toPlainText()
    assert not browser.openLinks() and not browser.openExternalLinks()
