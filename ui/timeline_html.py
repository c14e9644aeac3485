"""The HTML of a case's context timeline, for one :class:`SafeTextBrowser`.

Each event is a card: a coloured stripe and a label for its kind, the author,
the local time, and the body. Customer HTML always passes through
:func:`core.html_sanitizer.sanitize_customer_html`; plain text is escaped with
its line breaks kept; system logs are monospace. Internal events sit on a
tinted background and carry an "Internal" badge. An event still waiting in the outbox carries a
"Pending" badge until the helpdesk has it. Investigation notes (``meta["note_kind"]``) are Markdown,
rendered by :mod:`core.communication.markdown` and sanitized; their kind is named in the heading.
Messages sent with files name them (``meta["attachments"]``).

Structured events read their ``meta``: a field change names ``field``,
``from`` and ``to`` (``old``/``new`` are accepted too); an attachment names
``filename`` (or ``name``) and ``size_bytes`` (or ``size``).
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPalette

from core.communication.markdown import markdown_to_html
from core.domain.dtos import TimelineEvent
from core.domain.enums import EventKind, Priority, Stage, Visibility
from core.html_sanitizer import sanitize_customer_html
from ui.formatting import format_file_size, format_short_timestamp
from ui.labels import event_kind_label, note_kind_label, priority_label, stage_label
from ui.tones import Tone, accent, is_dark, mix, muted, tint

KIND_GLYPHS: dict[EventKind, str] = {
    EventKind.CUSTOMER_MESSAGE: "✉",
    EventKind.AGENT_REPLY: "↩",
    EventKind.INTERNAL_NOTE: "✎",
    EventKind.TROUBLESHOOTING_STEP: "⚒",
    EventKind.SYSTEM_LOG: "⚙",
    EventKind.FIELD_CHANGE: "⇄",
    EventKind.ATTACHMENT: "▤",
}
_KIND_TONES: dict[EventKind, Tone | None] = {
    EventKind.CUSTOMER_MESSAGE: Tone.INFO,
    EventKind.AGENT_REPLY: Tone.SUCCESS,
    EventKind.INTERNAL_NOTE: Tone.NOTE,
    EventKind.TROUBLESHOOTING_STEP: Tone.WARNING,
    EventKind.SYSTEM_LOG: None,
    EventKind.FIELD_CHANGE: None,
    EventKind.ATTACHMENT: Tone.INFO,
}
MONOSPACE = "'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Timeline", text)


@dataclass(frozen=True)
class TimelineColors:
    """The colours of the timeline, as ``#rrggbb`` strings derived from a palette."""

    text: str
    muted: str
    card: str
    internal_card: str
    system_card: str
    stripes: dict[EventKind, str]
    badge: str
    pending: str

    @classmethod
    def from_palette(cls, palette: QPalette) -> TimelineColors:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        quiet = muted(palette)
        stripes = {
            kind: (accent(tone, palette) if tone else quiet).name() for kind, tone in _KIND_TONES.items()
        }
        return cls(
            text=text.name(),
            muted=quiet.name(),
            card=mix(base, text, 0.035).name(),
            internal_card=tint(Tone.NOTE, palette, 0.16 if is_dark(palette) else 0.14).name(),
            system_card=mix(base, text, 0.06).name(),
            stripes=stripes,
            badge=accent(Tone.WARNING, palette).name(),
            pending=accent(Tone.INFO, palette).name(),
        )


@dataclass(frozen=True)
class RenderedTimeline:
    """The HTML of the shown events and how many the filters hid."""

    html: str
    shown: int
    hidden: int


def render_timeline(
    events: Sequence[TimelineEvent], colors: TimelineColors, visible: Collection[Visibility]
) -> RenderedTimeline:
    """The timeline HTML of the ``events`` whose visibility is in ``visible``, oldest first."""
    cards = [_card(event, colors) for event in events if event.visibility in visible]
    hidden = len(events) - len(cards)
    if not cards:
        message = _tr("No events in this case yet.") if not events else _tr("No events match the filters.")
        cards.append(f'<p style="color:{colors.muted}" align="center"><br>{html.escape(message)}</p>')
    return RenderedTimeline("".join(cards), len(events) - hidden, hidden)


def _card(event: TimelineEvent, colors: TimelineColors) -> str:
    if event.visibility is Visibility.INTERNAL:
        background = colors.internal_card
    elif event.visibility is Visibility.SYSTEM:
        background = colors.system_card
    else:
        background = colors.card
    stripe = colors.stripes.get(event.kind, colors.muted)
    kind_text = event_kind_label(event.kind)
    if _meta(event, "note_kind"):
        kind_text = f"{kind_text} · {note_kind_label(_meta(event, 'note_kind'))}"
    if "text_before_edit" in event.meta:  # corrected in the Outbox after the helpdesk refused it
        kind_text = f"{kind_text} · {_tr('edited')}"
    kind = f"{KIND_GLYPHS.get(event.kind, '•')}&nbsp;&nbsp;{html.escape(kind_text)}"
    badge = ""
    if event.visibility is Visibility.INTERNAL and event.kind is not EventKind.INTERNAL_NOTE:
        badge = f'&nbsp;&nbsp;<span style="color:{colors.badge}; font-weight:600">{_tr("Internal")}</span>'
    if event.pending:
        pending = html.escape(_tr("Pending"))
        badge += f'&nbsp;&nbsp;<span style="color:{colors.pending}; font-weight:600">{pending}</span>'
    author = html.escape(event.author_name) if event.author_name else ""
    when = html.escape(format_short_timestamp(event.occurred_at))
    heading = (
        f'<span style="color:{stripe}; font-weight:600">{kind}</span>{badge}'
        f"&nbsp;&nbsp;&nbsp;<b>{author}</b>"
        f'&nbsp;&nbsp;<span style="color:{colors.muted}">{when}</span>'
    )
    body = event_body_html(event)
    body_row = f'<div style="margin-top:6px">{body}</div>' if body else ""
    return (
        f'<a name="{event_anchor(event.id)}"></a>'
        f'<table width="100%" cellspacing="0" cellpadding="0" style="margin-bottom:10px">'
        f'<tr><td width="4" bgcolor="{stripe}"></td>'
        f'<td bgcolor="{background}" style="padding:9px 12px 10px 12px">'
        f'<p style="margin:0">{heading}</p>{body_row}</td></tr></table>'
    )


def event_anchor(event_id: int) -> str:
    """The anchor name of an event's card, for scrolling to it."""
    return f"event-{event_id}"


def event_body_html(event: TimelineEvent) -> str:
    """The body of ``event`` as safe HTML (sanitized, escaped or structured from its meta)."""
    if event.kind is EventKind.FIELD_CHANGE and _meta(event, "field"):
        return _field_change_html(event)
    if event.kind is EventKind.ATTACHMENT and _meta(event, "filename", "name"):
        return _attachment_html(event)
    if event.body_html:
        return sanitize_customer_html(event.body_html) + _attachment_names_html(event)
    if event.kind is EventKind.INTERNAL_NOTE and _meta(event, "note_kind"):
        return sanitize_customer_html(markdown_to_html(event.body_text))
    if event.kind is EventKind.SYSTEM_LOG:
        return (
            f'<p style="margin:0; white-space:pre-wrap; font-family:{MONOSPACE}">'
            f"{html.escape(event.body_text)}</p>"
        )
    return plain_text_html(event.body_text)


def plain_text_html(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    if not text.strip():
        return ""
    return '<p style="margin:0">' + html.escape(text.strip("\n")).replace("\n", "<br>") + "</p>"


def _meta(event: TimelineEvent, *names: str) -> str:
    for name in names:
        value = event.meta.get(name)
        if value:
            return value
    return ""


def _field_value(field: str, value: str) -> str:
    """A stored field value in words (stage and priority are translated)."""
    if not value:
        return _tr("(none)")
    try:
        if field == "stage":
            return stage_label(Stage(value))
        if field == "priority":
            return priority_label(Priority(value))
    except ValueError:
        pass  # a value from a newer version or another system: shown as stored
    return value


def _field_change_html(event: TimelineEvent) -> str:
    field = _meta(event, "field")
    before = _field_value(field, _meta(event, "from", "old"))
    after = _field_value(field, _meta(event, "to", "new"))
    return (
        f'<p style="margin:0">{html.escape(field.replace("_", " "))}: '
        f"{html.escape(before)} &rarr; <b>{html.escape(after)}</b></p>"
    )


def _attachment_names_html(event: TimelineEvent) -> str:
    names = _meta(event, "attachments")
    return f'<p style="margin:4px 0 0 0">▤&nbsp;{html.escape(names)}</p>' if names else ""


def _attachment_html(event: TimelineEvent) -> str:
    filename = _meta(event, "filename", "name")
    size_text = _meta(event, "size_bytes", "size")
    size = f" ({html.escape(format_file_size(int(size_text)))})" if size_text.isdigit() else ""
    caption = event.body_text.strip()
    line = f'<p style="margin:0"><b>{html.escape(filename)}</b>{size}</p>'
    if caption and filename not in caption:  # a caption that only repeats the name adds nothing
        line += plain_text_html(caption)
    return line
