"""TimelineView: a case's context timeline with visibility filters, rendered in one SafeTextBrowser.

The three filter buttons (Customer-visible, Internal, System) are checkable,
on by default, reachable with Tab and with their Alt mnemonics. Rendering is
one ``setHtml`` of the cards built by :mod:`ui.timeline_html`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from core.domain.dtos import TimelineEvent
from core.domain.enums import Visibility
from ui.safe_text_browser import SafeTextBrowser
from ui.timeline_html import TimelineColors, event_anchor, render_timeline


class TimelineView(QWidget):
    """The events of one case, oldest first, filtered by visibility.

    Signals:
        link_activated(QUrl): the user clicked a link in an event body.
        filters_changed(): a filter button was toggled.
    """

    link_activated = Signal(QUrl)
    filters_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._events: tuple[TimelineEvent, ...] = ()
        self._title = QLabel(self.tr("Timeline"))
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        self._summary = QLabel()
        self._summary.setAccessibleName(self.tr("Timeline summary"))
        self._summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # secondary text
        self._buttons = {
            Visibility.CUSTOMER: self._filter_button(
                self.tr("&Customer-visible"), self.tr("Show messages and replies the customer can see")
            ),
            Visibility.INTERNAL: self._filter_button(
                self.tr("&Internal"), self.tr("Show internal notes and troubleshooting steps")
            ),
            Visibility.SYSTEM: self._filter_button(
                self.tr("S&ystem"), self.tr("Show system logs, field changes and other machine events")
            ),
        }
        self._browser = SafeTextBrowser()
        self._browser.setAccessibleName(self.tr("Case timeline"))
        self._browser.link_activated.connect(self.link_activated)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        bar.addWidget(self._title)
        bar.addSpacing(6)
        bar.addWidget(self._summary)
        bar.addStretch(1)
        filter_label = QLabel(self.tr("Show:"))
        filter_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        bar.addWidget(filter_label)
        for button in self._buttons.values():
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self._browser, 1)

    @property
    def browser(self) -> SafeTextBrowser:
        """The text browser showing the timeline."""
        return self._browser

    def filter_button(self, visibility: Visibility) -> QToolButton:
        """The checkable button that shows or hides events of ``visibility``."""
        return self._buttons[visibility]

    def visible_visibilities(self) -> frozenset[Visibility]:
        """The visibilities currently shown."""
        return frozenset(v for v, button in self._buttons.items() if button.isChecked())

    def set_events(self, events: Sequence[TimelineEvent], *, keep_position: bool = False) -> None:
        """Show ``events`` (oldest first) under the current filters, from the top unless ``keep_position``."""
        self._events = tuple(events)
        self._render(keep_position=keep_position)

    def clear(self) -> None:
        """Show no events."""
        self._events = ()
        self._browser.clear()
        self._summary.clear()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._events:
            self._render(keep_position=True)  # the cards' colours come from the palette

    def _filter_button(self, text: str, tooltip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tooltip)
        button.setAccessibleName(text.replace("&", ""))
        button.setAccessibleDescription(tooltip)
        button.setCheckable(True)
        button.setChecked(True)
        button.setAutoRaise(False)
        button.toggled.connect(self._on_filter_button_toggled)
        return button

    @property
    def events(self) -> tuple[TimelineEvent, ...]:
        """Every event of the case (shown or filtered out), oldest first."""
        return self._events

    def scroll_to_event(self, event_id: int) -> bool:
        """Bring the event ``event_id`` into view (showing its kind if a filter hid it); False if unknown."""
        event = next((e for e in self._events if e.id == event_id), None)
        if event is None:
            return False
        if event.visibility not in self.visible_visibilities():
            self.filter_button(event.visibility).setChecked(True)
        self._browser.scrollToAnchor(event_anchor(event_id))
        return True

    def _on_filter_button_toggled(self, _checked: bool) -> None:
        self._render(keep_position=True)
        self.filters_changed.emit()

    def _render(self, *, keep_position: bool) -> None:
        rendered = render_timeline(
            self._events, TimelineColors.from_palette(self.palette()), self.visible_visibilities()
        )
        scroll = self._browser.verticalScrollBar()
        position = scroll.value() if keep_position else 0
        self._browser.setHtml(rendered.html)
        scroll.setValue(min(position, scroll.maximum()))
        if rendered.hidden:
            self._summary.setText(self.tr("{0} of {1} events").format(rendered.shown, len(self._events)))
        elif len(self._events) == 1:
            self._summary.setText(self.tr("1 event"))
        else:
            self._summary.setText(self.tr("{0} events").format(len(self._events)))
