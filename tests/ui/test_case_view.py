"""CaseView: header, timeline and context of a case; hostile HTML stays inert; filters; missing cases."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.domain.changes import ChangeSet
from core.domain.enums import Visibility
from tests.ui.conftest import Sample
from ui.case_view import CaseView
from ui.data_access import DataAccess
from ui.safe_text_browser import SafeTextBrowser


def show(qtbot: QtBot, view: CaseView, case_id: int) -> None:
    with qtbot.waitSignal(view.case_loaded, timeout=5000) as loaded:
        view.show_case(case_id)
        assert view.message == "Loading…"
    assert loaded.args == [case_id]
    assert view.message == ""


def label_texts(view: CaseView) -> list[str]:
    return [label.text() for label in view.findChildren(QLabel)]


def test_header_shows_case_customer_and_fields(qtbot: QtBot, view: CaseView, sample: Sample) -> None:
    show(qtbot, view, sample.id(1001))

    texts = label_texts(view)
    assert "Okta SSO login loops back to the sign-in page" in texts
    context = next(text for text in texts if text.startswith("Case #1001"))
    assert "Northwind Traders (Enterprise)" in context
    assert "ARR $120,000" in context
    for expected in ("Urgent", "Tier 2", "Investigating", "Identity & SSO", "Priya Raman"):
        assert expected in texts
    assert "Dana Whitfield <dana@northwind.example>" in texts


def test_side_panel_shows_escalations_and_notes(qtbot: QtBot, view: CaseView, sample: Sample) -> None:
    show(qtbot, view, sample.id(1001))

    text = view.side_panel.browser.toPlainText()
    assert "Tier 2 · Technical expertise" in text
    assert "Needs an SSO specialist." in text
    assert "Hypothesis" in text and "Clock skew between the IdP and our servers." in text


def test_hostile_customer_html_is_inert(
    qtbot: QtBot, data: DataAccess, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    requested: list[tuple[str, Any]] = []
    original = SafeTextBrowser.loadResource

    def spy(self: SafeTextBrowser, kind: int, url: QUrl) -> Any:
        result = original(self, kind, url)
        requested.append((url.toString(), result))
        return result

    monkeypatch.setattr(SafeTextBrowser, "loadResource", spy)
    view = CaseView(data)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    show(qtbot, view, sample.id(1001))
    view.grab()  # lay out and paint: anything that would load, would have loaded

    browser = view.timeline.browser
    document_html = browser.toHtml().lower()
    shown = browser.toPlainText()
    assert "login loop" in shown and "the status page" in shown
    assert "pwned" not in shown and "document.title" not in shown and "alert(" not in shown
    assert not re.search(r"<(img|script|iframe|object|style)\b", document_html.split("<body", 1)[1])
    assert "127.0.0.1" not in document_html
    assert "javascript:" not in document_html
    assert 'href="https://status.example.com/7"' in document_html
    assert all(not url.startswith(("http:", "https:")) or result is None for url, result in requested)


def test_timeline_shows_every_kind_with_readable_bodies(qtbot: QtBot, view: CaseView, sample: Sample) -> None:
    show(qtbot, view, sample.id(1001))

    text = view.timeline.browser.toPlainText()
    for label in (
        "Customer message",
        "Agent reply",
        "Internal note",
        "Troubleshooting step",
        "System log",
        "Field change",
        "Attachment",
    ):
        assert label in text
    assert "priority: Normal → Urgent" in text
    assert "login-loop.har (470.8 kB)" in text
    assert (
        "Thanks Dana,\u2028we are looking into it." in text or "Thanks Dana,\nwe are looking into it." in text
    )


def test_filters_hide_internal_and_system_events(qtbot: QtBot, view: CaseView, sample: Sample) -> None:
    show(qtbot, view, sample.id(1001))
    timeline = view.timeline
    internal = timeline.filter_button(Visibility.INTERNAL)
    assert internal.isChecked() and internal.isCheckable()
    assert "Secret internal hunch" in timeline.browser.toPlainText()

    qtbot.mouseClick(internal, Qt.MouseButton.LeftButton)

    text = timeline.browser.toPlainText()
    assert "Secret internal hunch" not in text
    assert "Cleared the session cache" not in text  # troubleshooting steps are internal too
    assert "login loop" in text and "NotBefore" in text

    qtbot.mouseClick(timeline.filter_button(Visibility.SYSTEM), Qt.MouseButton.LeftButton)

    assert "NotBefore" not in timeline.browser.toPlainText()
    assert "priority: Normal" not in timeline.browser.toPlainText()


def test_filter_buttons_are_keyboard_accessible(qtbot: QtBot, view: CaseView, sample: Sample) -> None:
    show(qtbot, view, sample.id(1001))
    view.activateWindow()
    qtbot.waitActive(view)
    internal = view.timeline.filter_button(Visibility.INTERNAL)
    assert internal.focusPolicy() & Qt.FocusPolicy.TabFocus

    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # its mnemonic

    qtbot.waitUntil(lambda: not internal.isChecked())  # a mnemonic "animates" the click
    assert "Secret internal hunch" not in view.timeline.browser.toPlainText()


def test_a_missing_case_gets_a_clear_message(qtbot: QtBot, view: CaseView, sample: Sample) -> None:
    loaded: list[int] = []
    view.case_loaded.connect(loaded.append)

    view.show_case(999_999)

    qtbot.waitUntil(lambda: "no longer exists" in view.message)
    assert loaded == []


def test_escape_asks_to_go_back(qtbot: QtBot, view: CaseView, sample: Sample) -> None:
    show(qtbot, view, sample.id(1002))

    with qtbot.waitSignal(view.back_requested, timeout=1000):
        qtbot.keyClick(view, Qt.Key.Key_Escape)


def _rename(session: Session, case_id: int) -> ChangeSet:
    session.get_one(CaseRow, case_id).subject = "Okta SSO loop fixed by clock sync"
    return ChangeSet(cases=frozenset({case_id}))


def test_a_change_to_the_shown_case_updates_it_in_place(
    qtbot: QtBot, data: DataAccess, view: CaseView, sample: Sample
) -> None:
    show(qtbot, view, sample.id(1001))
    loaded: list[int] = []
    view.case_loaded.connect(loaded.append)

    data.write(_rename, sample.id(1001))

    qtbot.waitUntil(lambda: "Okta SSO loop fixed by clock sync" in label_texts(view))
    assert view.message == ""  # no "Loading…" flash
    assert loaded == []  # a refresh, not a new opening
