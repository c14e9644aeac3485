"""HTML of the case summary and of the similar resolved cases, for the case view's side panel.

Every summary line that came from a timeline event links to it
(``handoff-event:<id>``); a similar case links to itself (``handoff-case:<id>``).
All text is escaped: none of it is trusted markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import timedelta

from PySide6.QtCore import QCoreApplication, QUrl

from core.intelligence.similar_cases import SimilarCase
from core.intelligence.summary import CaseSummary, SummaryLine
from core.workflow.reminders import ConfirmationTracker
from ui.formatting import format_short_timestamp

EVENT_SCHEME = "handoff-event"
CASE_SCHEME = "handoff-case"


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseSummary", text)


def event_url(event_id: int) -> str:
    """The link of a timeline event."""
    return f"{EVENT_SCHEME}:{event_id}"


def case_url(case_id: int) -> str:
    """The link of a case."""
    return f"{CASE_SCHEME}:{case_id}"


def linked_id(url: QUrl, scheme: str) -> int | None:
    """The id a ``handoff-event:`` / ``handoff-case:`` link points at, or None for any other link."""
    if url.scheme() != scheme:
        return None
    path = url.path()
    return int(path) if path.isdigit() else None


def format_age(age: timedelta) -> str:
    """A duration as a person says it: "40 min", "5 h", "3 days"."""
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return _tr("{0} min").format(max(minutes, 0))
    hours = minutes // 60
    if hours < 48:
        return _tr("{0} h").format(hours)
    return _tr("{0} days").format(hours // 24)


def _line(line: SummaryLine, quiet: str) -> str:
    label = f'<span style="color:{quiet}">{html.escape(line.label)}:</span> ' if line.label else ""
    text = html.escape(line.text)
    if line.event_id is not None:
        text = f'<a href="{event_url(line.event_id)}">{text}</a>'
    return f'<li style="margin-bottom:2px">{label}{text}</li>'


def _list(lines: Sequence[SummaryLine], quiet: str, empty: str) -> str:
    if not lines:
        return f'<p style="margin:0; color:{quiet}">{html.escape(empty)}</p>'
    return (
        '<ul style="margin-top:0; margin-left:-24px">' + "".join(_line(li, quiet) for li in lines) + "</ul>"
    )


def _heading(title: str) -> str:
    return f'<h4 style="margin-top:12px; margin-bottom:4px">{html.escape(title)}</h4>'


def summary_html(summary: CaseSummary, *, quiet: str, include_escalations: bool = True) -> str:
    """The summary: problem, environment, tried, last customer message, questions, history, account.

    ``include_escalations=False`` leaves the escalation history out (the side panel shows a fuller one).
    """
    environment = [SummaryLine(fact.label, fact.value, fact.event_id) for fact in summary.environment]
    last: list[SummaryLine] = []
    if summary.last_customer_message is not None:
        last = [summary.last_customer_message]
    last_title = _tr("Last customer message")
    if summary.last_customer_message_age is not None:
        last_title = _tr("Last customer message ({0} ago)").format(
            format_age(summary.last_customer_message_age)
        )
    sections = [
        (_tr("Problem"), summary.problem, _tr("No problem statement found.")),
        (_tr("Environment"), environment, _tr("No versions, systems or error codes mentioned.")),
        (_tr("Already tried"), summary.tried, _tr("Nothing recorded as tried yet.")),
        (last_title, last, _tr("The customer has not written yet.")),
        (_tr("Open questions"), summary.open_questions, _tr("No open questions.")),
        (_tr("Escalation history"), summary.escalation_history, _tr("Not escalated yet.")),
        (_tr("Account"), summary.account, _tr("No account context.")),
    ]
    if not include_escalations:
        sections = [section for section in sections if section[1] is not summary.escalation_history]
    return "".join(_heading(title) + _list(lines, quiet, empty) for title, lines, empty in sections)


def confirmation_html(tracker: ConfirmationTracker, *, quiet: str, warning: str) -> str:
    """The confirmation tracker: waiting since when, reminders sent, the next one or closing."""
    lines = [
        _tr("Waiting since {0}.").format(format_short_timestamp(tracker.waiting_since)),
        _tr("Reminders sent: {0} of {1}.").format(tracker.reminders_sent, tracker.reminders_planned),
    ]
    body = "".join(f'<p style="margin:0">{html.escape(line)}</p>' for line in lines)
    if tracker.reminder_due:
        due = _tr("A reminder is due (Case ▸ Send Reminder).")
        body += f'<p style="margin:0; color:{warning}; font-weight:600">{html.escape(due)}</p>'
    elif tracker.next_reminder_at is not None:
        upcoming = _tr("Next reminder: {0}.").format(format_short_timestamp(tracker.next_reminder_at))
        body += f'<p style="margin:0; color:{quiet}">{html.escape(upcoming)}</p>'
    elif tracker.close_suggested:
        close = _tr("No answer after every reminder: consider closing (record the confirmation).")
        body += f'<p style="margin:0; color:{warning}; font-weight:600">{html.escape(close)}</p>'
    return _heading(_tr("Waiting for the customer's confirmation")) + body


def similar_cases_html(cases: Sequence[SimilarCase], *, quiet: str) -> str:
    """The similar resolved cases, each openable, with how it was resolved and why it happened."""
    if not cases:
        return _heading(_tr("Similar resolved cases")) + (
            f'<p style="margin:0; color:{quiet}">{html.escape(_tr("No similar resolved case."))}</p>'
        )
    items = []
    for case in cases:
        title = f'<a href="{case_url(case.case_id)}">#{case.number} {html.escape(case.subject)}</a>'
        details = []
        if case.root_cause:
            details.append(f"<b>{html.escape(_tr('Root cause'))}:</b> {html.escape(case.root_cause)}")
        if case.resolution:
            details.append(f"<b>{html.escape(_tr('Resolution'))}:</b> {html.escape(case.resolution)}")
        body = (
            "<br>".join(details)
            or f'<span style="color:{quiet}">{html.escape(_tr("No resolution recorded."))}</span>'
        )
        items.append(f'<p style="margin:0 0 8px 0">{title}<br>{body}</p>')
    return _heading(_tr("Similar resolved cases")) + "".join(items)
