"""CaseSidePanel: the prepared summary, similar resolved cases, escalation history and notes (read-only).

The summary and the similar cases are computed on the DB thread
(:mod:`core.intelligence`) whenever the case is shown or its timeline changes;
each summary line links to the timeline event it came from. Rendered as HTML in
a :class:`SafeTextBrowser`; every piece of text is escaped (none of it is
trusted markup), and note Markdown goes through the sanitizer.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QUrl, Signal
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from core.communication.markdown import markdown_to_html
from core.config import load_config
from core.db.types import utc_now
from core.domain.dtos import CaseDetail, Escalation, InvestigationNote
from core.html_sanitizer import sanitize_customer_html
from core.intelligence.similar_cases import SimilarCase, similar_resolved_cases
from core.intelligence.summary import CaseSummary, summarize_case
from core.workflow import ConfirmationTracker, load_workflow_state, track_confirmation
from ui.data_access import DataAccess
from ui.formatting import format_short_timestamp
from ui.labels import note_kind_label, reason_code_label, stage_label, support_tier_label
from ui.safe_text_browser import SafeTextBrowser
from ui.summary_html import confirmation_html, similar_cases_html, summary_html
from ui.timeline_html import plain_text_html
from ui.tones import Tone, accent, muted

SIMILAR_CASES = 5


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseSidePanel", text)


def _section(title: str, body: str) -> str:
    return f'<h4 style="margin-top:14px; margin-bottom:6px">{html.escape(title)}</h4>{body}'


def _empty(text: str, quiet: str) -> str:
    return f'<p style="color:{quiet}">{html.escape(text)}</p>'


def _escalation_html(escalation: Escalation, quiet: str, warning: str) -> str:
    title = f"{support_tier_label(escalation.tier)} · {reason_code_label(escalation.reason_code)}"
    details = [escalation.team_name, stage_label(escalation.stage)]
    requested = _tr("requested by {0}, {1}").format(
        escalation.requested_by or _tr("someone"), format_short_timestamp(escalation.requested_at)
    )
    lines = [
        f'<p style="margin:0"><b>{html.escape(title)}</b></p>',
        f'<p style="margin:0; color:{quiet}">{html.escape(" · ".join(d for d in details if d))}</p>',
        f'<p style="margin:0; color:{quiet}">{html.escape(requested)}</p>',
    ]
    if escalation.justification:
        lines.append(plain_text_html(escalation.justification))
    if escalation.override_reason:
        override = _tr("Readiness override: {0}").format(escalation.override_reason)
        lines.append(f'<p style="margin:0; color:{warning}">{html.escape(override)}</p>')
    if escalation.closed_at is not None:
        closed = _tr("Closed {0}").format(format_short_timestamp(escalation.closed_at))
        lines.append(f'<p style="margin:0; color:{quiet}">{html.escape(closed)}</p>')
    return "".join(lines) + '<p style="margin:0; font-size:4pt">&nbsp;</p>'


def _note_html(note: InvestigationNote, quiet: str, kind_color: str) -> str:
    heading = (
        f'<span style="color:{kind_color}; font-weight:600">{html.escape(note_kind_label(note.kind))}</span>'
        f'&nbsp;&nbsp;<span style="color:{quiet}">'
        f"{html.escape(note.author_name)} · {html.escape(format_short_timestamp(note.created_at))}</span>"
    )
    body = sanitize_customer_html(markdown_to_html(note.body))
    return f'<p style="margin:0">{heading}</p>{body}<p style="margin:0">&nbsp;</p>'


def case_context_html(
    detail: CaseDetail,
    *,
    summary: CaseSummary | None,
    similar: Sequence[SimilarCase] | None,
    confirmation: ConfirmationTracker | None = None,
    quiet: str,
    warning: str,
    info: str,
) -> str:
    """The side panel's HTML: summary, outcome, similar cases, escalations and notes."""
    header = detail.header
    parts = [] if confirmation is None else [confirmation_html(confirmation, quiet=quiet, warning=warning)]
    if summary is not None and summary.case_id == header.id:
        parts.append(summary_html(summary, quiet=quiet, include_escalations=False))
    else:
        parts.append(_section(_tr("Summary"), _empty(_tr("Preparing the summary…"), quiet)))
    if header.resolution or header.root_cause:
        body = ""
        if header.root_cause:
            body += f'<p style="margin:0"><b>{html.escape(_tr("Root cause"))}:</b></p>'
            body += plain_text_html(header.root_cause)
        if header.resolution:
            body += f'<p style="margin:0"><b>{html.escape(_tr("Resolution"))}:</b></p>'
            body += plain_text_html(header.resolution)
        parts.append(_section(_tr("Outcome"), body))
    if similar is not None:
        parts.append(similar_cases_html(similar, quiet=quiet))
    escalations: Sequence[Escalation] = detail.escalations
    parts.append(
        _section(
            _tr("Escalation history"),
            "".join(_escalation_html(e, quiet, warning) for e in escalations)
            or _empty(_tr("Not escalated yet."), quiet),
        )
    )
    parts.append(
        _section(
            _tr("Investigation notes"),
            "".join(_note_html(n, quiet, info) for n in detail.notes)
            or _empty(_tr("No investigation notes yet."), quiet),
        )
    )
    return "".join(parts)


@dataclass(frozen=True)
class CaseInsights:
    """What the panel prepares beside the case detail: summary, similar cases, confirmation tracker."""

    summary: CaseSummary
    similar: list[SimilarCase]
    confirmation: ConfirmationTracker | None


class CaseSidePanel(QWidget):
    """Read-only context next to the timeline.

    Signals:
        link_activated(QUrl): the user clicked a link.
    """

    link_activated = Signal(QUrl)
    insights_loaded = Signal(int)

    def __init__(self, data: DataAccess, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._detail: CaseDetail | None = None
        self._summary: CaseSummary | None = None
        self._similar: list[SimilarCase] | None = None
        self._confirmation: ConfirmationTracker | None = None
        title = QLabel(self.tr("Summary and context"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        # As tall as the timeline's filter bar, so both panes start at the same height.
        title.setMinimumHeight(QToolButton().sizeHint().height())
        self._browser = SafeTextBrowser()
        self._browser.setAccessibleName(
            self.tr("Case summary, similar resolved cases, escalations and investigation notes")
        )
        self._browser.document().setDocumentMargin(10)
        self._browser.link_activated.connect(self.link_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self._browser, 1)

    @property
    def browser(self) -> SafeTextBrowser:
        """The text browser showing the context."""
        return self._browser

    @property
    def summary(self) -> CaseSummary | None:
        """The summary shown (None while it is being prepared)."""
        return self._summary

    @property
    def confirmation(self) -> ConfirmationTracker | None:
        """The tracker of a resolution waiting for the customer's confirmation, if any."""
        return self._confirmation

    @property
    def similar_cases(self) -> list[SimilarCase] | None:
        """The similar resolved cases shown (None while they are being looked up)."""
        return self._similar

    def set_detail(self, detail: CaseDetail, *, keep_position: bool = False) -> None:
        """Show the context of ``detail``, from the top unless ``keep_position``; refresh the summary."""
        if self._detail is None or self._detail.header.id != detail.header.id:
            self._summary, self._similar, self._confirmation = None, None, None
        self._detail = detail
        self._render(keep_position=keep_position)
        self._data.read(
            _load_insights,
            detail.header.id,
            utc_now(),
            on_result=self._on_insights_loaded,
            key="case-insights",
        )

    def clear(self) -> None:
        """Show nothing."""
        self._detail, self._summary, self._similar = None, None, None
        self._browser.clear()

    def _on_insights_loaded(self, insights: CaseInsights) -> None:
        summary = insights.summary
        if self._detail is None or self._detail.header.id != summary.case_id:
            return  # another case is shown by now
        self._summary, self._similar = summary, insights.similar
        self._confirmation = insights.confirmation
        self._render(keep_position=True)
        self.insights_loaded.emit(summary.case_id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._detail is not None:
            self._render(keep_position=True)

    def _render(self, *, keep_position: bool) -> None:
        if self._detail is None:
            return
        palette = self.palette()
        scroll = self._browser.verticalScrollBar()
        position = scroll.value() if keep_position else 0
        self._browser.setHtml(
            case_context_html(
                self._detail,
                summary=self._summary,
                similar=self._similar,
                confirmation=self._confirmation,
                quiet=muted(palette).name(),
                warning=accent(Tone.WARNING, palette).name(),
                info=accent(Tone.INFO, palette).name(),
            )
        )
        scroll.setValue(min(position, scroll.maximum()))


def _load_insights(session: Session, case_id: int, now: datetime) -> CaseInsights:
    """DB thread: the case's prepared summary, its most similar resolved cases, its confirmation tracker."""
    proposal = load_workflow_state(session, case_id).open_proposal
    confirmation = None
    if proposal is not None:
        cadence = load_config(session).reminders
        confirmation = track_confirmation(
            proposal.proposed_at,
            proposal.reminders_sent,
            cadence.business_days,
            cadence.propose_auto_close,
            now,
        )
    similar = similar_resolved_cases(session, case_id, limit=SIMILAR_CASES)
    return CaseInsights(summarize_case(session, case_id, now), similar, confirmation)
