"""InboxView: saved views, search and the case table, with a status line of what is shown.

Typing in the search box searches after a 150 ms pause (preemptively: a newer
search supersedes the one in flight). An empty search lists the saved view by
last update (the SLA views: soonest deadline first); a search ranks by relevance,
unless the user picked a column by clicking its header, which then stays the order.

Membership of the SLA views changes with time alone: when the sidebar's periodic
recount of them changes while one is shown, its list is re-queried in place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from core.db.types import utc_now
from core.domain.dtos import InboxQuery, SortKey
from core.domain.enums import SavedView
from core.queries.inbox import SEARCH_RESULT_LIMIT, SLA_VIEWS
from ui.data_access import DataAccess
from ui.formatting import format_count
from ui.inbox_model import CASE_ID_ROLE, COLUMN_FOR_SORT, SORT_KEYS, Column, InboxModel
from ui.inbox_table import InboxTable
from ui.labels import saved_view_label
from ui.saved_views_model import SavedViewsModel
from ui.saved_views_sidebar import SavedViewsSidebar
from ui.search_field import SearchField

DEFAULT_VIEW = SavedView.ALL_OPEN
SIDEBAR_CHARS = 36


class InboxView(QWidget):
    """The inbox: a sidebar of saved views, a search box, the table of cases and a status line.

    Signals:
        case_activated(int): the user opened a case (Enter/Return or double click); its id.
        loaded(int): a view, search or sort order finished loading; the row count.
        view_changed(SavedView): the saved view shown changed.
    """

    case_activated = Signal(int)
    loaded = Signal(int)
    view_changed = Signal(object)

    def __init__(
        self,
        data: DataAccess,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self._view = DEFAULT_VIEW
        self._user_sort: tuple[SortKey, bool] | None = None
        self._model = InboxModel(data, clock=clock, parent=self)
        self._views = SavedViewsModel(data, clock=clock, parent=self)

        self._sidebar = SavedViewsSidebar(self._views)
        self._title = QLabel()
        self._title.setAccessibleName(self.tr("Current view"))
        title_font = self._title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self._title.setFont(title_font)
        self._status = QLabel()
        self._status.setAccessibleName(self.tr("Inbox status"))
        self._status.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # secondary text
        self._search = SearchField()
        self._search.setPlaceholderText(self.tr("Search cases (Ctrl+F)…"))
        self._search.setAccessibleName(self.tr("Search cases"))
        self._search.setMinimumWidth(self._search.fontMetrics().averageCharWidth() * 42)
        self._table = InboxTable()
        self._table.setModel(self._model)
        self._sync_sort_indicator()
        self.setFocusProxy(self._table)

        self._build_layout()
        self._sidebar.view_selected.connect(self.set_view)
        self._search.search_requested.connect(self._on_search_search_requested)
        self._search.move_requested.connect(self._on_search_move_requested)
        self._search.open_requested.connect(self._on_search_open_requested)
        self._table.horizontalHeader().sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self._table.row_activated.connect(self._on_table_row_activated)
        self._model.loaded.connect(self._on_model_loaded)
        self._model.rowsInserted.connect(self._on_model_rows_changed)
        self._model.rowsRemoved.connect(self._on_model_rows_changed)
        self._views.sla_counts_changed.connect(self._on_views_sla_counts_changed)
        self._sidebar.select_view(self._view)
        self._title.setText(saved_view_label(self._view))
        self._status.setText(self.tr("Loading…"))

    # Public API ---------------------------------------------------------------------------------

    @property
    def model(self) -> InboxModel:
        """The table's model."""
        return self._model

    @property
    def views_model(self) -> SavedViewsModel:
        """The sidebar's model."""
        return self._views

    @property
    def table(self) -> InboxTable:
        """The case table."""
        return self._table

    @property
    def search_field(self) -> SearchField:
        """The search box."""
        return self._search

    @property
    def sidebar(self) -> SavedViewsSidebar:
        """The list of saved views."""
        return self._sidebar

    @property
    def status_text(self) -> str:
        """The status line ("1,234 cases", "37 matches for “okta”")."""
        return self._status.text()

    @property
    def current_view(self) -> SavedView:
        """The saved view shown."""
        return self._view

    def set_view(self, view: SavedView) -> None:
        """Show (and reload) the saved view ``view``, keeping the search; ``loaded`` follows."""
        changed = view != self._view
        self._view = view
        self._sidebar.select_view(view)
        self._title.setText(saved_view_label(view))
        self._load(force=True)
        self._views.refresh()
        if changed:
            self.view_changed.emit(view)

    def set_search(self, text: str) -> None:
        """Search for ``text`` at once (no typing pause); ``loaded`` follows, even for the same text."""
        self._search.set_text_quietly(text)
        self._load(force=True)

    def reload(self) -> None:
        """Reload the current view, search and view counts; ``loaded`` follows."""
        self._load(force=True)
        self._views.refresh()

    def focus_search(self) -> None:
        """Put the keyboard focus in the search box, its text selected."""
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    def selected_case_id(self) -> int | None:
        """The case id of the current row, if any."""
        index = self._table.currentIndex()
        return index.data(CASE_ID_ROLE) if index.isValid() else None

    # Loading ------------------------------------------------------------------------------------

    def _query(self) -> InboxQuery:
        search = self._search.text().strip()
        if self._user_sort is not None:
            sort, descending = self._user_sort
        elif search:
            sort, descending = SortKey.RELEVANCE, False
        elif self._view in SLA_VIEWS:
            sort, descending = SortKey.SLA, False
        else:
            sort, descending = SortKey.UPDATED, True
        return InboxQuery(view=self._view, search=search, sort=sort, descending=descending)

    def _load(self, *, force: bool = False) -> None:
        query = self._query()
        if force or query != self._model.query or not (self._model.has_loaded or self._model.is_loading):
            self._model.set_query(query)
        self._sync_sort_indicator()

    def _sync_sort_indicator(self) -> None:
        header = self._table.horizontalHeader()
        query = self._model.query
        # Not QSignalBlocker's context manager: with PySide6 6.12 on Python 3.11 it drops a reference to
        # None on every use.
        blocked = header.blockSignals(True)
        if query.sort is SortKey.RELEVANCE:
            header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        else:
            order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(COLUMN_FOR_SORT[query.sort], order)
        header.blockSignals(blocked)
        header.viewport().update()

    def _update_status(self) -> None:
        count = self._model.rowCount()
        search = self._model.query.search
        if not search:
            if count == 0:
                text = self.tr("No cases")
            elif count == 1:
                text = self.tr("1 case")
            else:
                text = self.tr("{0} cases").format(format_count(count))
        elif count == 0:
            text = self.tr("No matches for “{0}”").format(search)
        elif count == 1:
            text = self.tr("1 match for “{0}”").format(search)
        elif count >= SEARCH_RESULT_LIMIT:
            text = self.tr("First {0} matches for “{1}”").format(format_count(count), search)
        else:
            text = self.tr("{0} matches for “{1}”").format(format_count(count), search)
        self._status.setText(text)

    def _build_layout(self) -> None:
        views_title = QLabel(self.tr("Views"))
        views_title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        sidebar_panel = QWidget()
        sidebar_layout = QVBoxLayout(sidebar_panel)
        sidebar_layout.setContentsMargins(8, 12, 4, 8)
        sidebar_layout.setSpacing(6)
        sidebar_layout.addWidget(views_title)
        sidebar_layout.addWidget(self._sidebar, 1)

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self._title)
        top.addWidget(self._status, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self._search)
        main_panel = QWidget()
        main_layout = QVBoxLayout(main_panel)
        main_layout.setContentsMargins(8, 10, 10, 10)
        main_layout.setSpacing(10)
        main_layout.addLayout(top)
        main_layout.addWidget(self._table, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(sidebar_panel)
        splitter.addWidget(main_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        # Room for the longest view name ("Proactive escalation") beside a six-figure count.
        splitter.setSizes([self.fontMetrics().averageCharWidth() * SIDEBAR_CHARS, 1000])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # Slots --------------------------------------------------------------------------------------

    def _on_search_search_requested(self, _text: str) -> None:
        self._load()

    def _on_search_move_requested(self, step: int) -> None:
        rows = self._model.rowCount()
        if rows == 0:
            return
        current = self._table.currentIndex().row()
        row = max(0, min(rows - 1, current + step if current >= 0 else 0))
        index = self._model.index(row, 0)
        self._table.setCurrentIndex(index)
        self._table.scrollTo(index)

    def _on_search_open_requested(self) -> None:
        case_id = self.selected_case_id()
        if case_id is not None:
            self.case_activated.emit(case_id)

    def _on_header_sort_indicator_changed(self, section: int, order: Qt.SortOrder) -> None:
        if not 0 <= section < len(Column):
            return
        self._user_sort = (SORT_KEYS[Column(section)], order == Qt.SortOrder.DescendingOrder)
        self._model.sort(section, order)

    def _on_model_loaded(self, count: int) -> None:
        self._update_status()
        if count and not self._table.currentIndex().isValid():
            self._table.setCurrentIndex(self._model.index(0, 0))
        self.loaded.emit(count)

    def _on_model_rows_changed(self, *_range: object) -> None:
        self._update_status()

    def _on_views_sla_counts_changed(self) -> None:
        if self._view in SLA_VIEWS and self._model.has_loaded:
            self._model.refresh()

    def _on_table_row_activated(self, row: int) -> None:
        self.case_activated.emit(self._model.case_id(row))
