"""The board with the real RoutingActions: a drop is checked, perhaps confirmed, written, and shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from tests.ui.board.conftest import show_board
from tests.ui.routing_support import INVESTIGATING_NUMBER, Org, org, placement
from ui.board.board_model import PERSON_ID_ROLE
from ui.data_access import DataAccess
from ui.routing_actions import RoutingActions

__all__ = ["org"]

MOVE = Qt.DropAction.MoveAction


def test_a_drop_on_a_person_row_is_written_and_the_card_follows(
    qtbot: QtBot, data: DataAccess, db: DbRunner, org: Org
) -> None:
    view, actions = show_board(qtbot, data, RoutingActions)
    case_id = org.case(INVESTIGATING_NUMBER)
    view.select_case(case_id)
    dragged = view.model.mimeData([view.model.card_index(case_id)])
    assert dragged is not None
    with qtbot.wait_signal(actions.moved, timeout=5000):
        view.model.dropMimeData(dragged, MOVE, -1, 0, view.model.person_index(org.sso, org.marco))
    qtbot.wait_until(lambda: view.model.card_index(case_id).data(PERSON_ID_ROLE) == org.marco, timeout=5000)
    assert placement(db, case_id).assignee_id == org.marco
    assert view.selected_case_ids() == [case_id]


def test_a_drop_that_breaks_a_rule_asks_first_and_cancelling_moves_nothing(
    qtbot: QtBot, data: DataAccess, db: DbRunner, org: Org
) -> None:
    view, actions = show_board(qtbot, data, RoutingActions)
    case_id = org.case(INVESTIGATING_NUMBER)
    dragged = view.model.mimeData([view.model.card_index(case_id)])
    assert dragged is not None
    with qtbot.wait_signal(actions.dialog_opened, timeout=5000) as opened:
        view.model.dropMimeData(dragged, MOVE, -1, 0, view.model.person_index(org.api, org.jonas))
    dialog = opened.args[0]
    assert isinstance(dialog, QDialog)
    dialog.reject()
    qtbot.wait(200)
    assert placement(db, case_id).team_id == org.sso
    assert view.model.card_index(case_id).data(PERSON_ID_ROLE) == org.priya
