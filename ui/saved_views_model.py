"""SavedViewsModel: the inbox's saved views with how many cases each holds, for the sidebar.

Counts are loaded through :class:`DataAccess` (preemptively, key
``"view-counts"``) and reloaded when a change set touches cases; the change
sets themselves arrive already merged (~100 ms) by DataAccess, and a reload
still in flight is superseded by the next one, so bursts cost one query.

The SLA views (At risk, Proactive escalation) fill up as time passes without any
change to the data, so once the counts are loaded they are recounted every minute
(one COUNT query on the DB thread) against the model's clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal

from core.db.types import utc_now
from core.domain.changes import ChangeSet
from core.domain.enums import SavedView
from core.queries.inbox import SLA_VIEWS, sla_view_counts, view_counts
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
    SavedView.AT_RISK,
    SavedView.PROACTIVE,
)
"""Sidebar order; the main window binds Ctrl+1… to these in this order (new views go at the end)."""
SLA_RECOUNT_MS = 60_000

AnyIndex = QModelIndex | QPersistentModelIndex


class SavedViewsModel(QAbstractListModel):
    """One row per saved view, in sidebar order; the display text is the name, the count a role.

    Signals:
        sla_counts_changed(): the count of an SLA view changed (time moved on or the data changed).
    """

    sla_counts_changed = Signal()

    def __init__(
        self,
        data: DataAccess,
        *,
        clock: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._data = data
        self._clock = clock
        self._counts: dict[SavedView, int] = {}
        data.changes_applied.connect(self._on_data_changes_applied)
        self._recount_timer = QTimer(self)
        self._recount_timer.setInterval(SLA_RECOUNT_MS)
        self._recount_timer.timeout.connect(self.recount_sla_views)

    def refresh(self) -> None:
        """Reload the counts (superseding a reload in flight)."""
        self._data.read(view_counts, self._clock(), on_result=self._on_counts_loaded, key="view-counts")

    def recount_sla_views(self) -> None:
        """Recount only the views that change with time (At risk, Proactive escalation)."""
        self._data.read(
            sla_view_counts, self._clock(), on_result=self._on_counts_loaded, key="view-counts-sla"
        )

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
        """Merge loaded counts (all of them, or only the SLA views') and report what changed."""
        if not self._recount_timer.isActive():
            self._recount_timer.start()
        changed = [view for view, count in counts.items() if self._counts.get(view) != count]
        if not changed:
            return
        self._counts.update(counts)
        self.dataChanged.emit(self.index(0), self.index(len(VIEW_ORDER) - 1))
        if any(view in SLA_VIEWS for view in changed):
            self.sla_counts_changed.emit()

    def _on_data_changes_applied(self, changes: ChangeSet) -> None:
        if changes.cases or changes.cases_added or changes.cases_removed or changes.workspace_reset:
            self.refresh()
