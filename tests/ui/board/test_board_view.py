"""BoardView over a real workspace: lanes, headers, filter, screen reader names, drops and activation."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.models import TeamRow
from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.domain.enums import Priority
from tests.factories import add_case
from tests.ui.board.conftest import BoardSample, RecordingRoutingActions
from ui.board.board_mime import CASE_IDS_MIME_TYPE, encode_case_ids
from ui.board.board_model import CASE_ID_ROLE
from ui.board.board_view import BoardView
from ui.data_access import DataAccess

Board = tuple[BoardView, RecordingRoutingActions]


def _card_names(view: BoardView, team_id: int) -> list[str]:
    lane = view.lane_for(team_id)
    model = view.model
    names = []
    for person_row in range(model.rowCount(lane.rootIndex())):
        person = model.index(person_row, 0, lane.rootIndex())
        names += [model.index(row, 0, person).data()[:4] for row in range(model.rowCount(person))]
    return names


def _add_cases(db: DbRunner, team_id: int, count: int, priority: Priority = Priority.URGENT) -> list[int]:
    def write(session: Session) -> list[int]:
        team = session.get_one(TeamRow, team_id)
        return [
            add_case(session, 5000 + n, f"Extra {n}", team=team, priority=priority).id for n in range(count)
        ]

    return db.write(write).result()


def test_lanes_show_their_cards_grouped_by_person(board: Board, board_sample: BoardSample) -> None:
    view, _ = board
    assert _card_names(view, board_sample.teams["sso"]) == ["4713", "4712", "4711", "4714"]
    assert _card_names(view, board_sample.teams["billing"]) == ["4722", "4721"]
    assert view.status_text == "7 cases in 3 lanes"
    header = view.lane_column_for(board_sample.teams["sso"]).header
    assert header.numbers_text == "Load 7 / 12 units · 4 / 5 cases (WIP)"
    assert header.property("overloaded") is False and not header.warning_text


def test_lanes_and_cards_have_screen_reader_names(board: Board, board_sample: BoardSample) -> None:
    view, _ = board
    lane = view.lane_for(board_sample.teams["sso"])
    assert lane.accessibleName() == "Identity & SSO, 4 of 5 cases, load 7 of 12 units"
    card = view.model.card_index(board_sample.cases[4711])
    assert card.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Case 4711, Acme Corp, SSO login loops back to the sign-in page, urgent, tier 2, investigating, "
        "assigned to Priya Raman"
    )


def test_lane_header_turns_red_over_the_wip_limit_and_capacity(
    qtbot: QtBot, board: Board, board_sample: BoardSample, db: DbRunner, data: DataAccess
) -> None:
    view, _ = board
    sso = board_sample.teams["sso"]
    header = view.lane_column_for(sso).header
    normal_background = header.palette().color(header.backgroundRole())
    added = _add_cases(db, sso, 2)
    data.publish(ChangeSet(cases_added=frozenset(added)))
    qtbot.wait_until(lambda: header.property("overloaded") is True, timeout=5000)
    assert header.warning_text == "Over capacity · over WIP limit"
    assert header.palette().color(header.backgroundRole()) != normal_background
    assert view.status_text == "9 cases in 3 lanes · 1 lane over capacity"
    assert view.lane_for(sso).accessibleName().endswith("over capacity, over WIP limit")


def test_tier_filter_shows_the_lanes_of_one_tier(
    qtbot: QtBot, board: Board, board_sample: BoardSample
) -> None:
    view, _ = board
    with qtbot.wait_signal(view.loaded, timeout=5000) as loaded:
        view.set_tiers([3])
    assert loaded.args == [1]
    assert view.lane_for(board_sample.teams["platform"]).isVisible()
    assert view.status_text == "1 case in 1 lane"
    tier_filter = view.findChild(QComboBox)
    assert tier_filter.currentText() == "Tier 3"
    with qtbot.wait_signal(view.loaded, timeout=5000) as loaded:
        tier_filter.setCurrentIndex(tier_filter.findText("Tier 2"))
    assert loaded.args == [6]
    with qtbot.wait_signal(view.loaded, timeout=5000) as loaded:
        tier_filter.setCurrentIndex(tier_filter.findText("All"))
    assert loaded.args == [7]


def test_dropping_on_a_person_row_of_another_lane_asks_for_that_move(
    qtbot: QtBot, board: Board, board_sample: BoardSample
) -> None:
    view, actions = board
    billing = view.lane_for(board_sample.teams["billing"])
    ana_row = view.model.person_index(board_sample.teams["billing"], board_sample.people["Ana Costa"])
    dragged = view.model.mimeData(
        [view.model.card_index(board_sample.cases[4711]), view.model.card_index(board_sample.cases[4713])]
    )
    assert dragged is not None
    _drop(billing.viewport(), dragged, billing.visualRect(ana_row).center())
    qtbot.wait_until(lambda: bool(actions.moves), timeout=2000)
    assert actions.moves == [
        (
            [board_sample.cases[4711], board_sample.cases[4713]],
            board_sample.teams["billing"],
            board_sample.people["Ana Costa"],
        )
    ]
    assert view.model.card_index(board_sample.cases[4711]).data(CASE_ID_ROLE) == board_sample.cases[4711]
    assert _card_names(view, board_sample.teams["billing"]) == ["4722", "4721"], "unchanged until written"


def test_dropping_below_the_cards_of_a_lane_moves_there_unassigned(
    qtbot: QtBot, board: Board, board_sample: BoardSample
) -> None:
    view, actions = board
    billing = view.lane_for(board_sample.teams["billing"])
    data = QMimeData()
    data.setData(CASE_IDS_MIME_TYPE, encode_case_ids([board_sample.cases[4712]]))
    _drop(billing.viewport(), data, QPoint(100, billing.viewport().height() - 5))
    qtbot.wait_until(lambda: bool(actions.moves), timeout=2000)
    assert actions.moves == [([board_sample.cases[4712]], board_sample.teams["billing"], None)]


def test_foreign_drops_are_ignored(qtbot: QtBot, board: Board, board_sample: BoardSample) -> None:
    view, actions = board
    billing = view.lane_for(board_sample.teams["billing"])
    data = QMimeData()
    data.setText("4711")
    event = _drop(billing.viewport(), data, QPoint(100, 20))
    qtbot.wait(50)
    assert not event.isAccepted()
    assert actions.moves == []


def test_double_click_opens_the_case(qtbot: QtBot, board: Board, board_sample: BoardSample) -> None:
    view, _ = board
    lane = view.lane_for(board_sample.teams["sso"])
    card = view.model.card_index(board_sample.cases[4712])
    qtbot.mouseClick(lane.viewport(), Qt.MouseButton.LeftButton, pos=lane.visualRect(card).center())
    with qtbot.wait_signal(view.case_activated) as activated:
        qtbot.mouseDClick(lane.viewport(), Qt.MouseButton.LeftButton, pos=lane.visualRect(card).center())
    assert activated.args == [board_sample.cases[4712]]


def test_select_case_selects_only_that_card(board: Board, board_sample: BoardSample) -> None:
    view, _ = board
    assert view.select_case(board_sample.cases[4721])
    assert view.select_case(board_sample.cases[4711])
    assert view.selected_case_ids() == [board_sample.cases[4711]]
    assert not view.select_case(board_sample.cases[4799]), "closed cases are not on the board"


def _drop(target: object, data: QMimeData, pos: QPoint) -> QDropEvent:
    """Sends a drop (after the enter and move a real drag would send) to ``target``."""
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    move = Qt.DropAction.MoveAction
    QApplication.sendEvent(target, QDragEnterEvent(pos, move, data, buttons, modifiers))
    QApplication.sendEvent(target, QDragMoveEvent(pos, move, data, buttons, modifiers))
    event = QDropEvent(pos.toPointF(), move, data, buttons, modifiers)
    QApplication.sendEvent(target, event)
    return event


def test_dropping_onto_a_card_gives_the_cards_to_its_person(
    qtbot: QtBot, board: Board, board_sample: BoardSample
) -> None:
    view, actions = board
    billing = view.lane_for(board_sample.teams["billing"])
    anas_card = view.model.card_index(board_sample.cases[4721])
    data = QMimeData()
    data.setData(CASE_IDS_MIME_TYPE, encode_case_ids([board_sample.cases[4713]]))
    _drop(billing.viewport(), data, billing.visualRect(anas_card).center())
    qtbot.wait_until(lambda: bool(actions.moves), timeout=2000)
    assert actions.moves == [
        ([board_sample.cases[4713]], board_sample.teams["billing"], board_sample.people["Ana Costa"])
    ]


def _unloaded_board(qtbot: QtBot, data: DataAccess) -> tuple[QWidget, BoardView]:
    """A board in a window of its own, not loaded yet."""
    window = QWidget()
    qtbot.addWidget(window)
    view = BoardView(data, RecordingRoutingActions(data, window), window)
    QVBoxLayout(window).addWidget(view)
    return window, view


def test_focusing_the_board_focuses_its_first_lane(
    qtbot: QtBot, data: DataAccess, board_sample: BoardSample
) -> None:
    window, view = _unloaded_board(qtbot, data)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    view.setFocus()  # as the main window does when it shows the page, before the board loaded
    with qtbot.wait_signal(view.loaded, timeout=5000):
        view.reload()
    first_lane = view.lane_for(board_sample.teams["billing"])
    qtbot.wait_until(first_lane.hasFocus)
    view.window().setFocus()
    view.setFocus()
    assert QApplication.focusWidget() is first_lane


def test_the_status_line_says_the_board_is_loading_until_it_arrives(
    qtbot: QtBot, data: DataAccess, board_sample: BoardSample
) -> None:
    _window, view = _unloaded_board(qtbot, data)

    with qtbot.wait_signal(view.loaded, timeout=5000):
        view.reload()
        assert view.status_text == "Loading the board…"

    assert view.status_text.startswith("7 cases in 3 lanes")
