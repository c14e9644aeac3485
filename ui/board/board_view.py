"""BoardView: the team board, lanes side by side, loaded through DataAccess and kept up to date live.

A full load (:meth:`BoardView.reload`, a tier filter, a configuration or team change,
a workspace reset) rebuilds the model. Any other change to cases re-reads the board
on the DB thread and applies it card by card (:meth:`BoardModel.apply_board`), so
cards glide to their new lane while the selection, collapsed rows and scroll
positions stay as they were. A hidden board reads nothing: it notes that it is
stale and catches up when it is shown again.

Moves go through :class:`ui.routing_actions.RoutingActions`: a drop, Ctrl+Shift+Left/Right
and M only *ask* for a move; the board changes when the written ChangeSet arrives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from core.db.types import utc_now
from core.domain.changes import ChangeSet
from core.queries.board import Board, load_board
from core.routing.presence import set_presence
from core.routing.types import Presence
from ui.board.board_model import CASE_ID_ROLE, BoardModel
from ui.board.board_texts import counted
from ui.board.card_delegate import CardDelegate
from ui.board.lane_view import LaneColumn, LaneView
from ui.data_access import DataAccess
from ui.routing_actions import RoutingActions

BOARD_KEY = "board"
TIER_CHOICES: tuple[tuple[str, tuple[int, ...] | None], ...] = (
    ("Tier 2", (2,)),
    ("Tier 3", (3,)),
    ("All", None),
)
SELECT_ROW = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


def read_board(session: Session, now: datetime, tiers: tuple[int, ...] | None) -> Board:
    """Unit of work: the board of ``tiers`` (None: every lane of tier 2 and up)."""
    return load_board(session, now, tiers=tiers)


class BoardView(QWidget):
    """Lanes of person rows and cards, a tier filter and a status line.

    Signals:
        loaded(int): a full load finished; carries the number of cards.
        case_activated(int): a card was opened (Enter or a double click); carries its case id.
    """

    loaded = Signal(int)
    case_activated = Signal(int)

    def __init__(self, data: DataAccess, actions: RoutingActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._actions = actions
        self._tiers: tuple[int, ...] | None = None
        self._full_load_pending = False
        self._ever_loaded = False
        self._stale = False  # changes arrived while hidden
        self._columns: list[LaneColumn] = []
        self._model = BoardModel(self)
        self._delegate = CardDelegate(self)
        self._tier_filter = QComboBox()
        self._status = QLabel()
        self._lanes_box = QWidget()
        self._lanes_layout = QHBoxLayout(self._lanes_box)
        self._scroll = QScrollArea()
        self._build()
        self._model.move_requested.connect(self._on_model_move_requested, Qt.ConnectionType.QueuedConnection)
        data.changes_applied.connect(self._on_data_changes_applied)

    def _build(self) -> None:
        self.setAccessibleName(self.tr("Team board"))
        for text, tiers in TIER_CHOICES:
            self._tier_filter.addItem(self.tr(text), tiers)
        self._tier_filter.setCurrentIndex(len(TIER_CHOICES) - 1)
        self._tier_filter.setAccessibleName(self.tr("Show lanes of"))
        self._tier_filter.view().setAccessibleName(self.tr("Tiers"))  # its popup list, for screen readers
        self._tier_filter.currentIndexChanged.connect(self._on_tier_filter_current_index_changed)
        label = QLabel(self.tr("&Lanes:"))
        label.setBuddy(self._tier_filter)
        self._status.setAccessibleName(self.tr("Board status"))
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self._tier_filter)
        top.addSpacing(16)
        top.addWidget(self._status, 1)
        self._lanes_layout.setContentsMargins(0, 0, 0, 0)
        self._lanes_layout.setSpacing(10)
        self._lanes_layout.addStretch(1)
        self._scroll.setWidget(self._lanes_box)
        self._scroll.setWidgetResizable(True)
        self._scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._scroll, 1)

    # -------------------------------------------------------------- public

    @property
    def model(self) -> BoardModel:
        """The board model shared by every lane."""
        return self._model

    def reload(self) -> None:
        """Read the board afresh (a full load; ``loaded`` follows)."""
        self._full_load_pending = True
        self._read()

    def set_tiers(self, tiers: Iterable[int] | None) -> None:
        """Show the lanes of ``tiers`` only (None: all of tier 2 and up), and reload."""
        self._tiers = tuple(sorted(tiers)) if tiers is not None else None
        choice = next((row for row, (_, shown) in enumerate(TIER_CHOICES) if shown == self._tiers), -1)
        self._tier_filter.blockSignals(True)
        self._tier_filter.setCurrentIndex(choice)
        self._tier_filter.blockSignals(False)
        self.reload()

    def selected_case_ids(self) -> list[int]:
        """The selected cards (of every lane), in board order."""
        return [case_id for column in self._columns for case_id in column.view.selected_case_ids()]

    def select_case(self, case_id: int) -> bool:
        """Select the card of ``case_id`` (and only it) and scroll to it; False if it is not on the board."""
        return self._select({case_id}, case_id)

    def lane_for(self, team_id: int) -> LaneView:
        """The lane view of a team (KeyError if it has no lane)."""
        return self._column(team_id).view

    def lane_column_for(self, team_id: int) -> LaneColumn:
        """The lane column (header and view) of a team (KeyError if it has no lane)."""
        return self._column(team_id)

    @property
    def status_text(self) -> str:
        """The status line, e.g. ``"2,014 cases in 12 lanes · 3 lanes over capacity"``."""
        return self._status.text()

    # ------------------------------------------------------------- loading

    def _read(self) -> None:
        self._ever_loaded = True
        self._stale = False
        if self._full_load_pending:
            self._status.setText(self.tr("Loading the board…"))  # a large workspace takes a moment
        self._data.read(read_board, utc_now(), self._tiers, key=BOARD_KEY, on_result=self._on_board_read)

    def _on_board_read(self, board: Board) -> None:
        selected = self.selected_case_ids()
        current = self._current_case_id()
        had_focus = any(column.view.hasFocus() for column in self._columns)
        if self._full_load_pending or not self._model.fits(board):
            self._show_new_board(board)
        else:
            self._model.apply_board(board)
            for column, lane in zip(self._columns, board.lanes, strict=True):
                column.refresh(lane)
        self._select(set(selected), current, focus=had_focus, scroll=False)
        self._show_status(board)
        if self._full_load_pending:
            self._full_load_pending = False
            self.loaded.emit(self._model.card_count)

    def _show_new_board(self, board: Board) -> None:
        collapsed = {column.view.team_id: column.view.collapsed_people() for column in self._columns}
        scrolled = {column.view.team_id: column.view.verticalScrollBar().value() for column in self._columns}
        self._model.set_board(board)
        team_ids = [lane.team_id for lane in board.lanes]
        if [column.view.team_id for column in self._columns] != team_ids:
            self._rebuild_columns(len(team_ids))
        for column, lane in zip(self._columns, board.lanes, strict=True):
            column.show_lane(lane, collapsed.get(lane.team_id))
            column.view.verticalScrollBar().setValue(scrolled.get(lane.team_id, 0))

    def _rebuild_columns(self, count: int) -> None:
        for column in self._columns:
            self._lanes_layout.removeWidget(column)
            column.deleteLater()
        self._columns = []
        for position in range(count):
            column = LaneColumn(self._model, self._delegate)
            view = column.view
            view.selectionModel().selectionChanged.connect(
                lambda selected, _deselected, lane=view: self._on_lane_selection_changed(lane, selected)
            )
            view.lane_step_requested.connect(lambda step, lane=view: self._on_lane_step_requested(lane, step))
            view.move_step_requested.connect(lambda step, lane=view: self._on_move_step_requested(lane, step))
            view.choose_move_requested.connect(lambda lane=view: self._on_choose_move_requested(lane))
            view.card_activated.connect(self.case_activated)
            view.presence_toggle_requested.connect(self._on_presence_toggle_requested)
            self._lanes_layout.insertWidget(position, column)
            column.show()
            self._columns.append(column)
        for first, second in zip(self._columns, self._columns[1:], strict=False):
            QWidget.setTabOrder(first.view, second.view)
        # The window focuses the page (maybe before the lanes exist); the first lane takes it,
        # or the tier filter when no lane is shown.
        was_focused = QApplication.focusWidget() in (self, self.focusProxy())
        entry: QWidget = self._columns[0].view if self._columns else self._tier_filter
        self.setFocusProxy(entry)
        if was_focused:
            entry.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_status(self, board: Board) -> None:
        over = sum(1 for lane in board.lanes if lane.over_capacity)
        parts = [
            self.tr("{0} in {1}").format(
                counted(self._model.card_count, "{0} case", "{0} cases"),
                counted(len(board.lanes), "{0} lane", "{0} lanes"),
            )
        ]
        if over:
            parts.append(counted(over, "{0} lane over capacity", "{0} lanes over capacity"))
        self._status.setText(" · ".join(parts))

    def _on_data_changes_applied(self, changes: ChangeSet) -> None:
        if not self._ever_loaded:
            return
        if changes.workspace_reset or changes.config or changes.teams:
            self._full_load_pending = True
        elif not (changes.cases or changes.cases_added or changes.cases_removed or changes.outbox):
            return
        self._stale = True
        if self.isVisible():
            self._read()

    def showEvent(self, event: QShowEvent) -> None:
        """A board hidden while cases changed catches up when it is shown again."""
        super().showEvent(event)
        if self._stale:
            self._read()

    def _on_tier_filter_current_index_changed(self, row: int) -> None:
        self._tiers = TIER_CHOICES[row][1]
        self.reload()

    # ----------------------------------------------------------- selection

    def _column(self, team_id: int) -> LaneColumn:
        for column in self._columns:
            if column.view.team_id == team_id:
                return column
        raise KeyError(team_id)

    def _current_case_id(self) -> int | None:
        """The selected card with the focus frame: in the focused lane if it has one, else in any lane."""
        views = sorted((column.view for column in self._columns), key=lambda view: not view.hasFocus())
        for view in views:
            case_id = view.currentIndex().data(CASE_ID_ROLE)
            if case_id is not None and view.selectionModel().isSelected(view.currentIndex()):
                return int(case_id)
        return None

    def _select(
        self, case_ids: set[int], current: int | None, *, focus: bool = False, scroll: bool = True
    ) -> bool:
        """Select ``case_ids`` in the lanes that now hold them; ``current`` gets the focus frame."""
        found = False
        for column in self._columns:
            view = column.view
            selection = QItemSelection()
            for case_id in case_ids:
                index = self._model.card_index(case_id)
                if index.isValid() and view.owns(index):
                    selection.select(index, index)
            model = view.selectionModel()
            model.blockSignals(True)
            model.select(selection, SELECT_ROW)
            model.blockSignals(False)
            view.viewport().update()
            index = self._model.card_index(current) if current is not None else QModelIndex()
            if index.isValid() and view.owns(index):
                found = True
                model.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                if scroll:
                    view.scrollTo(index)
                if focus:
                    view.setFocus()
        return found

    def _on_lane_selection_changed(self, lane: LaneView, selected: QItemSelection) -> None:
        """Selection stays within one lane: selecting in a lane clears the others."""
        if selected.isEmpty():
            return
        for column in self._columns:
            if column.view is not lane and column.view.selectionModel().hasSelection():
                column.view.selectionModel().clearSelection()

    # ------------------------------------------------------------ keyboard

    def _neighbour(self, lane: LaneView, step: int) -> LaneView | None:
        views = [column.view for column in self._columns]
        position = views.index(lane) + step
        return views[position] if 0 <= position < len(views) else None

    def _on_lane_step_requested(self, lane: LaneView, step: int) -> None:
        target = self._neighbour(lane, step)
        if target is None:
            return
        y = lane.visualRect(lane.currentIndex()).center().y() if lane.currentIndex().isValid() else 0
        index = target.row_at_height(max(y, 0))
        if index.isValid():
            target.selectionModel().setCurrentIndex(index, SELECT_ROW)
            target.scrollTo(index)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll.ensureWidgetVisible(self._column(target.team_id), 0, 0)

    def _on_move_step_requested(self, lane: LaneView, step: int) -> None:
        target = self._neighbour(lane, step)
        case_ids = lane.card_ids_or_current()
        if target is not None and case_ids:
            self._actions.move(case_ids, target.team_id, None)

    def _on_choose_move_requested(self, lane: LaneView) -> None:
        case_ids = lane.card_ids_or_current()
        if case_ids:
            self._actions.choose_and_move(case_ids)

    def _on_presence_toggle_requested(self, person_id: int) -> None:
        person = self._model.person(person_id)
        if person is None:
            return
        presence = Presence.AVAILABLE if person.presence is Presence.AWAY else Presence.AWAY
        self._data.write(set_presence, person_id, presence)  # the change set reloads the lanes

    def _on_model_move_requested(self, case_ids: Sequence[int], team_id: int, person_id: int | None) -> None:
        """Queued after the drop, so a confirmation dialog never opens inside the drag's event loop."""
        self._actions.move(list(case_ids), team_id, person_id)
