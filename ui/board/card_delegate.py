"""CardDelegate: paints person rows and case cards of a lane, cheaply, at one uniform height.

Nothing here creates widgets or documents: each row is a few ``drawText`` and
``drawRoundedRect`` calls, so a lane of hundreds of cards scrolls smoothly.

A card: a stripe on the left in its risk colour (the SLA risk when a deadline runs,
else its priority: :meth:`CardDelegate.stripe_colour`), number and customer
with a priority chip, the subject, then tier · stage, an "unsynced" marker and
the assignee's initials. A person row: a chevron, the person's initials, name and
case count, their load against capacity with a thin bar, and "away" when away.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from core.db.types import utc_now
from core.domain.enums import Priority
from core.queries.board import BoardCard, BoardPerson
from core.routing.types import Presence
from core.sla.types import Risk, deadline_risk
from ui.board.board_model import CARD_COUNT_ROLE, CARD_ROLE, NODE_KIND_ROLE, PERSON_ROLE, NodeKind
from ui.board.board_texts import counted, unassigned_name
from ui.labels import priority_label, stage_label, support_tier_label
from ui.tones import Tone, accent, mix, muted, priority_tone, tint

AnyIndex = QModelIndex | QPersistentModelIndex

MARGIN = 6
PADDING = 8
STRIPE = 4
LINES = 3
CHEVRON = 14

_PRIORITY_STRIPES: dict[Priority, Tone | None] = {
    Priority.URGENT: Tone.DANGER,
    Priority.HIGH: Tone.WARNING,
    Priority.NORMAL: Tone.INFO,
    Priority.LOW: None,
}


_RISK_TONES = {Risk.BREACHED: Tone.DANGER, Risk.WARNING: Tone.WARNING}


def sla_stripe_tone(card: BoardCard, now: datetime) -> Tone | None:
    """The SLA risk of a card at ``now`` as a tone; None when no deadline runs or it is not at risk."""
    return _RISK_TONES.get(deadline_risk(card.sla_due_at, card.sla_warning_at, now))


def row_height(metrics: QFontMetrics) -> int:
    """One height for every row of a lane (cards and person rows), so views can use uniform heights."""
    return LINES * metrics.height() + 2 * PADDING + 2 * 3 + 4


class CardDelegate(QStyledItemDelegate):
    """Draws the rows of a :class:`ui.board.lane_view.LaneView`."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(option.rect.width() or 260, row_height(option.fontMetrics))

    def stripe_colour(self, card: BoardCard, palette: QPalette, now: datetime | None = None) -> QColor:
        """A card's left stripe: breached → danger, in the warning window → warning, else its priority."""
        tone = sla_stripe_tone(card, now or utc_now())
        if tone is None:
            tone = _PRIORITY_STRIPES.get(card.priority)
        return accent(tone, palette) if tone is not None else muted(palette)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        kind = index.data(NODE_KIND_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            if kind == NodeKind.CARD:
                self._paint_card(painter, option, index.data(CARD_ROLE))
            elif kind == NodeKind.PERSON:
                expanded = isinstance(option.widget, QTreeView) and option.widget.isExpanded(index)
                self._paint_person(
                    painter, option, index.data(PERSON_ROLE), index.data(CARD_COUNT_ROLE), expanded
                )
        finally:
            painter.restore()

    # ------------------------------------------------------------------ cards

    def _paint_card(self, painter: QPainter, option: QStyleOptionViewItem, card: BoardCard) -> None:
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        box = QRectF(option.rect.adjusted(MARGIN, 3, -MARGIN, -3))
        highlight = palette.color(QPalette.ColorRole.Highlight)
        base = palette.color(QPalette.ColorRole.Base)
        fill = mix(base, highlight, 0.18) if selected else base
        border = highlight if selected or focused else mix(base, palette.color(QPalette.ColorRole.Text), 0.2)
        painter.setPen(QPen(border, 2 if focused else 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(box, 5, 5)
        stripe = QRectF(box.left() + 1, box.top() + 1, STRIPE, box.height() - 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.stripe_colour(card, palette))
        painter.drawRoundedRect(stripe, 2, 2)

        metrics = option.fontMetrics
        line = metrics.height()
        text = palette.color(QPalette.ColorRole.Text)
        secondary = muted(palette)
        inner = box.toRect().adjusted(STRIPE + PADDING, PADDING - 2, -PADDING, -PADDING + 2)
        top = QRect(inner.left(), inner.top(), inner.width(), line)
        middle = top.translated(0, line + 2)
        bottom = middle.translated(0, line + 2)

        chip_right = self._paint_priority_chip(painter, option, card.priority, top)
        bold = QFont(option.font)
        bold.setBold(True)
        number = f"#{card.number}"
        painter.setFont(bold)
        painter.setPen(text)
        number_width = QFontMetrics(bold).horizontalAdvance(number)
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, number)
        painter.setFont(option.font)
        customer_rect = QRect(
            top.left() + number_width + 6, top.top(), chip_right - top.left() - number_width - 12, line
        )
        painter.setPen(secondary)
        painter.drawText(
            customer_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(card.customer_name, Qt.TextElideMode.ElideRight, customer_rect.width()),
        )

        painter.setPen(text)
        painter.drawText(
            middle,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(card.subject, Qt.TextElideMode.ElideRight, middle.width()),
        )

        right = bottom.right()
        if card.assignee_initials:
            right = self._paint_initials(painter, option, card.assignee_initials, bottom.right(), bottom)
        if card.pending_sync:
            marker = self.tr("● unsynced")
            width = metrics.horizontalAdvance(marker)
            painter.setPen(accent(Tone.NOTE, palette))
            painter.drawText(
                QRect(right - width - 6, bottom.top(), width, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                marker,
            )
            right -= width + 6
        details = f"{support_tier_label(card.tier)} · {stage_label(card.stage)}"
        if card.reroute_count:
            details += " · " + self.tr("↻{0}").format(card.reroute_count)
        details_rect = QRect(bottom.left(), bottom.top(), right - bottom.left() - 6, line)
        painter.setPen(secondary)
        painter.drawText(
            details_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(details, Qt.TextElideMode.ElideRight, details_rect.width()),
        )

    def _paint_priority_chip(
        self, painter: QPainter, option: QStyleOptionViewItem, priority: Priority, line: QRect
    ) -> int:
        """Draws the chip at the right of ``line``; returns its left edge."""
        label = priority_label(priority)
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() - 1, 7))
        small.setBold(True)
        metrics = QFontMetrics(small)
        width = metrics.horizontalAdvance(label) + 12
        chip = QRectF(line.right() - width, line.top() + 1, width, line.height() - 2)
        tone = priority_tone(priority)
        palette = option.palette
        colour = accent(tone, palette) if tone is not None else muted(palette)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(
            tint(tone, palette, 0.18)
            if tone is not None
            else mix(palette.color(QPalette.ColorRole.Base), colour, 0.15)
        )
        painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
        painter.setFont(small)
        painter.setPen(colour)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, label)
        painter.setFont(option.font)
        return int(chip.left())

    def _paint_initials(
        self, painter: QPainter, option: QStyleOptionViewItem, initials: str, right: int, line: QRect
    ) -> int:
        """Draws a circle with the initials ending at ``right``; returns its left edge."""
        size = line.height() + 2
        circle = QRectF(right - size, line.center().y() - size / 2 + 1, size, size)
        palette = option.palette
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(mix(palette.color(QPalette.ColorRole.Base), accent(Tone.INFO, palette), 0.22))
        painter.drawEllipse(circle)
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() - 2, 6.5))
        small.setBold(True)
        painter.setFont(small)
        painter.setPen(accent(Tone.INFO, palette))
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, initials)
        painter.setFont(option.font)
        return int(circle.left())

    # ------------------------------------------------------------ person rows

    def _paint_person(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        person: BoardPerson | None,
        count: int,
        expanded: bool,
    ) -> None:
        palette = option.palette
        rect = option.rect
        window = palette.color(QPalette.ColorRole.Window)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        band = QRectF(rect.adjusted(2, 6, -2, -1))
        painter.setPen(QPen(highlight, 2) if focused else Qt.PenStyle.NoPen)
        painter.setBrush(
            mix(window, highlight, 0.22)
            if selected
            else mix(window, palette.color(QPalette.ColorRole.Text), 0.06)
        )
        painter.drawRoundedRect(band, 4, 4)

        metrics = option.fontMetrics
        line = metrics.height()
        text = palette.color(QPalette.ColorRole.WindowText)
        secondary = muted(palette)
        middle_y = band.center().y()
        self._paint_chevron(
            painter, QPointF(band.left() + PADDING + CHEVRON / 2 - 2, middle_y), expanded, text
        )
        left = int(band.left()) + PADDING + CHEVRON + 4
        name_line = QRect(left, int(middle_y) - line - 1, int(band.right()) - left - PADDING, line)
        stats_line = name_line.translated(0, line + 2)

        bold = QFont(option.font)
        bold.setBold(True)
        count_text = counted(count, "{0} case", "{0} cases")
        count_width = metrics.horizontalAdvance(count_text)
        painter.setPen(secondary)
        painter.drawText(name_line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, count_text)
        painter.setFont(bold)
        painter.setPen(text)
        name = person.name if person is not None else unassigned_name()
        name_rect = name_line.adjusted(0, 0, -count_width - 8, 0)
        painter.drawText(
            name_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width()),
        )
        painter.setFont(option.font)
        if person is None:
            painter.setPen(secondary)
            painter.drawText(
                stats_line,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.tr("Drop here to unassign"),
            )
            return
        over = person.capacity > 0 and person.load > person.capacity
        stats = self.tr("{0} / {1} units").format(person.load, person.capacity)
        if person.presence is Presence.AWAY:
            stats += " · " + self.tr("away")
        stats_width = metrics.horizontalAdvance(stats)
        painter.setPen(accent(Tone.DANGER, palette) if over else secondary)
        painter.drawText(stats_line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, stats)
        bar = QRectF(
            stats_line.left() + stats_width + 10,
            stats_line.center().y() - 2,
            stats_line.width() - stats_width - 10,
            5,
        )
        if bar.width() > 20 and person.capacity > 0:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(mix(window, text, 0.15))
            painter.drawRoundedRect(bar, 2.5, 2.5)
            filled = QRectF(bar)
            filled.setWidth(bar.width() * min(person.load / person.capacity, 1.0))
            painter.setBrush(accent(Tone.DANGER if over else Tone.SUCCESS, palette))
            painter.drawRoundedRect(filled, 2.5, 2.5)

    @staticmethod
    def _paint_chevron(painter: QPainter, centre: QPointF, expanded: bool, colour: QColor) -> None:
        half = 4.0
        if expanded:
            points = [QPointF(-half, -half / 2), QPointF(half, -half / 2), QPointF(0, half / 2 + 1)]
        else:
            points = [QPointF(-half / 2, -half), QPointF(half / 2 + 1, 0), QPointF(-half / 2, half)]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([centre + point for point in points]))
