"""One lane of the board: a header with the team's numbers over a tree of its person rows and cards.

:class:`LaneView` is a ``QTreeView`` on the board's shared model, rooted at its lane,
so every lane shows the same model and drags between lanes go through
``mimeData``/``dropMimeData``. Keys that reach beyond the lane (left/right,
moving cards, "Move to…", opening a case) are emitted as signals for the board.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QFont, QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core.queries.board import BoardLane
from core.routing.types import Presence
from ui.board.board_model import (
    CASE_ID_ROLE,
    NODE_KIND_ROLE,
    PERSON_ID_ROLE,
    PERSON_ROLE,
    BoardModel,
    NodeKind,
)
from ui.board.board_texts import counted, lane_accessible_text
from ui.board.card_delegate import CHEVRON, PADDING, CardDelegate
from ui.elided_label import ElidedLabel
from ui.tones import Tone, accent, tint

LANE_WIDTH = 300
ARROWS: dict[int, int] = {Qt.Key.Key_Left.value: -1, Qt.Key.Key_Right.value: 1}
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class LaneHeader(QFrame):
    """Team name, load against capacity and cases against the WIP limit; red when over either.

    The ``overloaded`` property is True while the lane is over capacity or over its WIP limit.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("laneHeader")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._name = ElidedLabel()
        font = QFont(self._name.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1.5)
        self._name.setFont(font)
        self._load = QLabel()
        self._cases = QLabel()
        self._warning = QLabel()
        self._warning.setObjectName("laneWarning")
        warning_font = QFont(self._warning.font())
        warning_font.setBold(True)
        self._warning.setFont(warning_font)
        keep_height = self._warning.sizePolicy()
        keep_height.setRetainSizeWhenHidden(True)  # every header as tall, so the lanes line up
        self._warning.setSizePolicy(keep_height)
        numbers = QHBoxLayout()
        numbers.setContentsMargins(0, 0, 0, 0)
        numbers.addWidget(self._load)
        numbers.addStretch(1)
        numbers.addWidget(self._cases)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self._name)
        layout.addLayout(numbers)
        layout.addWidget(self._warning)
        self.setProperty("overloaded", False)

    @property
    def warning_text(self) -> str:
        """``"Over capacity · over WIP limit"``, or empty when the lane is within both."""
        return self._warning.text()

    @property
    def numbers_text(self) -> str:
        """The load and case numbers as shown."""
        return f"{self._load.text()} · {self._cases.text()}"

    def show_lane(self, lane: BoardLane) -> None:
        """Show ``lane``'s numbers, red when it is over capacity or over its WIP limit."""
        self._name.setText(lane.name)
        self._load.setText(self.tr("Load {0} / {1} units").format(lane.load, lane.capacity))
        if lane.wip_limit:
            self._cases.setText(self.tr("{0} / {1} cases (WIP)").format(lane.open_cases, lane.wip_limit))
        else:
            self._cases.setText(counted(lane.open_cases, "{0} case", "{0} cases"))
        problems = []
        if lane.over_capacity:
            problems.append(self.tr("Over capacity"))
        if lane.over_wip_limit:
            problems.append(self.tr("over WIP limit") if problems else self.tr("Over WIP limit"))
        self._warning.setText(" · ".join(problems))
        self._warning.setVisible(bool(problems))
        self.setProperty("overloaded", bool(problems))
        self._paint_state(bool(problems))
        self.setAccessibleName(lane_accessible_text(lane))

    def _paint_state(self, overloaded: bool) -> None:
        parent = self.parentWidget()
        palette = QPalette(parent.palette() if parent is not None else self.palette())
        if overloaded:
            palette.setColor(QPalette.ColorRole.Window, tint(Tone.DANGER, palette, 0.22))
            palette.setColor(QPalette.ColorRole.WindowText, accent(Tone.DANGER, palette))
        self.setPalette(palette)


class LaneView(QTreeView):
    """The person rows and cards of one lane, with multi-selection and drag and drop.

    Signals:
        lane_step_requested(int): Left (-1) or Right (+1): go to the neighbouring lane.
        move_step_requested(int): Ctrl+Shift+Left/Right: move the selected cards to the previous/next lane.
        choose_move_requested(): M: open "Move to…" for the selected cards.
        card_activated(int): Enter or a double click on a card; carries its case id.
        presence_toggle_requested(int): P, or the context menu, on a person row: mark that
            person away, or available again; carries the person id.
    """

    lane_step_requested = Signal(int)
    move_step_requested = Signal(int)
    choose_move_requested = Signal()
    card_activated = Signal(int)
    presence_toggle_requested = Signal(int)

    def __init__(self, model: BoardModel, delegate: CardDelegate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("laneView")
        self.setModel(model)
        self.setItemDelegate(delegate)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(0)
        self.setUniformRowHeights(True)
        self.setItemsExpandable(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.doubleClicked.connect(self._on_double_clicked)
        self._team_id = 0

    @property
    def team_id(self) -> int:
        """The team of the lane shown."""
        return self._team_id

    def board_model(self) -> BoardModel:
        """The shared board model."""
        model = self.model()
        assert isinstance(model, BoardModel)
        return model

    def show_lane(self, team_id: int, collapsed: set[int | None] | None = None) -> None:
        """Root the view at the lane of ``team_id``; person rows are expanded unless in ``collapsed``."""
        self._team_id = team_id
        model = self.board_model()
        root = model.lane_index(team_id)
        self.setRootIndex(root)
        for row in range(model.rowCount(root)):
            person = model.index(row, 0, root)
            self.setExpanded(person, person.data(PERSON_ID_ROLE) not in (collapsed or set()))

    def collapsed_people(self) -> set[int | None]:
        """The person ids (None: "Unassigned") whose rows are collapsed."""
        model = self.board_model()
        root = self.rootIndex()
        rows = (model.index(row, 0, root) for row in range(model.rowCount(root)))
        return {index.data(PERSON_ID_ROLE) for index in rows if not self.isExpanded(index)}

    def selected_case_ids(self) -> list[int]:
        """The selected cards, in board order."""
        return self.board_model().case_ids(self.selectionModel().selectedIndexes())

    def card_ids_or_current(self) -> list[int]:
        """The selected cards, or the current card when nothing is selected."""
        selected = self.selected_case_ids()
        current = self.currentIndex().data(CASE_ID_ROLE)
        return selected or ([current] if current is not None else [])

    def owns(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        """Whether ``index`` is shown by this lane."""
        while index.isValid():
            if index == self.rootIndex():
                return True
            index = index.parent()
        return False

    # --------------------------------------------------------------- events

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        current = self.currentIndex()
        kind = current.data(NODE_KIND_ROLE) if current.isValid() else None
        if key in ARROWS and modifiers == CTRL_SHIFT:
            self.move_step_requested.emit(ARROWS[key])
        elif key in ARROWS and modifiers == Qt.KeyboardModifier.NoModifier:
            self.lane_step_requested.emit(ARROWS[key])
        elif key == Qt.Key.Key_M and modifiers == Qt.KeyboardModifier.NoModifier:
            self.choose_move_requested.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and kind == NodeKind.CARD:
            self.card_activated.emit(current.data(CASE_ID_ROLE))
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and kind == NodeKind.PERSON:
            self.setExpanded(current, not self.isExpanded(current))
        elif key == Qt.Key.Key_P and modifiers == Qt.KeyboardModifier.NoModifier and kind == NodeKind.PERSON:
            if current.data(PERSON_ID_ROLE) is not None:
                self.presence_toggle_requested.emit(current.data(PERSON_ID_ROLE))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Cards: open, move to…; person rows: mark away or available (the menu key works too)."""
        by_mouse = event.reason() == QContextMenuEvent.Reason.Mouse
        menu = self.context_menu_for(self.indexAt(event.pos()) if by_mouse else self.currentIndex())
        if menu is not None:
            menu.exec(event.globalPos())

    def context_menu_for(self, index: QModelIndex) -> QMenu | None:
        """The context menu of the card or person row at ``index`` (None elsewhere)."""
        kind = index.data(NODE_KIND_ROLE) if index.isValid() else None
        menu = QMenu(self)
        if kind == NodeKind.CARD:
            case_id = index.data(CASE_ID_ROLE)
            menu.addAction(self.tr("Open Case\tEnter"), lambda: self.card_activated.emit(case_id))
            menu.addAction(self.tr("Move To…\tM"), self.choose_move_requested.emit)
        elif kind == NodeKind.PERSON and index.data(PERSON_ROLE) is not None:
            person = index.data(PERSON_ROLE)
            text = (
                self.tr("Mark {0} as Available\tP")
                if person.presence is Presence.AWAY
                else self.tr("Mark {0} as Away\tP")
            )
            toggle = self.presence_toggle_requested
            menu.addAction(text.format(person.name), lambda: toggle.emit(person.person_id))
        if menu.isEmpty():
            menu.deleteLater()
            return None
        return menu

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        on_chevron = event.position().x() < PADDING + CHEVRON + 6
        if index.data(NODE_KIND_ROLE) == NodeKind.PERSON and on_chevron:
            self.setExpanded(index, not self.isExpanded(index))
        super().mousePressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if not self.owns(self.currentIndex()):
            first = self.board_model().index(0, 0, self.rootIndex())
            self.selectionModel().setCurrentIndex(first, self.selectionModel().SelectionFlag.NoUpdate)
        super().focusInEvent(event)

    def row_at_height(self, y: int) -> QModelIndex:
        """The row at ``y`` (viewport coordinates), or the last row when ``y`` is below them all."""
        index = self.indexAt(QPoint(LANE_WIDTH // 2, y))
        if index.isValid():
            return index
        last = self.board_model().index(
            self.board_model().rowCount(self.rootIndex()) - 1, 0, self.rootIndex()
        )
        while last.isValid() and self.isExpanded(last) and self.board_model().rowCount(last):
            last = self.board_model().index(self.board_model().rowCount(last) - 1, 0, last)
        return last

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.data(NODE_KIND_ROLE) == NodeKind.CARD:
            self.card_activated.emit(index.data(CASE_ID_ROLE))


class LaneColumn(QWidget):
    """A lane's header above its :class:`LaneView`, at a fixed width."""

    def __init__(self, model: BoardModel, delegate: CardDelegate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = LaneHeader()
        self.view = LaneView(model, delegate)
        self.setFixedWidth(LANE_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)

    def show_lane(self, lane: BoardLane, collapsed: set[int | None] | None = None) -> None:
        """Show ``lane``: its numbers in the header, its people and cards below."""
        self.view.show_lane(lane.team_id, collapsed)
        self.refresh(lane)

    def refresh(self, lane: BoardLane) -> None:
        """Update the header and the view's accessible name after the lane's numbers changed."""
        self.header.show_lane(lane)
        self.view.setAccessibleName(lane_accessible_text(lane))
