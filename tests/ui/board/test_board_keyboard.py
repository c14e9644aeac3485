"""The board by keyboard alone: arrows within and across lanes, moving cards, Move to…, opening, folding."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.domain.changes import ChangeSet
from tests.ui.board.conftest import BoardSample, RecordingRoutingActions, show_board
from ui.board.board_model import CASE_ID_ROLE, PERSON_ID_ROLE
from ui.board.board_view import BoardView
from ui.board.lane_view import LaneView
from ui.data_access import DataAccess

Board = tuple[BoardView, RecordingRoutingActions]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def focused(qtbot: QtBot, board: Board, board_sample: BoardSample) -> Board:
    """The board with its window active and card 4712 (Marco's, in SSO) selected in a focused lane."""
    view, _ = board
    view.window().activateWindow()
    qtbot.waitActive(view.window())
    view.select_case(board_sample.cases[4712])
    lane = view.lane_for(board_sample.teams["sso"])
    lane.setFocus()
    qtbot.wait_until(lane.hasFocus)
    return board


def _current_case(lane: LaneView) -> int | None:
    return lane.currentIndex().data(CASE_ID_ROLE)


def test_up_and_down_move_the_selection_within_the_lane(
    qtbot: QtBot, focused: Board, board_sample: BoardSample
) -> None:
    view, _ = focused
    lane = view.lane_for(board_sample.teams["sso"])
    qtbot.keyClick(lane, Qt.Key.Key_Down)
    assert lane.currentIndex().data(PERSON_ID_ROLE) == board_sample.people["Priya Raman"], "Priya's row"
    qtbot.keyClick(lane, Qt.Key.Key_Down)
    assert view.selected_case_ids() == [board_sample.cases[4711]]
    qtbot.keyClick(lane, Qt.Key.Key_Up)
    qtbot.keyClick(lane, Qt.Key.Key_Up)
    assert view.selected_case_ids() == [board_sample.cases[4712]]


def test_left_and_right_go_to_the_neighbouring_lane_at_about_the_same_height(
    qtbot: QtBot, focused: Board, board_sample: BoardSample
) -> None:
    view, _ = focused
    sso = view.lane_for(board_sample.teams["sso"])
    billing = view.lane_for(board_sample.teams["billing"])
    qtbot.keyClick(sso, Qt.Key.Key_Left)
    assert QApplication.focusWidget() is billing
    assert view.selected_case_ids() == [board_sample.cases[4721]], "Ana's card is beside Marco's"
    assert (
        billing.visualRect(billing.currentIndex()).top()
        == sso.visualRect(view.model.card_index(board_sample.cases[4712])).top()
    )
    qtbot.keyClick(billing, Qt.Key.Key_Right)
    assert QApplication.focusWidget() is sso
    assert view.selected_case_ids() == [board_sample.cases[4712]]
    qtbot.keyClick(billing, Qt.Key.Key_Left)  # the first lane: nowhere to go
    assert QApplication.focusWidget() is sso


def test_ctrl_shift_right_moves_the_selected_cards_to_the_next_lane(
    qtbot: QtBot, focused: Board, board_sample: BoardSample
) -> None:
    view, actions = focused
    sso = view.lane_for(board_sample.teams["sso"])
    sso.selectionModel().select(
        view.model.card_index(board_sample.cases[4711]),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.keyClick(sso, Qt.Key.Key_Right, CTRL_SHIFT)
    assert actions.moves == [
        ([board_sample.cases[4711], board_sample.cases[4712]], board_sample.teams["platform"], None)
    ]
    qtbot.keyClick(sso, Qt.Key.Key_Left, CTRL_SHIFT)
    assert actions.moves[-1] == (
        [board_sample.cases[4711], board_sample.cases[4712]],
        board_sample.teams["billing"],
        None,
    )


def test_ctrl_shift_left_in_the_first_lane_moves_nothing(
    qtbot: QtBot, focused: Board, board_sample: BoardSample
) -> None:
    view, actions = focused
    view.select_case(board_sample.cases[4721])
    qtbot.keyClick(view.lane_for(board_sample.teams["billing"]), Qt.Key.Key_Left, CTRL_SHIFT)
    assert actions.moves == []


def test_m_opens_move_to_for_the_selected_cards(
    qtbot: QtBot, focused: Board, board_sample: BoardSample
) -> None:
    view, actions = focused
    qtbot.keyClick(view.lane_for(board_sample.teams["sso"]), Qt.Key.Key_M)
    assert actions.chosen == [[board_sample.cases[4712]]]


def test_enter_opens_the_current_case(qtbot: QtBot, focused: Board, board_sample: BoardSample) -> None:
    view, _ = focused
    with qtbot.wait_signal(view.case_activated) as activated:
        qtbot.keyClick(view.lane_for(board_sample.teams["sso"]), Qt.Key.Key_Return)
    assert activated.args == [board_sample.cases[4712]]


def test_space_folds_and_unfolds_a_person_row(
    qtbot: QtBot, focused: Board, board_sample: BoardSample
) -> None:
    view, _ = focused
    lane = view.lane_for(board_sample.teams["sso"])
    qtbot.keyClick(lane, Qt.Key.Key_Up)
    marco = view.model.person_index(board_sample.teams["sso"], board_sample.people["Marco Bellini"])
    assert lane.currentIndex() == marco
    qtbot.keyClick(lane, Qt.Key.Key_Space)
    assert not lane.isExpanded(marco)
    assert not lane.visualRect(view.model.card_index(board_sample.cases[4712])).isValid(), "card hidden"
    qtbot.keyClick(lane, Qt.Key.Key_Space)
    assert lane.isExpanded(marco)


def test_tab_reaches_every_lane_and_focus_lands_on_a_row(
    qtbot: QtBot, focused: Board, board_sample: BoardSample
) -> None:
    view, _ = focused
    platform = view.lane_for(board_sample.teams["platform"])
    qtbot.keyClick(view.lane_for(board_sample.teams["sso"]), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is platform
    assert platform.currentIndex().isValid() and platform.owns(platform.currentIndex())
    assert platform.accessibleName().startswith("Platform, 1 case")


class WritingRoutingActions(RecordingRoutingActions):
    """Records, and writes the move straight away (no checks), as the real actions do once confirmed."""

    def move(self, case_ids: Sequence[int], team_id: int, person_id: int | None, *, reason: str = "") -> None:
        super().move(case_ids, team_id, person_id, reason=reason)

        def write(session: Session) -> ChangeSet:
            for case_id in case_ids:
                case = session.get_one(CaseRow, case_id)
                case.team_id, case.assignee_id = team_id, person_id
            return ChangeSet(cases=frozenset(case_ids))

        self._data.write(write)


def test_keyboard_moves_carry_the_card_from_lane_to_lane(
    qtbot: QtBot, board_sample: BoardSample, data: DataAccess
) -> None:
    view, actions = show_board(qtbot, data, WritingRoutingActions)
    view.window().activateWindow()
    qtbot.waitActive(view.window())
    case_id = board_sample.cases[4722]
    view.select_case(case_id)
    focused_lane = view.lane_for(board_sample.teams["billing"])
    focused_lane.setFocus()
    qtbot.wait_until(focused_lane.hasFocus)
    for team in ("sso", "platform"):
        qtbot.keyClick(focused_lane, Qt.Key.Key_Right, CTRL_SHIFT)
        lane = view.lane_for(board_sample.teams[team])
        qtbot.wait_until(lambda lane=lane: lane.owns(view.model.card_index(case_id)), timeout=5000)
        assert QApplication.focusWidget() is lane, "focus follows the card"
        focused_lane = lane
        assert view.selected_case_ids() == [case_id]
    assert [move[1] for move in actions.moves] == [board_sample.teams["sso"], board_sample.teams["platform"]]
