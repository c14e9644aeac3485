"""CaseSidePanel: the case's description, escalation history and investigation notes (read-only).

Rendered as HTML in a :class:`SafeTextBrowser`; every piece of text is
escaped (none of it is trusted markup).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QUrl, Signal
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from core.domain.dtos import CaseDetail, Escalation, InvestigationNote
from ui.formatting import format_short_timestamp
from ui.labels import note_kind_label, reason_code_label, stage_label, support_tier_label
from ui.safe_text_browser import SafeTextBrowser
from ui.timeline_html import plain_text_html
from ui.tones import Tone, accent, muted


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
    return f'<p style="margin:0">{heading}</p>{plain_text_html(note.body)}<p style="margin:0">&nbsp;</p>'


def case_context_html(detail: CaseDetail, *, quiet: str, warning: str, info: str) -> str:
    """The side panel's HTML: description, resolution, escalations and notes."""
    header = detail.header
    parts = [
        _section(
            _tr("Description"),
            plain_text_html(header.description) or _empty(_tr("No description."), quiet),
        )
    ]
    if header.resolution or header.root_cause:
        body = ""
        if header.root_cause:
            body += f'<p style="margin:0"><b>{html.escape(_tr("Root cause"))}:</b></p>'
            body += plain_text_html(header.root_cause)
        if header.resolution:
            body += f'<p style="margin:0"><b>{html.escape(_tr("Resolution"))}:</b></p>'
            body += plain_text_html(header.resolution)
        parts.append(_section(_tr("Outcome"), body))
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


class CaseSidePanel(QWidget):
    """Read-only context next to the timeline.

    Signals:
        link_activated(QUrl): the user clicked a link.
    """

    link_activated = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail: CaseDetail | None = None
        title = QLabel(self.tr("Context"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        # As tall as the timeline's filter bar, so both panes start at the same height.
        title.setMinimumHeight(QToolButton().sizeHint().height())
        self._browser = SafeTextBrowser()
        self._browser.setAccessibleName(self.tr("Case context: description, escalations and notes"))
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

    def set_detail(self, detail: CaseDetail, *, keep_position: bool = False) -> None:
        """Show the context of ``detail``, from the top unless ``keep_position``."""
        self._detail = detail
        self._render(keep_position=keep_position)

    def clear(self) -> None:
        """Show nothing."""
        self._detail = None
        self._browser.clear()

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
                quiet=muted(palette).name(),
                warning=accent(Tone.WARNING, palette).name(),
                info=accent(Tone.INFO, palette).name(),
            )
        )
        scroll.setValue(min(position, scroll.maximum()))
