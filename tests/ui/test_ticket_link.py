"""A case pulled from Zendesk shows its ticket number, a link that opens the ticket in the browser."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from tests.ui.conftest import Sample
from tests.ui.sync_support import zendesk_cases
from ui.case_header import CaseHeaderWidget
from ui.case_view import CaseView
from ui.data_access import DataAccess


def _header(view: CaseView, data: DataAccess) -> CaseHeaderWidget:
    header = view.findChild(CaseHeaderWidget)
    assert header is not None
    header.set_data_access(data)  # as the main window does
    return header


def test_a_zendesk_case_links_to_its_ticket(
    qtbot: QtBot, view: CaseView, data: DataAccess, db: DbRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = zendesk_cases(db)
    header = _header(view, data)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))

    with qtbot.wait_signal(view.case_loaded):
        view.show_case(cases.first)
    qtbot.wait_until(lambda: "href" in header.ticket_link.text())

    assert header.ticket_link.isVisible()
    assert "Zendesk #1001" in header.ticket_link.text()
    assert header.ticket_link.accessibleName() == "Zendesk #1001, opens the ticket in the browser"
    header.ticket_link.linkActivated.emit("https://acme.zendesk.com/agent/tickets/1001")
    header.ticket_link.linkActivated.emit("javascript:alert(1)")  # never opened
    assert [url.toString() for url in opened] == ["https://acme.zendesk.com/agent/tickets/1001"]


def test_a_local_case_has_no_ticket_link(
    qtbot: QtBot, view: CaseView, data: DataAccess, sample: Sample
) -> None:
    header = _header(view, data)
    with qtbot.wait_signal(view.case_loaded):
        view.show_case(sample.id(1001))

    assert not header.ticket_link.isVisible()
