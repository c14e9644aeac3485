"""Timeline cards of local writes: a visible "Pending" badge, and note Markdown rendered safely."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from core.domain.dtos import TimelineEvent
from core.domain.enums import EventKind, Visibility
from ui.timeline_html import TimelineColors, event_body_html, render_timeline

NOTE = TimelineEvent(
    id=7,
    kind=EventKind.INTERNAL_NOTE,
    visibility=Visibility.INTERNAL,
    occurred_at=datetime(2026, 11, 20, 10, 30, tzinfo=UTC),
    author_name="Priya Raman",
    body_text="**Clock skew** of 94 s\n\n- check `ntpd`\n- <script>alert(1)</script> [x](javascript:go())",
    meta={"note_kind": "hypothesis"},
    pending=True,
)


def test_a_pending_event_carries_the_badge_until_it_is_delivered(qtbot: QtBot) -> None:
    colors = TimelineColors.from_palette(QGuiApplication.palette())

    pending = render_timeline([NOTE], colors, frozenset(Visibility)).html
    delivered = render_timeline([replace(NOTE, pending=False)], colors, frozenset(Visibility)).html

    assert ">Pending</span>" in pending
    assert "Pending" not in delivered
    assert "Internal note · Hypothesis" in pending


def test_note_markdown_is_formatted_and_nothing_in_it_is_active() -> None:
    body = event_body_html(NOTE)

    assert "<strong>Clock skew</strong>" in body
    assert "<li>check <code>ntpd</code></li>" in body
    assert "<script" not in body and "&lt;script&gt;" in body
    assert "<a" not in body  # a javascript: link stays text


def test_a_sent_message_names_its_attachments() -> None:
    reply = replace(
        NOTE,
        kind=EventKind.AGENT_REPLY,
        visibility=Visibility.CUSTOMER,
        body_html="<p>Logs attached.</p>",
        meta={"attachments": "trace.log, <b>screen</b>.png"},
    )

    body = event_body_html(reply)

    assert body.startswith("<p>Logs attached.</p>")
    assert "trace.log, &lt;b&gt;screen&lt;/b&gt;.png" in body
