"""SavedViewsModel: the inbox's saved views with how many cases each holds, for the sidebar.

Counts are loaded through :class:`DataAccess` (preemptively, key
``"view-counts"``) and reloaded when a change set touches cases; the change
sets themselves arrive already merged (~100 ms) by DataAccess, and a reload
still in flight is superseded by the next one, so bursts cost one query.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from core.domain.changes import ChangeSet
from core.domain.enums import SavedView
from core.queries.inbox import view_counts
from ui.data_access import DataAccess
from ui.formatting import format_count
from ui.labels import saved_view_label

VIEW_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, VIEW_ROLE)``: the :class:`SavedView` of the row."""
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2
"""``data(index, COUNT_ROLE)``: the number of cases in the view, or None before it is known."""
COUNT_TEXT_ROLE = Qt.ItemDataRole.UserRole + 3
"""``data(index, COUNT_TEXT_ROLE)``: the count formatted for display ("1,234"), or ""."""

VIEW_ORDER: tuple[SavedView, ...] = (
    SavedView.MY_CASES,
    SavedView.MY_TEAM,
    SavedView.ALL_OPEN,
    SavedView.AWAITING_CUSTOMER,
    SavedView.RECENTLY_RESOLVED,
    SavedView.ALL,
)

AnyIndex = QModelIndex | QPersistentModelIndex


class SavedViewsModel(QAbstractListModel):
    """One row per saved view, in sidebar order; the display text is the name, the count a role."""

    def __init__(self, data: DataAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._counts: dict[SavedView, int] = {}
        data.changes_applied.connect(self._on_data_changes_applied)

    def refresh(self) -> None:
        """Reload the counts (superseding a reload in flight)."""
        self._data.read(view_counts, on_result=self._on_counts_loaded, key="view-counts")

    def view_at(self, row: int) -> SavedView:
        """The saved view of ``row``."""
        return VIEW_ORDER[row]

    def row_of(self, view: SavedView) -> int:
        """The row of ``view``."""
        return VIEW_ORDER.index(view)

    def count(self, view: SavedView) -> int | None:
        """How many cases ``view`` holds, or None before the counts are loaded."""
        return self._counts.get(view)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(VIEW_ORDER)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(VIEW_ORDER):
            return None
        view = VIEW_ORDER[index.row()]
        count = self._counts.get(view)
        if role == Qt.ItemDataRole.DisplayRole:
            return saved_view_label(view)
        if role == VIEW_ROLE:
            return view
        if role == COUNT_ROLE:
            return count
        if role == COUNT_TEXT_ROLE:
            return "" if count is None else format_count(count)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if count is None:
                return saved_view_label(view)
            if count == 1:
                return self.tr("{0}, 1 case").format(saved_view_label(view))
            return self.tr("{0}, {1} cases").format(saved_view_label(view), format_count(count))
        return None

    def _on_counts_loaded(self, counts: dict[SavedView, int]) -> None:
        if counts == self._counts:
            return
        self._counts = dict(counts)
        self.dataChanged.emit(self.index(0), self.index(len(VIEW_ORDER) - 1))

    def _on_data_changes_applied(self, changes: ChangeSet) -> None:
        if changes.cases or changes.cases_added or changes.cases_removed or changes.workspace_reset:
            self.refresh()
