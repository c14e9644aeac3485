"""Timeline HTML: every body safe (sanitized or escaped), structured events in words, fast enough."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from core.domain.dtos import TimelineEvent
from core.domain.enums import DEFAULT_VISIBILITY, EventKind, Visibility
from ui.timeline_html import TimelineColors, event_body_html, render_timeline
from ui.timeline_view import TimelineView

WHEN = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ALL = frozenset(Visibility)


def event(kind: EventKind, text: str = "", *, html: str | None = None, **meta: str) -> TimelineEvent:
    return TimelineEvent(
        id=1,
        kind=kind,
        visibility=DEFAULT_VISIBILITY[kind],
        occurred_at=WHEN,
        author_name="Dana <Whitfield>",
        body_text=text,
        body_html=html,
        meta=dict(meta),
    )


def colors(_qtbot: QtBot) -> TimelineColors:
    return TimelineColors.from_palette(QGuiApplication.palette())


def test_customer_html_is_sanitized() -> None:
    body = event_body_html(
        event(
            EventKind.CUSTOMER_MESSAGE,
            html='<p onclick="x()">Hi <img src="http://x/t.png"><script>bad()</script>',
        )
    )
    assert body == "<p>Hi </p>"


def test_plain_text_is_escaped_with_line_breaks_kept() -> None:
    body = event_body_html(event(EventKind.AGENT_REPLY, "Use <b>\nthis & that"))
    assert body == '<p style="margin:0">Use &lt;b&gt;<br>this &amp; that</p>'


def test_system_logs_are_monospace_and_escaped() -> None:
    body = event_body_html(event(EventKind.SYSTEM_LOG, "ERR <xml>\n  at line 3"))
    assert "monospace" in body and "white-space:pre-wrap" in body
    assert "ERR &lt;xml&gt;\n  at line 3" in body


def test_field_changes_read_as_from_to_in_words() -> None:
    body = event_body_html(
        event(
            EventKind.FIELD_CHANGE, "changed", field="stage", **{"from": "triaged", "to": "awaiting_customer"}
        )
    )
    assert body == '<p style="margin:0">stage: Triaged &rarr; <b>Awaiting customer</b></p>'
    other = event_body_html(event(EventKind.FIELD_CHANGE, field="product_area", old="", new="SSO"))
    assert "product area: (none) &rarr; <b>SSO</b>" in other


def test_attachments_show_name_and_size() -> None:
    body = event_body_html(
        event(EventKind.ATTACHMENT, "Screen recording", filename="a<b>.mp4", size_bytes="2500000")
    )
    assert "<b>a&lt;b&gt;.mp4</b> (2.4 MB)" in body
    assert "Screen recording" in body


def test_cards_name_kind_author_and_mark_internal(qtbot: QtBot) -> None:
    rendered = render_timeline(
        [
            event(EventKind.INTERNAL_NOTE, "note"),
            event(EventKind.TROUBLESHOOTING_STEP, "step"),
            event(EventKind.CUSTOMER_MESSAGE, "hello"),
        ],
        colors(qtbot),
        ALL,
    )
    assert rendered.shown == 3 and rendered.hidden == 0
    assert "Internal note" in rendered.html and "Customer message" in rendered.html
    assert "Dana &lt;Whitfield&gt;" in rendered.html
    assert rendered.html.count(">Internal<") == 1  # the step says so; the note's kind already does
    internal_card = TimelineColors.from_palette(QGuiApplication.palette()).internal_card
    assert rendered.html.count(f'bgcolor="{internal_card}"') == 2


def test_filters_leave_out_hidden_visibilities(qtbot: QtBot) -> None:
    events = [
        event(EventKind.INTERNAL_NOTE, "secret"),
        event(EventKind.SYSTEM_LOG, "log"),
        event(EventKind.AGENT_REPLY, "hi"),
    ]

    rendered = render_timeline(events, colors(qtbot), {Visibility.CUSTOMER})

    assert (rendered.shown, rendered.hidden) == (1, 2)
    assert "secret" not in rendered.html and "log" not in rendered.html.replace("System log", "")
    empty = render_timeline(events, colors(qtbot), set())
    assert "No events match the filters." in empty.html


def test_sixty_events_render_within_100_ms(qtbot: QtBot) -> None:
    kinds = list(EventKind)
    events = [
        event(
            kinds[i % len(kinds)],
            f"Event {i}\nwith two lines",
            html="<p>Hello <b>there</b></p>" if i % 7 == 0 else None,
        )
        for i in range(60)
    ]
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        view.set_events(events)
        view.browser.viewport().repaint()
        timings.append(time.perf_counter() - started)

    assert min(timings) < 0.100, timings
    assert "Event 59" in view.browser.toPlainText()


def test_a_reply_corrected_after_the_helpdesk_refused_it_says_edited(qtbot: QtBot) -> None:
    corrected = event(EventKind.AGENT_REPLY, "A shorter reply.", text_before_edit="A reply far too long")
    untouched = event(EventKind.AGENT_REPLY, "Thanks, that worked.")

    assert "Agent reply · edited" in render_timeline([corrected], colors(qtbot), ALL).html
    assert "edited" not in render_timeline([untouched], colors(qtbot), ALL).html
