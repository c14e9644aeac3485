"""A small read-only table of facts (signals, readiness items) whose rows may point at a timeline event.

:class:`FactsModel` holds immutable :class:`FactRow` values; its first column
carries a status word coloured by a :class:`~ui.tones.Tone`. :class:`FactsView`
emits ``evidence_requested`` when a row with evidence is activated (Enter,
double-click), and keeps Enter to itself so the dialog's default button does
not fire at the same time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableView, QWidget

from ui.rows_model import AnyIndex, RowsTableModel
from ui.tones import Tone, accent

EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class FactRow:
    """One row: its cells, the tone of its status cell, the timeline event it was found in."""

    cells: tuple[str, ...]
    tone: Tone | None = None
    evidence_event_id: int | None = None
    tooltip: str = ""


class FactsModel(RowsTableModel):
    """Rows of :class:`FactRow` under fixed column headers."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(headers, parent)
        self._rows: list[FactRow] = []

    def set_rows(self, rows: Sequence[FactRow]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int) -> FactRow:
        """The fact at ``row``."""
        return self._rows[row]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        fact = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return fact.cells[column] if column < len(fact.cells) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return fact.tooltip or None
        if role == Qt.ItemDataRole.ForegroundRole and column == 0 and fact.tone is not None:
            return accent(fact.tone, QGuiApplication.palette())
        if role == EVIDENCE_ROLE:
            return fact.evidence_event_id
        return None


class FactsView(QTableView):
    """A compact, read-only table of facts.

    Signals:
        evidence_requested(int): the user activated a row found in this timeline event.
    """

    evidence_requested = Signal(int)

    def __init__(self, model: FactsModel, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(accessible_name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self._visible_rows = 4
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.setMinimumSectionSize(self.fontMetrics().lineSpacing() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.activated.connect(self._on_self_activated)

    def stretch_column(self, column: int) -> None:
        """Let ``column`` take the remaining width, its text wrapped (the others fit their contents)."""
        self.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def fit_rows(self, visible_rows: int) -> None:
        """Be as tall as ``visible_rows`` single-line rows (the table scrolls beyond)."""
        self._visible_rows = visible_rows
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        header = self.horizontalHeader().sizeHint().height()
        rows = self.verticalHeader().minimumSectionSize() * self._visible_rows
        return QSize(hint.width(), header + rows + 2 * self.frameWidth())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._on_self_activated(self.currentIndex())
            event.accept()  # Enter here shows the evidence; it must not also submit the dialog
            return
        super().keyPressEvent(event)

    def _on_self_activated(self, index: QModelIndex) -> None:
        event_id = index.data(EVIDENCE_ROLE)
        if event_id is not None:
            self.evidence_requested.emit(int(event_id))
