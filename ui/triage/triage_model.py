"""TriageModel: the triage queue as a table, one immutable :class:`TriageItem` per row.

The queue comes ordered from the core (priority, then waiting longest) and is
short (a morning's escalations), so a reload replaces the rows in one reset;
the view keeps its selection by case id across it. ``data()`` never queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication

from core.queries.triage import TriageItem
from ui.case_table_model import CaseTableModel
from ui.dialogs.route_explanation import explanation_text, proposal_label
from ui.formatting import format_timestamp
from ui.labels import priority_label, support_tier_label
from ui.tones import Tone, accent, priority_tone

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, CASE_ID_ROLE)``: the case id of the row."""

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """The triage queue's columns, in display order."""

    NUMBER = 0
    PRIORITY = 1
    CUSTOMER = 2
    SUBJECT = 3
    WAITING = 4
    AREA = 5
    LANGUAGE = 6
    ROUTE = 7


_TITLES: dict[Column, str] = {
    Column.NUMBER: QT_TRANSLATE_NOOP("TriageModel", "Case #"),
    Column.PRIORITY: QT_TRANSLATE_NOOP("TriageModel", "Priority"),
    Column.CUSTOMER: QT_TRANSLATE_NOOP("TriageModel", "Customer"),
    Column.SUBJECT: QT_TRANSLATE_NOOP("TriageModel", "Subject"),
    Column.WAITING: QT_TRANSLATE_NOOP("TriageModel", "Waiting"),
    Column.AREA: QT_TRANSLATE_NOOP("TriageModel", "Product area"),
    Column.LANGUAGE: QT_TRANSLATE_NOOP("TriageModel", "Language"),
    Column.ROUTE: QT_TRANSLATE_NOOP("TriageModel", "Recommended route"),
}


def format_waiting(seconds: int) -> str:
    """How long a case has waited: ``"< 1 min"``, ``"45 min"``, ``"3 h 20 min"``, ``"2 d 4 h"``."""
    minutes = max(0, seconds) // 60
    if minutes < 1:
        return QGuiApplication.translate("TriageModel", "< 1 min")
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return QGuiApplication.translate("TriageModel", "{0} min").format(minutes)
    days, hours = divmod(hours, 24)
    if days == 0:
        if minutes == 0:
            return QGuiApplication.translate("TriageModel", "{0} h").format(hours)
        return QGuiApplication.translate("TriageModel", "{0} h {1} min").format(hours, minutes)
    return QGuiApplication.translate("TriageModel", "{0} d {1} h").format(days, hours)


class TriageModel(CaseTableModel):
    """The escalations waiting for triage, in the core's order, with their recommended routes."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(_TITLES, parent)
        self._items: list[TriageItem] = []

    # Public API ----------------------------------------------------------------------------------

    def set_items(self, items: Sequence[TriageItem]) -> None:
        """Show ``items`` (replacing the rows)."""
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> TriageItem:
        """The item of ``row``."""
        return self._items[row]

    def items(self) -> list[TriageItem]:
        """Every item, in row order."""
        return list(self._items)

    def row_of(self, case_id: int) -> int:
        """The row of ``case_id``, or -1."""
        return next((row for row, item in enumerate(self._items) if item.case_id == case_id), -1)

    # Qt model API --------------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = Column(index.column())
        if role == CASE_ID_ROLE:
            return item.case_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.NUMBER, Column.WAITING):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # Roles ---------------------------------------------------------------------------------------

    def _display(self, item: TriageItem, column: Column) -> str:
        if column is Column.NUMBER:
            return str(item.number)
        if column is Column.PRIORITY:
            return priority_label(item.priority)
        if column is Column.CUSTOMER:
            return item.customer_name
        if column is Column.SUBJECT:
            return item.subject
        if column is Column.WAITING:
            return format_waiting(item.waiting_seconds)
        if column is Column.AREA:
            return item.product_area or "—"
        if column is Column.LANGUAGE:
            return item.language.upper() if item.language else "—"
        return proposal_label(item.proposal)

    def _tooltip(self, item: TriageItem, column: Column) -> str:
        if column is Column.WAITING:
            return self.tr("Requested {0}").format(format_timestamp(item.requested_at))
        if column is Column.PRIORITY:
            return f"{priority_label(item.priority)} · {support_tier_label(item.tier)}"
        if column is Column.SUBJECT:
            return item.subject
        return explanation_text(item.proposal)

    def _foreground(self, item: TriageItem, column: Column) -> Any:
        palette = QGuiApplication.palette()
        if column is Column.PRIORITY:
            tone = priority_tone(item.priority)
            return accent(tone, palette) if tone else None
        if column is Column.ROUTE and item.proposal.person_id is None:
            return accent(Tone.WARNING, palette)  # nobody has room: the lead has to decide
        return None
