"""The case's prepared summary and similar resolved cases, beside the timeline, linked to their sources."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.domain.enums import EventKind, Stage, Visibility
from tests.factories import BASE_TIME, add_case, add_event
from tests.ui.conftest import Sample
from ui.case_view import CaseView
from ui.summary_html import case_url, event_url


@pytest.fixture
def solved_twin(db: DbRunner, sample: Sample) -> int:
    """A resolved case about the same Okta login loop, with its root cause and resolution."""

    def build(session: Session) -> int:
        case = add_case(
            session,
            2001,
            "Okta SSO login loops back to the sign-in page after certificate rotation",
            stage=Stage.RESOLVED,
            resolved_at=BASE_TIME,
        )
        case.root_cause = "IdP clock skew of 94 s rejected the SAML assertion."
        case.resolution = "Re-synced the IdP clock with NTP."
        add_event(session, case, EventKind.CUSTOMER_MESSAGE, "The Okta login loop is back for every user.")
        return case.id

    return db.write(build).result()


def open_case(qtbot: QtBot, view: CaseView, case_id: int) -> None:
    with qtbot.waitSignal(view.side_panel.insights_loaded, timeout=5000):
        view.show_case(case_id)


def test_the_summary_is_prepared_and_each_line_links_to_its_event(
    qtbot: QtBot, view: CaseView, sample: Sample
) -> None:
    open_case(qtbot, view, sample.id(1001))

    summary = view.side_panel.summary
    assert summary is not None and summary.case_id == sample.id(1001)
    html = view.side_panel.browser.toHtml()
    assert "Already tried" in html and "Open questions" in html
    linked = [line.event_id for line in summary.tried if line.event_id is not None]
    assert linked, "what was tried comes from timeline events"
    assert event_url(linked[0]) in html


def test_clicking_a_summary_line_shows_its_event_even_when_filtered_out(
    qtbot: QtBot, view: CaseView, sample: Sample
) -> None:
    open_case(qtbot, view, sample.id(1001))
    log_event = next(e for e in view.timeline.events if e.kind is EventKind.SYSTEM_LOG)
    view.timeline.filter_button(Visibility.SYSTEM).setChecked(False)

    view.side_panel.browser.link_activated.emit(QUrl(event_url(log_event.id)))

    assert view.timeline.filter_button(Visibility.SYSTEM).isChecked()
    assert "NotBefore in the future" in view.timeline.browser.toPlainText()


def test_similar_resolved_cases_show_how_they_ended_and_open_on_click(
    qtbot: QtBot, view: CaseView, sample: Sample, solved_twin: int
) -> None:
    open_case(qtbot, view, sample.id(1001))

    similar = view.side_panel.similar_cases
    assert similar is not None and similar[0].case_id == solved_twin
    text = view.side_panel.browser.toPlainText()
    assert "IdP clock skew of 94 s" in text and "Re-synced the IdP clock" in text
    with qtbot.waitSignal(view.case_link_activated, timeout=2000) as clicked:
        view.side_panel.browser.link_activated.emit(QUrl(case_url(solved_twin)))
    assert clicked.args == [solved_twin]


def test_a_proposed_resolution_shows_its_confirmation_tracker(
    qtbot: QtBot, view: CaseView, db: DbRunner, sample: Sample
) -> None:
    from datetime import UTC, datetime, timedelta

    from core.workflow import propose_resolution

    a_week_ago = datetime.now(UTC) - timedelta(days=7)
    db.write(
        propose_resolution, sample.id(1001), sample.me, "Please sync the IdP clock.", a_week_ago
    ).result()

    open_case(qtbot, view, sample.id(1001))

    tracker = view.side_panel.confirmation
    assert tracker is not None and tracker.reminder_due
    text = view.side_panel.browser.toPlainText()
    assert "Waiting for the customer's confirmation" in text
    assert "Reminders sent: 0 of 2." in text and "A reminder is due" in text
