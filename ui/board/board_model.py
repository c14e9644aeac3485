"""BoardModel: the team board as one tree, lanes → person rows → cards, with drag and drop.

The model holds immutable DTOs of :mod:`core.queries.board` and never queries:
:meth:`BoardModel.set_board` shows a new board (a reset), :meth:`BoardModel.apply_board`
brings it up to date with a newer one as single-card removals, moves and insertions
(planned by :mod:`ui.board.board_refresh`), so views keep their selection, expansion
and scroll positions.

Dropping cards does not change the model: ``dropMimeData`` emits ``move_requested``
and returns False. The move is checked, perhaps confirmed and written elsewhere, and
the board changes when the write's ChangeSet comes back.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from core.queries.board import Board, BoardCard, BoardLane, BoardPerson
from ui.board.board_mime import CASE_IDS_MIME_TYPE, decode_case_ids, encode_case_ids
from ui.board.board_refresh import (
    InsertCard,
    LaneLayout,
    MoveCard,
    RemoveCard,
    SlotKey,
    SlotLayout,
    changed_cards,
    layout_board,
    plan_card_steps,
    same_structure,
)
from ui.board.board_texts import (
    card_accessible_description,
    card_accessible_text,
    lane_accessible_text,
    person_accessible_text,
    unassigned_name,
)

AnyIndex = QModelIndex | QPersistentModelIndex

_FIRST_ROLE = Qt.ItemDataRole.UserRole + 100
NODE_KIND_ROLE = _FIRST_ROLE
"""The :class:`NodeKind` of an index."""
CASE_ID_ROLE = _FIRST_ROLE + 1
"""A card's case id (None elsewhere)."""
TEAM_ID_ROLE = _FIRST_ROLE + 2
"""The team id of the lane an index belongs to."""
PERSON_ID_ROLE = _FIRST_ROLE + 3
"""A person row's person id, or a card's assignee id (None: unassigned)."""
CARD_ROLE = _FIRST_ROLE + 4
"""A card's :class:`BoardCard`."""
LANE_ROLE = _FIRST_ROLE + 5
"""The :class:`BoardLane` of a lane."""
PERSON_ROLE = _FIRST_ROLE + 6
"""A person row's :class:`BoardPerson` (None for "Unassigned")."""
CARD_COUNT_ROLE = _FIRST_ROLE + 7
"""How many cards a lane or person row holds."""


_LANE_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled
_PERSON_FLAGS = _LANE_FLAGS | Qt.ItemFlag.ItemIsSelectable
_CARD_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemNeverHasChildren
)


class NodeKind(IntEnum):
    """What an index of the board is."""

    LANE = 1
    PERSON = 2
    CARD = 3


@dataclass(eq=False)
class _LaneNode:
    node_id: int
    row: int
    lane: BoardLane
    slots: list[_SlotNode] = field(default_factory=list)


@dataclass(eq=False)
class _SlotNode:
    node_id: int
    row: int
    lane: _LaneNode
    person_id: int | None
    person: BoardPerson | None
    cards: list[int]


class BoardModel(QAbstractItemModel):
    """Lanes (teams) → person rows ("Unassigned" first, then the members) → cards, one column.

    Signals:
        move_requested(list, int, object): cards were dropped; their case ids, the target
            team id and the target person id (None: unassigned in that team).
    """

    move_requested = Signal(list, int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._board = Board(lanes=(), cards=())
        self._layout: tuple[LaneLayout, ...] = ()
        self._lanes: list[_LaneNode] = []
        self._cards: dict[int, BoardCard] = {}
        self._card_slot: dict[int, _SlotNode] = {}
        self._card_node: dict[int, int] = {}
        self._nodes: dict[int, _LaneNode | _SlotNode | int] = {}
        self._ids = itertools.count(1)

    # ----------------------------------------------------------------- content

    @property
    def board(self) -> Board:
        """The board shown."""
        return self._board

    def set_board(self, board: Board) -> None:
        """Show ``board`` from scratch (a model reset)."""
        self.beginResetModel()
        self._build(board)
        self.endResetModel()

    def fits(self, board: Board) -> bool:
        """Whether ``board`` has the lanes and person rows shown now (:meth:`apply_board` needs no reset)."""
        return same_structure(self._layout, layout_board(board))

    def apply_board(self, board: Board) -> bool:
        """Bring the model up to ``board`` card by card; returns False if it had to reset instead.

        A reset happens only when lanes or person rows changed (a team edited, someone joined).
        """
        layout = layout_board(board)
        if not same_structure(self._layout, layout):
            self.set_board(board)
            return False
        old_cards = self._cards
        reachable = self._reachable(layout)
        new_cards = {card.case_id: card for card in board.cards if card.case_id in reachable}
        for step in plan_card_steps(self._layout, layout):
            if isinstance(step, RemoveCard):
                self._remove_card(step.case_id)
            elif isinstance(step, MoveCard):
                self._move_card(step.case_id, self._slot(step.slot), step.row)
            else:
                self._insert_card(step, new_cards[step.case_id])
        changed = changed_cards(old_cards, new_cards)
        self._cards = new_cards
        self._board = board
        self._layout = layout
        for case_id in changed:
            index = self.card_index(case_id)
            self.dataChanged.emit(index, index)
        self._refresh_headers(layout)
        return True

    def lane_index(self, team_id: int) -> QModelIndex:
        """The index of a lane (invalid if it is not on the board)."""
        for node in self._lanes:
            if node.lane.team_id == team_id:
                return self.createIndex(node.row, 0, node.node_id)
        return QModelIndex()

    def person_index(self, team_id: int, person_id: int | None) -> QModelIndex:
        """The index of a person row of a lane (person None: "Unassigned")."""
        slot = self._find_slot((team_id, person_id))
        return QModelIndex() if slot is None else self._slot_index(slot)

    def card_index(self, case_id: int) -> QModelIndex:
        """The index of a case's card (invalid if it is not on the board)."""
        slot = self._card_slot.get(case_id)
        if slot is None:
            return QModelIndex()
        return self.createIndex(slot.cards.index(case_id), 0, self._card_node[case_id])

    def card(self, case_id: int) -> BoardCard | None:
        """The card of a case, if it is on the board."""
        return self._cards.get(case_id)

    def person(self, person_id: int) -> BoardPerson | None:
        """The person row data of ``person_id`` (from whichever lane lists them), if shown."""
        people = (person for lane in self._board.lanes for person in lane.people)
        return next((person for person in people if person.person_id == person_id), None)

    @property
    def card_count(self) -> int:
        """How many cards the board shows."""
        return len(self._cards)

    def case_ids(self, indexes: Iterable[AnyIndex]) -> list[int]:
        """The case ids of the card indexes among ``indexes``, each once, in board order."""
        ids = {self._case_id(index) for index in indexes} - {None}
        return [card.case_id for card in self._board.cards if card.case_id in ids]

    # ------------------------------------------------------ QAbstractItemModel

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._lanes[row].node_id)
        node = self._nodes[parent.internalId()]
        if isinstance(node, _LaneNode):
            return self.createIndex(row, column, node.slots[row].node_id)
        if isinstance(node, _SlotNode):
            return self.createIndex(row, column, self._card_node[node.cards[row]])
        return QModelIndex()

    def parent(self, child: AnyIndex | None = None) -> Any:
        if child is None:  # QObject.parent()
            return super().parent()
        if not child.isValid():
            return QModelIndex()
        node = self._nodes[child.internalId()]
        if isinstance(node, _LaneNode):
            return QModelIndex()
        if isinstance(node, _SlotNode):
            return self.createIndex(node.lane.row, 0, node.lane.node_id)
        return self._slot_index(self._card_slot[node])

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._lanes)
        if parent.column() != 0:
            return 0
        node = self._nodes[parent.internalId()]
        if isinstance(node, _LaneNode):
            return len(node.slots)
        if isinstance(node, _SlotNode):
            return len(node.cards)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        if isinstance(node, _LaneNode):
            return self._lane_data(node, role)
        if isinstance(node, _SlotNode):
            return self._slot_data(node, role)
        return self._card_data(self._cards[node], role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        node = self._nodes[index.internalId()]
        if isinstance(node, _LaneNode):
            return _LANE_FLAGS
        return _PERSON_FLAGS if isinstance(node, _SlotNode) else _CARD_FLAGS

    # ------------------------------------------------------------ drag & drop

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [CASE_IDS_MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData | None:  # type: ignore[override]
        ids = self.case_ids(indexes)
        if not ids:
            return None
        data = QMimeData()
        data.setData(CASE_IDS_MIME_TYPE, encode_case_ids(ids))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return self._drop(data, action, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        """Schedule the move (``move_requested``); the model itself changes only when it is written."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        drop = self._drop(data, action, parent)
        if drop is not None:
            ids, (team_id, person_id) = drop
            self.move_requested.emit(list(ids), team_id, person_id)
        return False

    def drop_target(self, parent: AnyIndex) -> SlotKey | None:
        """Where a drop onto ``parent`` sends cards: a lane (unassigned there), a person row, a card's row."""
        if not parent.isValid():
            return None
        node = self._nodes.get(parent.internalId())
        if isinstance(node, _LaneNode):
            return (node.lane.team_id, None)
        if isinstance(node, _SlotNode):
            return (node.lane.lane.team_id, node.person_id)
        if isinstance(node, int):
            slot = self._card_slot[node]
            return (slot.lane.lane.team_id, slot.person_id)
        return None

    def _drop(
        self, data: QMimeData, action: Qt.DropAction, parent: AnyIndex
    ) -> tuple[tuple[int, ...], SlotKey] | None:
        """The cards and target of a drop, or None when it is refused (foreign data, nowhere, no-op)."""
        if action != Qt.DropAction.MoveAction or not data.hasFormat(CASE_IDS_MIME_TYPE):
            return None
        target = self.drop_target(parent)
        ids = decode_case_ids(bytes(data.data(CASE_IDS_MIME_TYPE).data()))
        if target is None or not ids:
            return None
        onto_lane = isinstance(self._nodes.get(parent.internalId()), _LaneNode)
        if all(self._already_at(case_id, target, anyone=onto_lane) for case_id in ids):
            return None
        return ids, target

    def _already_at(self, case_id: int, target: SlotKey, *, anyone: bool) -> bool:
        """Whether the card is in the target lane already (and with the target person, unless ``anyone``)."""
        card = self._cards.get(case_id)
        if card is None or card.team_id != target[0]:
            return False
        return anyone or card.assignee_id == target[1]

    # --------------------------------------------------------------- roles

    def _lane_data(self, node: _LaneNode, role: int) -> Any:
        lane = node.lane
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return lane.name if role == Qt.ItemDataRole.DisplayRole else lane_accessible_text(lane)
        return {
            NODE_KIND_ROLE: NodeKind.LANE,
            TEAM_ID_ROLE: lane.team_id,
            LANE_ROLE: lane,
            CARD_COUNT_ROLE: sum(len(slot.cards) for slot in node.slots),
            Qt.ItemDataRole.ToolTipRole: lane_accessible_text(lane),
        }.get(role)

    def _slot_data(self, node: _SlotNode, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return node.person.name if node.person is not None else unassigned_name()
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return person_accessible_text(node.person, len(node.cards))
        return {
            NODE_KIND_ROLE: NodeKind.PERSON,
            TEAM_ID_ROLE: node.lane.lane.team_id,
            PERSON_ID_ROLE: node.person_id,
            PERSON_ROLE: node.person,
            CARD_COUNT_ROLE: len(node.cards),
        }.get(role)

    def _card_data(self, card: BoardCard, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{card.number} {card.subject}"
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return card_accessible_text(card)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return card_accessible_description(card)
        return {
            NODE_KIND_ROLE: NodeKind.CARD,
            CASE_ID_ROLE: card.case_id,
            TEAM_ID_ROLE: card.team_id,
            PERSON_ID_ROLE: card.assignee_id,
            CARD_ROLE: card,
        }.get(role)

    # ------------------------------------------------------------- internals

    def _build(self, board: Board) -> None:
        self._board = board
        self._layout = layout_board(board)
        self._nodes.clear()
        self._card_slot.clear()
        self._card_node.clear()
        self._lanes = []
        for lane_row, lane_layout in enumerate(self._layout):
            lane_node = _LaneNode(next(self._ids), lane_row, lane_layout.lane)
            self._nodes[lane_node.node_id] = lane_node
            for slot_row, slot in enumerate(lane_layout.slots):
                slot_node = self._new_slot(lane_node, slot_row, slot)
                for case_id in slot_node.cards:
                    self._register_card(case_id, slot_node)
            self._lanes.append(lane_node)
        self._cards = {case_id: card for card in board.cards if (case_id := card.case_id) in self._card_slot}

    def _new_slot(self, lane_node: _LaneNode, row: int, slot: SlotLayout) -> _SlotNode:
        node = _SlotNode(next(self._ids), row, lane_node, slot.person_id, slot.person, list(slot.case_ids))
        self._nodes[node.node_id] = node
        lane_node.slots.append(node)
        return node

    def _register_card(self, case_id: int, slot: _SlotNode) -> None:
        node_id = next(self._ids)
        self._nodes[node_id] = case_id
        self._card_node[case_id] = node_id
        self._card_slot[case_id] = slot

    @staticmethod
    def _reachable(layout: Iterable[LaneLayout]) -> set[int]:
        return {case_id for lane in layout for slot in lane.slots for case_id in slot.case_ids}

    def _case_id(self, index: AnyIndex) -> int | None:
        if not index.isValid() or index.model() is not self:
            return None
        node = self._nodes.get(index.internalId())
        return node if isinstance(node, int) else None

    def _slot_index(self, slot: _SlotNode) -> QModelIndex:
        return self.createIndex(slot.row, 0, slot.node_id)

    def _find_slot(self, key: SlotKey) -> _SlotNode | None:
        for lane in self._lanes:
            if lane.lane.team_id == key[0]:
                return next((slot for slot in lane.slots if slot.person_id == key[1]), None)
        return None

    def _slot(self, key: SlotKey) -> _SlotNode:
        slot = self._find_slot(key)
        assert slot is not None, key
        return slot

    def _remove_card(self, case_id: int) -> None:
        slot = self._card_slot[case_id]
        row = slot.cards.index(case_id)
        self.beginRemoveRows(self._slot_index(slot), row, row)
        slot.cards.pop(row)
        del self._card_slot[case_id]
        del self._nodes[self._card_node.pop(case_id)]
        self.endRemoveRows()

    def _insert_card(self, step: InsertCard, card: BoardCard) -> None:
        slot = self._slot(step.slot)
        self.beginInsertRows(self._slot_index(slot), step.row, step.row)
        slot.cards.insert(step.row, step.case_id)
        self._register_card(step.case_id, slot)
        self._cards[step.case_id] = card
        self.endInsertRows()

    def _move_card(self, case_id: int, target: _SlotNode, row: int) -> None:
        source = self._card_slot[case_id]
        source_row = source.cards.index(case_id)
        # Qt counts the destination before the card is taken out; ours counts after.
        destination = row + 1 if target is source and row > source_row else row
        if target is source and destination in (source_row, source_row + 1):
            return
        moved = self.beginMoveRows(
            self._slot_index(source), source_row, source_row, self._slot_index(target), destination
        )
        assert moved, (case_id, source_row, destination)
        source.cards.pop(source_row)
        target.cards.insert(row, case_id)
        self._card_slot[case_id] = target
        self.endMoveRows()

    def _refresh_headers(self, layout: tuple[LaneLayout, ...]) -> None:
        for lane_node, lane_layout in zip(self._lanes, layout, strict=True):
            if lane_node.lane != lane_layout.lane:
                lane_node.lane = lane_layout.lane
                index = self.createIndex(lane_node.row, 0, lane_node.node_id)
                self.dataChanged.emit(index, index)
            for slot_node, slot in zip(lane_node.slots, lane_layout.slots, strict=True):
                # A person's count changes with the cards, even when the DTO does not.
                slot_node.person = slot.person
                index = self._slot_index(slot_node)
                self.dataChanged.emit(index, index)
