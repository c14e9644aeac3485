"""BoardModel: lanes → person rows → cards, roles for screen readers, drag and drop, card-by-card updates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core.domain.enums import Priority
from core.queries.board import Board
from tests.ui.board.dtos import (
    ANA,
    BILLING,
    MARCO,
    PRIYA,
    SSO,
    card,
    in_board_order,
    lane,
    person,
    sample_board,
    with_cards,
)
from ui.board.board_mime import CASE_IDS_MIME_TYPE, decode_case_ids, encode_case_ids
from ui.board.board_model import (
    CARD_ROLE,
    CASE_ID_ROLE,
    PERSON_ID_ROLE,
    TEAM_ID_ROLE,
    BoardModel,
)

ACCESSIBLE_TEXT = Qt.ItemDataRole.AccessibleTextRole


@pytest.fixture
def model() -> BoardModel:
    board_model = BoardModel()
    board_model.set_board(sample_board())
    return board_model


def _children(model: BoardModel, parent: QModelIndex) -> list[str]:
    return [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]


def _mime(*case_ids: int) -> QMimeData:
    data = QMimeData()
    data.setData(CASE_IDS_MIME_TYPE, encode_case_ids(case_ids))
    return data


def test_lanes_hold_unassigned_first_then_people_then_their_cards(model: BoardModel) -> None:
    assert _children(model, QModelIndex()) == ["SSO Specialists", "Billing"]
    sso = model.lane_index(SSO)
    assert _children(model, sso) == ["Unassigned", "Priya Raman", "Marco Bellini"]
    assert _children(model, model.person_index(SSO, None)) == ["4702 Case subject 2", "4704 Case subject 4"]
    priya_card = model.index(0, 0, model.person_index(SSO, PRIYA))
    assert priya_card.data(CASE_ID_ROLE) == 1
    assert priya_card.data(TEAM_ID_ROLE) == SSO
    assert priya_card.data(PERSON_ID_ROLE) == PRIYA
    assert priya_card.data(CARD_ROLE).priority is Priority.URGENT
    assert model.parent(priya_card) == model.person_index(SSO, PRIYA)
    assert model.card_count == 6


def test_screen_readers_get_card_lane_and_person_names(model: BoardModel) -> None:
    assert model.card_index(1).data(ACCESSIBLE_TEXT) == (
        "Case 4701, Acme Corp, Case subject 1, urgent, tier 2, investigating, assigned to Priya Raman"
    )
    assert model.card_index(2).data(ACCESSIBLE_TEXT).endswith("investigating, unassigned")
    assert model.lane_index(SSO).data(ACCESSIBLE_TEXT) == "SSO Specialists, 3 of 10 cases, load 4 of 12 units"
    assert model.person_index(SSO, PRIYA).data(ACCESSIBLE_TEXT) == "Priya Raman, 1 case, load 2 of 6 units"


def test_pending_sync_and_overloaded_lanes_are_announced() -> None:
    board_model = BoardModel()
    busy = lane(SSO, "SSO Specialists", (person(PRIYA),), wip_limit=12, open_cases=13, load=20, capacity=18)
    board_model.set_board(Board(lanes=(busy,), cards=(card(1, SSO, PRIYA, pending_sync=True),)))
    assert board_model.lane_index(SSO).data(ACCESSIBLE_TEXT) == (
        "SSO Specialists, 13 of 12 cases, load 20 of 18 units, over capacity, over WIP limit"
    )
    assert board_model.card_index(1).data(Qt.ItemDataRole.AccessibleDescriptionRole) == "not synced yet"


def test_model_passes_the_model_tester(qtmodeltester: ModelTester, model: BoardModel) -> None:
    qtmodeltester.check(model, force_py=True)


def test_model_passes_the_model_tester_through_a_diff_update(qtmodeltester: ModelTester) -> None:
    board_model = BoardModel()
    board_model.set_board(sample_board())
    qtmodeltester.check(board_model, force_py=True)
    moved = with_cards(
        sample_board(), card(2, BILLING, ANA), card(9, SSO, MARCO), card(4, SSO, PRIYA), drop=(6,)
    )
    assert board_model.apply_board(moved)
    assert _children(board_model, board_model.person_index(BILLING, ANA)) == [
        "4702 Case subject 2",
        "4705 Case subject 5",
    ]
    assert _children(board_model, board_model.person_index(SSO, MARCO)) == [
        "4703 Case subject 3",
        "4709 Case subject 9",
    ]
    assert board_model.card_index(6) == QModelIndex()


def test_card_moves_are_reported_as_moves_not_resets(qtbot: QtBot, model: BoardModel) -> None:
    kept = QPersistentModelIndex(model.card_index(2))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.wait_signal(model.rowsMoved):
        model.apply_board(with_cards(sample_board(), card(2, BILLING, None)))
    assert not resets
    assert kept.isValid() and kept.data(CASE_ID_ROLE) == 2
    assert kept.parent() == model.person_index(BILLING, None)


def test_changed_card_content_emits_data_changed(qtbot: QtBot, model: BoardModel) -> None:
    with qtbot.wait_signal(
        model.dataChanged, check_params_cb=lambda top, _bottom, *_: top.data(CASE_ID_ROLE) == 3
    ):
        model.apply_board(with_cards(sample_board(), card(3, SSO, MARCO, pending_sync=True)))
    assert model.card(3).pending_sync  # type: ignore[union-attr]


def test_card_becoming_urgent_moves_to_the_top_of_its_row(model: BoardModel) -> None:
    urgent = in_board_order(with_cards(sample_board(), card(4, SSO, None, priority=Priority.URGENT)))
    model.apply_board(urgent)
    assert _children(model, model.person_index(SSO, None)) == ["4704 Case subject 4", "4702 Case subject 2"]


def test_new_person_row_resets_the_model(qtbot: QtBot, model: BoardModel) -> None:
    with qtbot.wait_signal(model.modelReset):
        assert not model.apply_board(with_cards(sample_board(), card(2, SSO, ANA)))
    assert _children(model, model.lane_index(SSO)) == [
        "Unassigned",
        "Priya Raman",
        "Marco Bellini",
        "Ana Costa",
    ]


def test_cards_drag_and_rows_take_drops(model: BoardModel) -> None:
    flags = model.flags(model.card_index(1))
    assert flags & Qt.ItemFlag.ItemIsDragEnabled and not flags & Qt.ItemFlag.ItemIsDropEnabled
    for index in (model.lane_index(SSO), model.person_index(SSO, MARCO)):
        assert model.flags(index) & Qt.ItemFlag.ItemIsDropEnabled
        assert not model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled


def test_mime_data_of_selected_cards_carries_their_ids(model: BoardModel) -> None:
    data = model.mimeData([model.card_index(4), model.person_index(SSO, None), model.card_index(2)])
    assert data is not None
    assert model.mimeTypes() == [CASE_IDS_MIME_TYPE]
    assert decode_case_ids(data.data(CASE_IDS_MIME_TYPE).data()) == (2, 4)
    assert model.mimeData([model.person_index(SSO, None)]) is None


def test_dropping_cards_on_a_lane_requests_a_move_to_its_unassigned_row(
    qtbot: QtBot, model: BoardModel
) -> None:
    data = model.mimeData([model.card_index(1), model.card_index(3)])
    assert data is not None
    move = Qt.DropAction.MoveAction
    assert model.canDropMimeData(data, move, -1, -1, model.lane_index(BILLING))
    with qtbot.wait_signal(model.move_requested) as signal:
        written = model.dropMimeData(data, move, -1, -1, model.lane_index(BILLING))
    assert signal.args == [[1, 3], BILLING, None]
    assert not written, "the model changes only when the move is written"
    assert model.card_index(1).data(TEAM_ID_ROLE) == SSO


def test_dropping_on_a_person_row_or_between_its_cards_assigns_that_person(
    qtbot: QtBot, model: BoardModel
) -> None:
    move = Qt.DropAction.MoveAction
    with qtbot.wait_signal(model.move_requested) as onto_row:
        model.dropMimeData(_mime(2), move, -1, -1, model.person_index(SSO, MARCO))
    assert onto_row.args == [[2], SSO, MARCO]
    with qtbot.wait_signal(model.move_requested) as between_cards:
        model.dropMimeData(_mime(5, 6), move, 0, 0, model.person_index(SSO, PRIYA))
    assert between_cards.args == [[5, 6], SSO, PRIYA]


def test_foreign_data_and_no_op_drops_are_refused(qtbot: QtBot, model: BoardModel) -> None:
    move = Qt.DropAction.MoveAction
    foreign = QMimeData()
    foreign.setText("4701")
    garbage = QMimeData()
    garbage.setData(CASE_IDS_MIME_TYPE, b"4701; DROP TABLE cases")
    target = model.person_index(SSO, MARCO)
    with qtbot.assert_not_emitted(model.move_requested):
        assert not model.canDropMimeData(foreign, move, -1, -1, target)
        assert not model.canDropMimeData(garbage, move, -1, -1, target)
        assert not model.canDropMimeData(_mime(3), move, -1, -1, target), "already Marco's"
        assert not model.canDropMimeData(_mime(1, 2), move, -1, -1, model.lane_index(SSO)), (
            "already in the lane"
        )
        assert not model.canDropMimeData(_mime(2), Qt.DropAction.CopyAction, -1, -1, target)
        assert not model.dropMimeData(garbage, move, -1, -1, target)
    assert model.canDropMimeData(_mime(2, 3), move, -1, -1, target)


def test_one_card_moving_on_a_board_of_2000_is_one_row_move() -> None:
    lanes = tuple(lane(team, f"Lane {team}", ()) for team in range(1, 13))
    cards = tuple(card(case_id, 1 + case_id % 12, minutes=case_id) for case_id in range(1, 2001))
    board_model = BoardModel()
    board_model.set_board(Board(lanes=lanes, cards=cards))
    signals: list[str] = []
    for name in ("rowsMoved", "rowsRemoved", "rowsInserted", "modelReset", "layoutChanged"):
        getattr(board_model, name).connect(lambda *_args, name=name: signals.append(name))
    assert board_model.apply_board(with_cards(Board(lanes=lanes, cards=cards), card(7, 3, minutes=7)))
    assert signals == ["rowsMoved"]
    assert board_model.card_index(7).data(TEAM_ID_ROLE) == 3
    assert board_model.card_count == 2000
