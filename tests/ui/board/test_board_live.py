"""Live updates: ChangeSets move, add and remove cards card by card, keeping selection and scroll."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.models import CaseRow, TeamRow
from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.domain.enums import OutboxOperation, Stage
from core.outbox import enqueue
from tests.factories import add_case
from tests.ui.board.conftest import BoardSample, RecordingRoutingActions
from ui.board.board_model import TEAM_ID_ROLE
from ui.board.board_view import BoardView
from ui.data_access import DataAccess

Board = tuple[BoardView, RecordingRoutingActions]


def _move_case(db: DbRunner, case_id: int, team_id: int, assignee_id: int | None = None) -> None:
    def write(session: Session) -> None:
        case = session.get_one(CaseRow, case_id)
        case.team_id = team_id
        case.assignee_id = assignee_id

    db.write(write).result()


def _set_stage(db: DbRunner, case_id: int, stage: Stage) -> None:
    def write(session: Session) -> None:
        session.get_one(CaseRow, case_id).stage = stage.value

    db.write(write).result()


def test_a_case_moved_elsewhere_glides_to_its_lane_keeping_the_selection(
    qtbot: QtBot, board: Board, board_sample: BoardSample, db: DbRunner, data: DataAccess
) -> None:
    view, _ = board
    case_id, billing = board_sample.cases[4712], board_sample.teams["billing"]
    view.select_case(case_id)
    resets: list[bool] = []
    view.model.modelReset.connect(lambda: resets.append(True))
    _move_case(db, case_id, billing, board_sample.people["Ana Costa"])
    with qtbot.wait_signal(view.model.rowsMoved, timeout=5000):
        data.publish(ChangeSet(cases=frozenset({case_id})))
    card = view.model.card_index(case_id)
    assert card.data(TEAM_ID_ROLE) == billing
    assert view.lane_for(billing).owns(card)
    assert view.selected_case_ids() == [case_id]
    assert view.lane_for(billing).selectionModel().isSelected(card)
    assert view.lane_for(billing).currentIndex() == card
    assert not resets, "no model reset (no flicker) for a card move"
    assert view.lane_column_for(billing).header.numbers_text.endswith("3 / 10 cases (WIP)")


def test_the_model_stays_valid_through_live_updates(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    board: Board,
    board_sample: BoardSample,
    db: DbRunner,
    data: DataAccess,
) -> None:
    view, _ = board
    qtmodeltester.check(view.model, force_py=True)
    _move_case(db, board_sample.cases[4711], board_sample.teams["platform"])
    _set_stage(db, board_sample.cases[4722], Stage.RESOLVED)
    changed = frozenset({board_sample.cases[4711], board_sample.cases[4722]})
    with qtbot.wait_signal(view.model.rowsRemoved, timeout=5000):
        data.publish(ChangeSet(cases=changed))
    assert view.model.card_index(board_sample.cases[4722]).isValid() is False
    assert (
        view.model.card_index(board_sample.cases[4711]).data(TEAM_ID_ROLE) == board_sample.teams["platform"]
    )
    assert view.status_text == "6 cases in 3 lanes · 1 lane over capacity"
    assert view.lane_column_for(board_sample.teams["platform"]).header.property("overloaded") is True


def test_new_cases_appear_in_their_person_row(
    qtbot: QtBot, board: Board, board_sample: BoardSample, db: DbRunner, data: DataAccess
) -> None:
    view, _ = board
    sso = board_sample.teams["sso"]

    def write(session: Session) -> int:
        return add_case(session, 4800, "Fresh escalation", team=session.get_one(TeamRow, sso)).id

    new_id = db.write(write).result()
    with qtbot.wait_signal(view.model.rowsInserted, timeout=5000):
        data.publish(ChangeSet(cases_added=frozenset({new_id})))
    assert view.model.card_index(new_id).parent() == view.model.person_index(sso, None)


def test_scroll_position_survives_updates_and_reloads(
    qtbot: QtBot, board: Board, board_sample: BoardSample, db: DbRunner, data: DataAccess
) -> None:
    view, _ = board
    sso = board_sample.teams["sso"]

    def write(session: Session) -> list[int]:
        team = session.get_one(TeamRow, sso)
        return [add_case(session, 6000 + n, f"Bulk case {n}", team=team).id for n in range(40)]

    bulk = db.write(write).result()
    data.publish(ChangeSet(cases_added=frozenset(bulk)))
    lane = view.lane_for(sso)
    qtbot.wait_until(lambda: lane.verticalScrollBar().maximum() > 600, timeout=5000)
    lane.verticalScrollBar().setValue(500)
    _move_case(db, board_sample.cases[4721], sso)
    with qtbot.wait_signal(view.model.rowsMoved, timeout=5000):
        data.publish(ChangeSet(cases=frozenset({board_sample.cases[4721]})))
    qtbot.wait(50)
    assert lane.verticalScrollBar().value() == 500
    with qtbot.wait_signal(view.loaded, timeout=5000):
        data.publish(ChangeSet(config=True))
    assert lane.verticalScrollBar().value() == 500


def test_team_changes_reload_the_whole_board(
    qtbot: QtBot, board: Board, board_sample: BoardSample, db: DbRunner, data: DataAccess
) -> None:
    view, _ = board

    def write(session: Session) -> None:
        session.get_one(TeamRow, board_sample.teams["billing"]).name = "Billing & Refunds"

    db.write(write).result()
    view.select_case(board_sample.cases[4721])
    view.lane_for(board_sample.teams["sso"]).collapse(
        view.model.person_index(board_sample.teams["sso"], board_sample.people["Marco Bellini"])
    )
    with qtbot.wait_signal(view.loaded, timeout=5000) as loaded:
        data.publish(ChangeSet(teams=frozenset({board_sample.teams["billing"]})))
    assert loaded.args == [7]
    assert view.model.lane_index(board_sample.teams["billing"]).data() == "Billing & Refunds"
    assert view.selected_case_ids() == [board_sample.cases[4721]]
    sso = view.lane_for(board_sample.teams["sso"])
    assert not sso.isExpanded(
        view.model.person_index(board_sample.teams["sso"], board_sample.people["Marco Bellini"])
    )
    assert sso.isExpanded(view.model.person_index(board_sample.teams["sso"], None))


def test_unrelated_changes_do_not_reread_the_board(qtbot: QtBot, board: Board, data: DataAccess) -> None:
    view, _ = board
    with qtbot.assert_not_emitted(view.model.dataChanged, wait=300):
        data.publish(ChangeSet(notes=frozenset({1}), drafts=frozenset({2})))
    assert view.model.card_count == 7


def test_an_unsynced_move_is_announced_until_its_outbox_entry_is_delivered(
    qtbot: QtBot, board: Board, board_sample: BoardSample, db: DbRunner, data: DataAccess
) -> None:
    view, _ = board
    case_id = board_sample.cases[4713]

    def write(session: Session) -> int:
        return enqueue(
            session, session.get_one(CaseRow, case_id), OutboxOperation.ASSIGN, {"team": "billing"}
        ).id

    entry_id = db.write(write).result()
    with qtbot.wait_signal(view.model.dataChanged, timeout=5000):
        data.publish(ChangeSet(outbox=frozenset({entry_id})))
    card = view.model.card_index(case_id)
    assert card.data(Qt.ItemDataRole.AccessibleDescriptionRole) == "not synced yet"


def test_a_card_given_to_someone_outside_the_team_adds_their_row_keeping_folds(
    qtbot: QtBot, board: Board, board_sample: BoardSample, db: DbRunner, data: DataAccess
) -> None:
    view, _ = board
    sso, ana = board_sample.teams["sso"], board_sample.people["Ana Costa"]
    marco_row = view.model.person_index(sso, board_sample.people["Marco Bellini"])
    view.lane_for(sso).collapse(marco_row)
    view.select_case(board_sample.cases[4713])
    _move_case(db, board_sample.cases[4713], sso, ana)
    with qtbot.wait_signal(view.model.modelReset, timeout=5000):
        data.publish(ChangeSet(cases=frozenset({board_sample.cases[4713]})))
    lane = view.lane_for(sso)
    assert view.model.card_index(board_sample.cases[4713]).parent() == view.model.person_index(sso, ana)
    assert [lane.model().index(row, 0, lane.rootIndex()).data() for row in range(4)] == [
        "Unassigned",
        "Marco Bellini",
        "Priya Raman",
        "Ana Costa",
    ]
    assert not lane.isExpanded(view.model.person_index(sso, board_sample.people["Marco Bellini"]))
    assert lane.isExpanded(view.model.person_index(sso, ana))
    assert view.selected_case_ids() == [board_sample.cases[4713]]


def test_a_hidden_board_catches_up_when_shown_again(
    qtbot: QtBot, board: Board, board_sample: BoardSample, db: DbRunner, data: DataAccess
) -> None:
    view, _ = board
    case_id, platform = board_sample.cases[4722], board_sample.teams["platform"]
    view.hide()
    _move_case(db, case_id, platform)
    data.publish(ChangeSet(cases=frozenset({case_id})))
    qtbot.wait(400)
    assert view.model.card_index(case_id).data(TEAM_ID_ROLE) == board_sample.teams["billing"], (
        "no read while hidden"
    )
    with qtbot.wait_signal(view.model.rowsMoved, timeout=5000):
        view.show()
    assert view.model.card_index(case_id).data(TEAM_ID_ROLE) == platform
