"""InboxTable: the inbox's QTableView, configured for a fast list and driven by the keyboard.

``J``/``K`` move like Down/Up (arrows, Page Up/Down, Home/End work as usual);
``Enter``/``Return`` or a double click report the current row.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.inbox_model import Column

# Column widths in average character widths; Subject stretches.
_COLUMN_CHARS: dict[Column, int] = {
    Column.NUMBER: 8,
    Column.CUSTOMER: 26,
    Column.PRIORITY: 9,
    Column.TIER: 5,
    Column.STAGE: 21,
    Column.TEAM: 22,
    Column.ASSIGNEE: 18,
    Column.UPDATED: 11,
}
_VIM_KEYS = {Qt.Key.Key_J: Qt.Key.Key_Down, Qt.Key.Key_K: Qt.Key.Key_Up}


class InboxTable(QTableView):
    """A whole-row, single-selection table with uniform row heights and keyboard navigation.

    Signals:
        row_activated(int): the user pressed Enter/Return on, or double-clicked, this row.
    """

    row_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Cases"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setTabKeyNavigation(False)
        self.setCornerButtonEnabled(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform heights: no per-row measuring
        header = self.horizontalHeader()
        header.setAccessibleName(self.tr("Columns"))
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.doubleClicked.connect(self._on_self_double_clicked)
        self._apply_metrics()

    def setModel(self, model: object) -> None:  # type: ignore[override]
        super().setModel(model)  # type: ignore[arg-type]
        self._apply_column_widths()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers == Qt.KeyboardModifier.NoModifier:
            if self.currentIndex().isValid():
                self.row_activated.emit(self.currentIndex().row())
            event.accept()
            return
        if key in _VIM_KEYS and modifiers == Qt.KeyboardModifier.NoModifier:
            super().keyPressEvent(
                QKeyEvent(QEvent.Type.KeyPress, _VIM_KEYS[key], Qt.KeyboardModifier.NoModifier)
            )
            event.accept()
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        """Typing letters does not jump between rows (J/K are navigation; search has its own field)."""

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_metrics()
            self._apply_column_widths()

    def _apply_metrics(self) -> None:
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)

    def _apply_column_widths(self) -> None:
        if self.model() is None:
            return
        header = self.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        for column, chars in _COLUMN_CHARS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, chars * char + 16)
        header.setSectionResizeMode(Column.SUBJECT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(4 * char)

    def _on_self_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.row_activated.emit(index.row())
