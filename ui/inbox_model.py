"""InboxModel: the inbox table over an ordered array of case ids, with rows fetched page by page.

The model holds the ids of the current query (a compact ``array('q')``, so
100,000 cases cost under a megabyte) and a bounded cache of :class:`InboxRow`
keyed by case id. ``data()`` never queries: a row that is not cached shows a
placeholder and schedules the fetch of its page through :class:`DataAccess`;
when the page arrives the model emits ``dataChanged`` for those rows.

The SLA column counts down from the deadline each row carries: a shared
:class:`ClockTick` makes the model re-emit ``dataChanged`` for that column of the
loaded rows, so text and colour move on with the clock without any query.

Sorting re-queries the ids in the database (never in Python). Reloads that keep
the same query (a sort, cases added or removed) are applied as removals, a
layout change and insertions, so the selection follows its case; a new query
(another saved view, a search) resets the model.
"""

from __future__ import annotations

import logging
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication
from sqlalchemy.orm import Session

from core.db.types import utc_now
from core.domain.changes import ChangeSet
from core.domain.dtos import InboxQuery, InboxRow, SortKey
from core.queries.inbox import inbox_case_ids, inbox_rows
from core.sla.types import Risk
from ui.case_table_model import CaseTableModel
from ui.data_access import DataAccess, Ticket
from ui.formatting import format_due_time, format_relative, format_time_left, format_timestamp
from ui.labels import customer_tier_label, priority_label, sla_metric_label, stage_label, support_tier_label
from ui.sla_tick import ClockTick, shared_tick
from ui.tones import Tone, accent, muted, priority_tone, stage_tone

log = logging.getLogger("handoff.ui")

PAGE_SIZE = 200
MAX_CACHED_ROWS = 25 * PAGE_SIZE
MAX_INSERT_RUNS = 8  # more runs of new rows: inserted at the end, then laid out in one change
PLACEHOLDER = "…"
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, CASE_ID_ROLE)``: the case id of the row (known even before the row is fetched)."""
NO_CLOCK = "—"
IDS_KEY = "inbox-ids"

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """The inbox columns, in display order."""

    NUMBER = 0
    CUSTOMER = 1
    SUBJECT = 2
    PRIORITY = 3
    SLA = 4
    TIER = 5
    STAGE = 6
    TEAM = 7
    ASSIGNEE = 8
    UPDATED = 9


_CLOCK_COLUMNS = (Column.SLA, Column.UPDATED)
"""The columns that change as time passes (the first and the last of a range to redraw)."""


_TITLES: dict[Column, str] = {
    Column.NUMBER: QT_TRANSLATE_NOOP("InboxModel", "Case #"),
    Column.CUSTOMER: QT_TRANSLATE_NOOP("InboxModel", "Customer"),
    Column.SUBJECT: QT_TRANSLATE_NOOP("InboxModel", "Subject"),
    Column.PRIORITY: QT_TRANSLATE_NOOP("InboxModel", "Priority"),
    Column.SLA: QT_TRANSLATE_NOOP("InboxModel", "SLA"),
    Column.TIER: QT_TRANSLATE_NOOP("InboxModel", "Tier"),
    Column.STAGE: QT_TRANSLATE_NOOP("InboxModel", "Stage"),
    Column.TEAM: QT_TRANSLATE_NOOP("InboxModel", "Team"),
    Column.ASSIGNEE: QT_TRANSLATE_NOOP("InboxModel", "Assignee"),
    Column.UPDATED: QT_TRANSLATE_NOOP("InboxModel", "Updated"),
}
SORT_KEYS: dict[Column, SortKey] = {
    Column.NUMBER: SortKey.NUMBER,
    Column.CUSTOMER: SortKey.CUSTOMER,
    Column.SUBJECT: SortKey.SUBJECT,
    Column.PRIORITY: SortKey.PRIORITY,
    Column.SLA: SortKey.SLA,
    Column.TIER: SortKey.TIER,
    Column.STAGE: SortKey.STAGE,
    Column.TEAM: SortKey.TEAM,
    Column.ASSIGNEE: SortKey.ASSIGNEE,
    Column.UPDATED: SortKey.UPDATED,
}
COLUMN_FOR_SORT: dict[SortKey, Column] = {key: column for column, key in SORT_KEYS.items()}


def load_ids_and_first_page(
    session: Session, query: InboxQuery, page_size: int, now: datetime
) -> tuple[array[int], list[InboxRow]]:
    """Unit of work: the ordered ids of ``query`` at ``now`` and the rows of the first ``page_size``."""
    ids = inbox_case_ids(session, query, now)
    return ids, inbox_rows(session, ids[:page_size])


@dataclass(frozen=True)
class _IdsLoad:
    """How a pending ids load is applied: as a reset or a diff, and whether ``loaded`` is emitted."""

    reset: bool
    announce: bool

    def merge(self, other: _IdsLoad) -> _IdsLoad:
        return _IdsLoad(self.reset or other.reset, self.announce or other.announce)


def _runs(rows: Iterable[int]) -> Iterator[tuple[int, int]]:
    """Ascending row numbers grouped into (first, last) runs of consecutive rows."""
    first = last = -2
    for row in rows:
        if row == last + 1:
            last = row
            continue
        if first >= 0:
            yield first, last
        first = last = row
    if first >= 0:
        yield first, last


_RISK_TONES: dict[Risk, Tone] = {Risk.WARNING: Tone.WARNING, Risk.BREACHED: Tone.DANGER}
"""The SLA column's colour by risk; ok and none keep the normal text."""


class InboxModel(CaseTableModel):
    """The inbox: ordered case ids of an :class:`InboxQuery`, rows fetched in pages of 200.

    ``clock`` is the time SLA views are asked about and countdowns measured from; ``tick``
    (default: the application's :func:`shared_tick`) says when relative times need redrawing.

    Signals:
        loaded(int): the ids of a new query or sort order and its first page of rows are in;
            carries the row count.
    """

    loaded = Signal(int)

    def __init__(
        self,
        data: DataAccess,
        *,
        clock: Callable[[], datetime] = utc_now,
        tick: ClockTick | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(_TITLES, parent)
        self._data = data
        self._clock = clock
        self._query = InboxQuery()
        self._ids: array[int] = array("q")
        self._rows: OrderedDict[int, InboxRow] = OrderedDict()
        self._missing: set[int] = set()
        self._row_index: dict[int, int] | None = None
        self._generation = 0
        self._page_tickets: dict[int, Ticket] = {}
        self._pending_load: _IdsLoad | None = None
        self._stale: set[int] = set()
        self._has_loaded = False
        data.changes_applied.connect(self._on_data_changes_applied)
        (tick or shared_tick()).ticked.connect(self._on_tick_ticked)

    # Public API ---------------------------------------------------------------------------------

    @property
    def query(self) -> InboxQuery:
        """The query shown (or being loaded)."""
        return self._query

    @property
    def is_loading(self) -> bool:
        """Whether an ids load is in flight."""
        return self._pending_load is not None

    @property
    def has_loaded(self) -> bool:
        """Whether a first load has completed."""
        return self._has_loaded

    def set_query(self, query: InboxQuery) -> None:
        """Show ``query``: reload the ids (preempting any load in flight), then reset the model."""
        self._query = query
        self._load_ids(_IdsLoad(reset=True, announce=True))

    def refresh(self) -> None:
        """Re-query the ids of the current query, applying the difference in place."""
        self._load_ids(_IdsLoad(reset=False, announce=False))

    def case_id(self, row: int) -> int:
        """The case id of ``row``."""
        return self._ids[row]

    def row_of(self, case_id: int) -> int | None:
        """The row showing ``case_id``, if the current query holds it."""
        return self._index().get(case_id)

    def cached_row(self, row: int) -> InboxRow | None:
        """The fetched data of ``row``, or None while it is still being fetched."""
        return self._rows.get(self._ids[row])

    # Qt overrides -------------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._ids)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == Column.SLA:
                return self.tr("Sort by next SLA deadline")
            return self.tr("Sort by {0}").format(self.column_title(section).lower())
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # The first click on these shows the most urgent / most recent first.
            descending = section in (Column.PRIORITY, Column.UPDATED, Column.TIER)
            return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        return super().headerData(section, orientation, role)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        case_id = self._ids[index.row()]
        if role == CASE_ID_ROLE:
            return case_id
        row = self._rows.get(case_id)
        if row is None:
            return self._placeholder(index.row(), case_id, role)
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.FontRole and column is Column.SLA:
            return self._sla_font(row)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query the ids ordered by ``column`` (in the database); the selection follows its case."""
        if not 0 <= column < len(Column):
            return
        self._query = replace(
            self._query,
            sort=SORT_KEYS[Column(column)],
            descending=order == Qt.SortOrder.DescendingOrder,
        )
        self._load_ids(_IdsLoad(reset=False, announce=True))

    # Roles ---------------------------------------------------------------------------------------

    def _placeholder(self, row: int, case_id: int, role: int) -> Any:
        if case_id not in self._missing:
            self._request_page(row // PAGE_SIZE)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else self.tr("Loading…")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("Loading")
        if role == Qt.ItemDataRole.ForegroundRole:
            return muted(QGuiApplication.palette())
        return None

    def _display(self, row: InboxRow, column: Column) -> str:
        if column is Column.NUMBER:
            return str(row.number)
        if column is Column.CUSTOMER:
            return row.customer_name
        if column is Column.SUBJECT:
            return row.subject
        if column is Column.PRIORITY:
            return priority_label(row.priority)
        if column is Column.SLA:
            left = row.sla_seconds_left(self._clock())
            return NO_CLOCK if left is None else format_time_left(left)
        if column is Column.TIER:
            return self.tr("T{0}").format(row.tier)
        if column is Column.STAGE:
            return stage_label(row.stage)
        if column is Column.TEAM:
            return row.team_name
        if column is Column.ASSIGNEE:
            return row.assignee_name or self.tr("Unassigned")
        return format_relative(row.updated_at, self._clock())

    def _tooltip(self, row: InboxRow, column: Column) -> str | None:
        if column is Column.SLA:
            return self._sla_description(row, with_time=True)
        if column is Column.UPDATED:
            return format_timestamp(row.updated_at)
        if column is Column.CUSTOMER and row.customer_tier:
            return f"{row.customer_name} ({customer_tier_label(row.customer_tier)})"
        if column is Column.TIER:
            return support_tier_label(row.tier)
        if column is Column.SUBJECT:
            return row.subject
        return None

    def _accessible(self, row: InboxRow, column: Column) -> str:
        if column is Column.SLA:
            return self._sla_description(row, with_time=False)
        if column is Column.UPDATED:
            return self.tr("Updated {0}").format(format_timestamp(row.updated_at))
        if column is Column.TIER:
            return support_tier_label(row.tier)
        if column is Column.NUMBER:
            return self.tr("Case {0}").format(row.number)
        return self._display(row, column)

    def _foreground(self, row: InboxRow, column: Column) -> Any:
        palette = QGuiApplication.palette()
        if column is Column.PRIORITY:
            tone = priority_tone(row.priority)
            return accent(tone, palette) if tone else None
        if column is Column.STAGE:
            tone = stage_tone(row.stage)
            return accent(tone, palette) if tone else None
        if column is Column.SLA:
            if row.sla_due_at is None:
                return muted(palette)
            sla_tone = _RISK_TONES.get(row.sla_risk(self._clock()))
            return accent(sla_tone, palette) if sla_tone else None
        if column is Column.UPDATED or (column is Column.ASSIGNEE and not row.assignee_name):
            return muted(palette)
        return None

    def _sla_description(self, row: InboxRow, *, with_time: bool) -> str:
        """``"Next reply due 2:30 PM (in 2 h 10 min)"``; without the time: ``"Next reply due in 2 h 10 min"``.

        Once overdue, the latter reads ``"Next reply overdue 35 min"``.
        """
        now = self._clock()
        left = row.sla_seconds_left(now)
        if row.sla_due_at is None or left is None:
            return self.tr("No SLA clock running")
        metric = sla_metric_label(row.sla_metric)
        if with_time:
            return self.tr("{0} due {1} ({2})").format(
                metric, format_due_time(row.sla_due_at, now), format_time_left(left)
            )
        if left < 0:
            return self.tr("{0} {1}").format(metric, format_time_left(left))
        return self.tr("{0} due {1}").format(metric, format_time_left(left))

    def _sla_font(self, row: InboxRow) -> QFont | None:
        """Bold once the deadline has passed: a breach stands out without colour too."""
        if row.sla_risk(self._clock()) is not Risk.BREACHED:
            return None
        font = QFont()
        font.setBold(True)
        return font

    # Loading ids --------------------------------------------------------------------------------

    def _load_ids(self, load: _IdsLoad) -> None:
        if self._pending_load is not None:
            load = self._pending_load.merge(load)  # the superseded load's promises carry over
        self._pending_load = load
        self._data.read(
            load_ids_and_first_page,
            self._query,
            PAGE_SIZE,
            self._clock(),
            on_result=self._on_ids_loaded,
            key=IDS_KEY,
        )

    def _on_ids_loaded(self, result: tuple[array[int], list[InboxRow]]) -> None:
        load, self._pending_load = self._pending_load, None
        assert load is not None
        ids, first_page = result
        if load.reset:
            self.beginResetModel()
            self._ids = ids
            self._invalidate_positions()
            self._missing.clear()
            self._store(first_page)
            self.endResetModel()
        else:
            self._apply_ids(ids)
            self._store(first_page)
            self._emit_rows_changed(row.id for row in first_page)
        self._has_loaded = True
        if load.announce:
            self.loaded.emit(len(self._ids))

    def _apply_ids(self, new_ids: array[int]) -> None:
        """Turn the current ids into ``new_ids`` by removals, one layout change and insertions."""
        new_set = set(new_ids)
        old_set = set(self._ids)
        removed = [row for row, case_id in enumerate(self._ids) if case_id not in new_set]
        for first, last in reversed(list(_runs(removed))):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._ids[first : last + 1]
            self._invalidate_positions()
            self.endRemoveRows()
        added = [row for row, case_id in enumerate(new_ids) if case_id not in old_set]
        runs = list(_runs(added))
        if len(runs) > MAX_INSERT_RUNS:
            # Many cases arrived at once (a sync): one insertion at the end, then one layout
            # change into the new order, instead of a signal and an array copy per run.
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self._ids.extend(new_ids[row] for row in added)
            self._invalidate_positions()
            self.endInsertRows()
            self._reorder(new_ids)
        else:
            survivors = array("q", (case_id for case_id in new_ids if case_id in old_set))
            if survivors != self._ids:
                self._reorder(survivors)
            for first, last in runs:
                self.beginInsertRows(QModelIndex(), first, last)
                self._ids[first:first] = new_ids[first : last + 1]
                self._invalidate_positions()
                self.endInsertRows()
        self._missing.intersection_update(new_set)

    def _reorder(self, ids: array[int]) -> None:
        """Same ids, new order: a layout change that moves persistent indexes with their case."""
        self.layoutAboutToBeChanged.emit()
        new_row = {case_id: row for row, case_id in enumerate(ids)}
        persistent = self.persistentIndexList()
        moved = [self.index(new_row[self._ids[index.row()]], index.column()) for index in persistent]
        self._ids = ids
        self._invalidate_positions()
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _invalidate_positions(self) -> None:
        """Rows moved: forget the id → row map and the page fetches addressed by row."""
        self._generation += 1
        self._row_index = None
        for ticket in self._page_tickets.values():
            ticket.cancel()
        self._page_tickets.clear()

    def _index(self) -> dict[int, int]:
        if self._row_index is None:
            self._row_index = {case_id: row for row, case_id in enumerate(self._ids)}
        return self._row_index

    # Loading rows -------------------------------------------------------------------------------

    def _request_page(self, page: int) -> None:
        if page in self._page_tickets:
            return
        start = page * PAGE_SIZE
        ids = self._ids[start : start + PAGE_SIZE].tolist()
        generation = self._generation

        def _on_result(rows: list[InboxRow]) -> None:
            self._on_page_loaded(page, generation, ids, rows)

        self._page_tickets[page] = self._data.read(
            inbox_rows, ids, on_result=_on_result, key=f"inbox-page-{page}"
        )

    def _on_page_loaded(self, page: int, generation: int, ids: Sequence[int], rows: list[InboxRow]) -> None:
        self._page_tickets.pop(page, None)
        self._store(rows)
        found = {row.id for row in rows}
        self._missing.update(case_id for case_id in ids if case_id not in found)
        if generation == self._generation:
            start = page * PAGE_SIZE
            self._emit_changed(start, min(start + len(ids), len(self._ids)) - 1)
        else:
            self._emit_rows_changed(ids)

    def _store(self, rows: Iterable[InboxRow]) -> None:
        for row in rows:
            self._rows[row.id] = row
            self._rows.move_to_end(row.id)
        while len(self._rows) > MAX_CACHED_ROWS:
            self._rows.popitem(last=False)

    def _emit_rows_changed(
        self, case_ids: Iterable[int], columns: tuple[int, int] = (0, len(Column) - 1)
    ) -> None:
        index = self._index()
        rows = sorted(index[case_id] for case_id in case_ids if case_id in index)
        for first, last in _runs(rows):
            self._emit_changed(first, last, columns)

    def _emit_changed(self, first: int, last: int, columns: tuple[int, int] = (0, len(Column) - 1)) -> None:
        if first <= last:
            self.dataChanged.emit(self.index(first, columns[0]), self.index(last, columns[1]))

    # Change propagation ------------------------------------------------------------------------

    def _on_data_changes_applied(self, changes: ChangeSet) -> None:
        if not self._has_loaded and self._pending_load is None:
            return
        for case_id in changes.cases_removed:
            self._rows.pop(case_id, None)
        if changes.workspace_reset:
            self._rows.clear()
            self._stale.clear()
            self._load_ids(_IdsLoad(reset=True, announce=False))
            return
        if changes.cases_added or changes.cases_removed:
            self.refresh()
        # Only rows loaded or being loaded are fetched again; the others are fetched (fresh) when
        # they scroll into view. A sync changes thousands of cases the window never shows.
        changed = (changes.cases - changes.cases_removed) & (self._rows.keys() | self._rows_in_flight())
        index = self._index()
        for case_id in changed:
            if case_id in index:
                self._stale.add(case_id)
            else:
                self._rows.pop(case_id, None)  # not shown: refetched if it ever is
        if not self._stale:
            return
        requested = sorted(self._stale)

        def _on_result(rows: list[InboxRow]) -> None:
            self._on_stale_rows_loaded(requested, rows)

        # Keyed: a newer refresh supersedes this one, and asks for every id still stale.
        self._data.read(inbox_rows, requested, on_result=_on_result, key="inbox-refresh")

    def _rows_in_flight(self) -> set[int]:
        """The case ids of the pages being fetched."""
        return {
            case_id
            for page in self._page_tickets
            for case_id in self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        }

    def _on_stale_rows_loaded(self, requested: Sequence[int], rows: list[InboxRow]) -> None:
        self._stale.difference_update(requested)
        self._store(rows)
        self._emit_rows_changed(row.id for row in rows)

    def _on_tick_ticked(self) -> None:
        """Time moved on: redraw the countdowns and ages of the rows already loaded (no query)."""
        if self._ids and self._rows:
            self._emit_rows_changed(self._rows.keys(), _CLOCK_COLUMNS)
