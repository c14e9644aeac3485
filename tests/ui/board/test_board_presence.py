"""A lead marks a person away (P, or the context menu) and back: routing and the lane header follow."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.db.models import PersonRow
from core.db.runner import DbRunner
from core.routing.types import Presence
from tests.ui.board.conftest import BoardSample, RecordingRoutingActions
from ui.board.board_model import PERSON_ROLE
from ui.board.board_view import BoardView

Board = tuple[BoardView, RecordingRoutingActions]


def _presence(db: DbRunner, person_id: int) -> str:
    return db.read(lambda session: session.get_one(PersonRow, person_id).presence).result()


def test_p_on_a_person_row_marks_them_away_and_back(
    qtbot: QtBot, board: Board, board_sample: BoardSample, db: DbRunner
) -> None:
    view, _ = board
    sso, priya = board_sample.teams["sso"], board_sample.people["Priya Raman"]
    lane = view.lane_for(sso)
    lane.setFocus()
    lane.setCurrentIndex(view.model.person_index(sso, priya))
    capacity_before = view.lane_column_for(sso).header.numbers_text

    with qtbot.wait_signal(view.loaded, timeout=5000):
        qtbot.keyClick(lane, Qt.Key.Key_P)

    assert _presence(db, priya) == Presence.AWAY.value
    assert view.model.person_index(sso, priya).data(PERSON_ROLE).presence is Presence.AWAY
    assert view.lane_column_for(sso).header.numbers_text != capacity_before  # away: no capacity counted

    lane = view.lane_for(sso)
    lane.setFocus()
    lane.setCurrentIndex(view.model.person_index(sso, priya))
    with qtbot.wait_signal(view.loaded, timeout=5000):
        qtbot.keyClick(lane, Qt.Key.Key_P)

    assert _presence(db, priya) == Presence.AVAILABLE.value
    assert view.lane_column_for(sso).header.numbers_text == capacity_before


def test_the_context_menu_offers_presence_on_people_and_moves_on_cards(
    qtbot: QtBot, board: Board, board_sample: BoardSample
) -> None:
    view, actions = board
    sso, priya = board_sample.teams["sso"], board_sample.people["Priya Raman"]
    lane = view.lane_for(sso)

    person_menu = lane.context_menu_for(view.model.person_index(sso, priya))
    card_menu = lane.context_menu_for(view.model.card_index(board_sample.cases[4711]))

    assert person_menu is not None and card_menu is not None
    assert [action.text() for action in person_menu.actions()] == ["Mark Priya Raman as Away\tP"]
    assert [action.text() for action in card_menu.actions()] == ["Open Case\tEnter", "Move To…\tM"]
    lane.setCurrentIndex(view.model.card_index(board_sample.cases[4711]))
    card_menu.actions()[1].trigger()
    assert actions.chosen == [[board_sample.cases[4711]]]
