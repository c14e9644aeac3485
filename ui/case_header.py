"""CaseHeaderWidget: the top of the case view: subject, number, customer context, the SLA clocks,
the case's fields, and the workflow steps that can be taken next (one button per enabled action,
Tab-reachable). Clicking a clock (or ``open_sla_dialog``, the ``S`` action) explains the SLA."""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QAction, QColor, QDesktopServices, QPalette
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from core.domain.dtos import CaseHeader
from core.remote.connections import helpdesk_name
from core.remote.ticket_links import ticket_url
from ui.data_access import DataAccess
from ui.dialogs.sla_dialog import SlaDialog
from ui.elided_label import ElidedLabel
from ui.formatting import format_date, format_money
from ui.labels import customer_tier_label, priority_label, stage_label, support_tier_label
from ui.sla_clocks import SlaClockStrip
from ui.tones import accent, priority_tone, stage_tone

_FACTS = ("priority", "tier", "stage", "team", "assignee", "product_area", "contact")
_FREE_TEXT_FACTS = frozenset({"team", "assignee", "product_area", "contact"})


def _plain_label(accessible_name: str = "") -> QLabel:
    """A label that shows data as plain text (never as HTML) and can be selected and copied."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if accessible_name:
        label.setAccessibleName(accessible_name)
    return label


class NextStepsBar(QWidget):
    """A row of buttons for the workflow actions that are enabled now; the others are hidden.

    The buttons run the very QActions of the menus and the palette, so their
    shortcuts, texts and enabled states stay in one place.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons: list[tuple[QAction, QToolButton]] = []
        self._caption = QLabel(self.tr("Next:"))
        self._caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._row.addWidget(self._caption)
        self._row.addStretch(1)
        self.setAccessibleName(self.tr("Next steps"))
        self._refresh()

    def set_actions(self, actions: Sequence[QAction]) -> None:
        """Offer ``actions`` (in this order); each button shows while its action is enabled."""
        for action, button in self._buttons:
            action.changed.disconnect(self._refresh)
            button.deleteLater()
        self._buttons = []
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self._row.insertWidget(self._row.count() - 1, button)
            self._buttons.append((action, button))
            action.changed.connect(self._refresh)
        self._refresh()

    def visible_texts(self) -> list[str]:
        """The texts of the buttons shown (without mnemonics)."""
        return [button.text().replace("&", "") for _action, button in self._buttons if not button.isHidden()]

    def _refresh(self) -> None:
        any_shown = False
        for action, button in self._buttons:
            button.setVisible(action.isEnabled())
            button.setToolTip(self._tooltip(action))
            any_shown = any_shown or action.isEnabled()
        self._caption.setVisible(any_shown)

    @staticmethod
    def _tooltip(action: QAction) -> str:
        text = action.text().replace("&", "").removesuffix("…")
        keys = action.shortcut().toString(action.shortcut().SequenceFormat.NativeText)
        return f"{text} ({keys})" if keys else text


class CaseHeaderWidget(QWidget):
    """Subject, case number, customer (tier, ARR, renewal), the SLA clocks and a row of labelled facts.

    The clocks are read through the :class:`DataAccess` given (here or with ``set_data_access``)
    each time a header is set, i.e. whenever the case view (re)loads the case.
    """

    def __init__(self, data: DataAccess | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._header: CaseHeader | None = None
        self._data = data
        self._sla_dialog: SlaDialog | None = None
        self.sla = SlaClockStrip(data)
        self.sla.explain_requested.connect(self.open_sla_dialog)
        self._subject = _plain_label(self.tr("Subject"))
        self._subject.setWordWrap(True)
        font = self._subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self._subject.setFont(font)
        self._context = _plain_label(self.tr("Case and customer"))
        self._context.setWordWrap(True)
        self._context.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.ticket_link = self._ticket_link_label()
        titles = {
            "priority": self.tr("Priority"),
            "tier": self.tr("Tier"),
            "stage": self.tr("Stage"),
            "team": self.tr("Team"),
            "assignee": self.tr("Assignee"),
            "product_area": self.tr("Product area"),
            "contact": self.tr("Contact"),
        }
        self._values: dict[str, QLabel] = {}
        facts = QGridLayout()
        facts.setHorizontalSpacing(24)
        facts.setVerticalSpacing(2)
        for column, name in enumerate(_FACTS):
            caption = QLabel(titles[name])
            caption_font = caption.font()
            caption_font.setPointSizeF(caption_font.pointSizeF() * 0.9)
            caption.setFont(caption_font)
            caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            # Free text elides in a narrow window; the short words of a fixed vocabulary never do.
            value = ElidedLabel() if name in _FREE_TEXT_FACTS else _plain_label()
            value.setAccessibleName(titles[name])
            caption.setBuddy(value)
            self._values[name] = value
            facts.addWidget(caption, 0, column)
            facts.addWidget(value, 1, column)
        facts.setColumnStretch(len(_FACTS), 1)
        self.next_steps = NextStepsBar()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._subject)
        context_row = QHBoxLayout()
        context_row.setSpacing(16)
        context_row.addWidget(self._context, 1)
        context_row.addWidget(self.ticket_link, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(context_row)
        layout.addSpacing(4)
        layout.addWidget(self.sla)
        layout.addSpacing(6)
        layout.addLayout(facts)
        layout.addSpacing(8)
        layout.addWidget(self.next_steps)
        self._apply_palette()

    def set_next_step_actions(self, actions: Sequence[QAction]) -> None:
        """The workflow actions to offer as buttons while they are enabled."""
        self.next_steps.set_actions(actions)

    def set_data_access(self, data: DataAccess) -> None:
        """Where the SLA clocks (and a synced case's ticket link) are read from."""
        self._data = data
        self.sla.set_data_access(data)

    def open_sla_dialog(self) -> SlaDialog | None:
        """Explain the SLA of the case shown (non-modal); None while its clocks are not known."""
        clocks = self.sla.clocks
        if clocks is None:
            return None
        if self._sla_dialog is not None:
            self._sla_dialog.close()
        dialog = SlaDialog(clocks, vendor=self.sla.vendor_targets, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(partial(self._on_sla_dialog_finished, dialog))
        self._sla_dialog = dialog
        dialog.open()  # never exec(): the app runs on a qasync loop
        return dialog

    def _on_sla_dialog_finished(self, dialog: SlaDialog, _result: int) -> None:
        if self._sla_dialog is dialog:
            self._sla_dialog = None

    def set_header(self, header: CaseHeader) -> None:
        """Show ``header`` (and re-read the SLA clocks of its case)."""
        self._header = header
        self.sla.show_case(header.id)
        self._subject.setText(header.subject)
        parts = [self.tr("Case #{0}").format(header.number)]
        if header.customer_name:
            customer = header.customer_name
            if header.customer_tier:
                customer += f" ({customer_tier_label(header.customer_tier)})"
            parts.append(customer)
            parts.append(self.tr("ARR {0}").format(format_money(header.arr_cents)))
        if header.renewal_date is not None:
            parts.append(self.tr("renews {0}").format(format_date(header.renewal_date)))
        if header.reroute_count > 0:
            parts.append(self.tr("Re-routed {0}×").format(header.reroute_count))
        self._context.setText("  ·  ".join(parts))
        self._show_ticket(header)
        contact = header.contact_name
        if header.contact_email:
            contact = f"{contact} <{header.contact_email}>" if contact else header.contact_email
        values = {
            "priority": priority_label(header.priority),
            "tier": support_tier_label(header.tier),
            "stage": stage_label(header.stage),
            "team": header.team_name or "—",
            "assignee": header.assignee_name or self.tr("Unassigned"),
            "product_area": header.product_area or "—",
            "contact": contact or "—",
        }
        for name, text in values.items():
            self._values[name].setText(text)
        self._apply_palette()

    def _ticket_link_label(self) -> QLabel:
        """ "Zendesk #12345", a link to the ticket in the helpdesk (Tab reaches it, Enter opens it)."""
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setOpenExternalLinks(False)  # opened here, only for web addresses
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        label.linkActivated.connect(self._on_ticket_link_activated)
        label.setVisible(False)
        return label

    def _show_ticket(self, header: CaseHeader) -> None:
        """The ticket number at once; its link once the connection's address is read."""
        if not header.remote_id or header.source_system == "local":
            self.ticket_link.setVisible(False)
            return
        text = self.tr("{0} #{1}").format(helpdesk_name(header.source_system), header.remote_id)
        self.ticket_link.setText(html.escape(text))
        self.ticket_link.setAccessibleName(text)
        self.ticket_link.setToolTip("")
        self.ticket_link.setVisible(True)
        if self._data is not None:
            self._data.read(
                ticket_url,
                header.source_system,
                header.remote_id,
                on_result=partial(self._on_ticket_url_read, header.id, text),
                key="case-header-ticket-url",
            )

    def _on_ticket_url_read(self, case_id: int, text: str, url: str | None) -> None:
        if url is None or self._header is None or self._header.id != case_id:
            return
        self.ticket_link.setText(f'<a href="{html.escape(url, quote=True)}">{html.escape(text)} ↗</a>')
        self.ticket_link.setToolTip(self.tr("Open the ticket in the browser: {0}").format(url))
        self.ticket_link.setAccessibleName(self.tr("{0}, opens the ticket in the browser").format(text))

    def _on_ticket_link_activated(self, link: str) -> None:
        url = QUrl(link)
        if url.scheme().lower() in ("http", "https"):
            QDesktopServices.openUrl(url)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    def _apply_palette(self) -> None:
        """Priority and stage in their tone's colour (bold), if they have one."""
        palette = self.palette()
        header = self._header
        priority = priority_tone(header.priority) if header else None
        stage = stage_tone(header.stage) if header else None
        for name, tone in (("priority", priority), ("stage", stage)):
            label = self._values[name]
            color = accent(tone, palette) if tone else palette.color(QPalette.ColorRole.WindowText)
            self._set_text_color(label, color)
            font = label.font()
            font.setBold(tone is not None)
            label.setFont(font)

    @staticmethod
    def _set_text_color(label: QLabel, color: QColor) -> None:
        label_palette = label.palette()
        label_palette.setColor(QPalette.ColorRole.WindowText, color)
        label.setPalette(label_palette)
