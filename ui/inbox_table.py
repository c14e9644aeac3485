"""InboxTable: the inbox's QTableView, configured for a fast list and driven by the keyboard.

``J``/``K`` move like Down/Up (arrows, Page Up/Down, Home/End work as usual);
``Enter``/``Return`` or a double click report the current row.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.case_table_style import style_case_table
from ui.inbox_model import Column

# Column widths in average character widths; Subject stretches.
_COLUMN_CHARS: dict[Column, int] = {
    Column.NUMBER: 8,
    Column.CUSTOMER: 24,
    Column.PRIORITY: 9,
    Column.SLA: 21,  # "overdue 12 h 59 min" in bold
    Column.TIER: 5,
    Column.STAGE: 20,
    Column.TEAM: 20,
    Column.ASSIGNEE: 17,
    Column.UPDATED: 11,
}
# Names shrink (elided) in a narrow window; numbers, priority, SLA, tier and times keep their width.
_SHRINKABLE = frozenset({Column.CUSTOMER, Column.STAGE, Column.TEAM, Column.ASSIGNEE})
_SUBJECT_MIN_CHARS = 50
_MIN_SCALE = 0.5
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
        style_case_table(self, QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        self._fitting = False
        self._user_sized_columns = False
        header.sectionResized.connect(self._on_header_section_resized)
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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_sized_columns:
            self._fit_columns()

    def _apply_column_widths(self) -> None:
        if self.model() is None:
            return
        header = self.horizontalHeader()
        for column in _COLUMN_CHARS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.SUBJECT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(4 * self.fontMetrics().averageCharWidth())
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Comfortable widths, shrunk in proportion when the subject would get too little room."""
        if self.model() is None:
            return
        char = self.fontMetrics().averageCharWidth()
        wanted = {column: chars * char + 16 for column, chars in _COLUMN_CHARS.items()}
        fixed = sum(width for column, width in wanted.items() if column not in _SHRINKABLE)
        flexible = sum(width for column, width in wanted.items() if column in _SHRINKABLE)
        room = self.viewport().width() - _SUBJECT_MIN_CHARS * char - fixed
        scale = 1.0 if flexible <= room else max(_MIN_SCALE, room / flexible)
        header = self.horizontalHeader()
        self._fitting = True
        try:
            for column, width in wanted.items():
                header.resizeSection(column, int(width * scale) if column in _SHRINKABLE else width)
        finally:
            self._fitting = False

    def _on_header_section_resized(self, section: int, _old: int, _new: int) -> None:
        if not self._fitting and section != Column.SUBJECT:
            self._user_sized_columns = True  # from now on, the user's widths stay

    def _on_self_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.row_activated.emit(index.row())
