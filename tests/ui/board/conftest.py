"""Board fixtures: a small real workspace of three lanes, a recording RoutingActions and a shown BoardView."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.models import TeamRow
from core.db.runner import DbRunner
from core.domain.enums import Priority, Stage
from tests.factories import BASE_TIME, add_case, add_customer, add_person, add_team
from ui.board.board_view import BoardView
from ui.data_access import DataAccess
from ui.routing_actions import RoutingActions


@dataclass
class BoardSample:
    """Ids of the board workspace: teams by key, people and cases by name/number."""

    teams: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    cases: dict[int, int] = field(default_factory=dict)


# number, subject, priority, stage, team key, assignee
BOARD_CASES: tuple[tuple[int, str, Priority, Stage, str, str | None], ...] = (
    (
        4711,
        "SSO login loops back to the sign-in page",
        Priority.URGENT,
        Stage.INVESTIGATING,
        "sso",
        "Priya Raman",
    ),
    (
        4712,
        "SAML assertion rejected after certificate rotation",
        Priority.HIGH,
        Stage.TRIAGED,
        "sso",
        "Marco Bellini",
    ),
    (4713, "Okta group push does not remove users", Priority.NORMAL, Stage.TRIAGED, "sso", None),
    (
        4714,
        "SCIM provisioning creates duplicate accounts",
        Priority.LOW,
        Stage.AWAITING_CUSTOMER,
        "sso",
        "Priya Raman",
    ),
    (4721, "Invoice shows duplicate line items", Priority.HIGH, Stage.INVESTIGATING, "billing", "Ana Costa"),
    (4722, "Refund not received for cancelled plan", Priority.NORMAL, Stage.TRIAGED, "billing", None),
    (
        4731,
        "Webhook deliveries time out under load",
        Priority.URGENT,
        Stage.AWAITING_ENGINEERING,
        "platform",
        "Li Wei",
    ),
    (4799, "Closed long ago", Priority.LOW, Stage.CLOSED, "billing", None),
)


def write_board_sample(session: Session) -> BoardSample:
    """Two tier-2 lanes (Billing, SSO with a WIP limit of 5), one tier-3 lane (Platform), seven open cards."""
    sample = BoardSample()
    teams: dict[str, TeamRow] = {}
    for key, name, wip_limit in (
        ("sso", "Identity & SSO", 5),
        ("billing", "Billing", 10),
        ("platform", "Platform", None),
    ):
        team = add_team(session, name, key)
        team.wip_limit = wip_limit
        team.tier = 3 if key == "platform" else 2
        teams[key] = team
        sample.teams[key] = team.id
    people = {}
    for name, key in (
        ("Priya Raman", "sso"),
        ("Marco Bellini", "sso"),
        ("Ana Costa", "billing"),
        ("Li Wei", "platform"),
    ):
        people[name] = add_person(session, name, teams[key])
        sample.people[name] = people[name].id
    customer = add_customer(session, "Acme Corp")
    for offset, (number, subject, priority, stage, team_key, assignee) in enumerate(BOARD_CASES):
        case = add_case(
            session,
            number,
            subject,
            customer=customer,
            team=teams[team_key],
            assignee=people[assignee] if assignee else None,
            stage=stage,
            priority=priority,
            tier=teams[team_key].tier,
            updated_at=BASE_TIME.replace(hour=8 + offset),
        )
        sample.cases[number] = case.id
    session.flush()
    return sample


class RecordingRoutingActions(RoutingActions):
    """RoutingActions that only record what the board asked for (the real one belongs to the triage UI)."""

    def __init__(self, data: DataAccess, parent: object) -> None:
        super().__init__(data, parent)  # type: ignore[arg-type]
        self.moves: list[tuple[list[int], int, int | None]] = []
        self.chosen: list[list[int]] = []

    def move(self, case_ids: Sequence[int], team_id: int, person_id: int | None, *, reason: str = "") -> None:
        self.moves.append((list(case_ids), team_id, person_id))

    def choose_and_move(self, case_ids: Sequence[int]) -> None:
        self.chosen.append(list(case_ids))


def board_of(board: tuple[BoardView, RecordingRoutingActions]) -> BoardView:
    """The view of the ``board`` fixture."""
    return board[0]


@pytest.fixture
def board_sample(db: DbRunner) -> BoardSample:
    """The board workspace, written on the DB thread."""
    return db.write(write_board_sample).result()


Actions = TypeVar("Actions", bound=RoutingActions)


def show_board(
    qtbot: QtBot,
    data: DataAccess,
    actions_type: type[Actions] = RecordingRoutingActions,  # type: ignore[assignment]
) -> tuple[BoardView, Actions]:
    """A shown, loaded BoardView (1100×700) in a window of its own, with actions of ``actions_type``."""
    window = QWidget()
    qtbot.addWidget(window)
    actions = actions_type(data, window)
    board_view = BoardView(data, actions, window)
    QVBoxLayout(window).addWidget(board_view)
    window.resize(1100, 700)
    with qtbot.wait_signal(board_view.loaded, timeout=5000):
        board_view.reload()
    window.show()
    qtbot.waitExposed(window)
    return board_view, actions


@pytest.fixture
def board(
    qtbot: QtBot, data: DataAccess, board_sample: BoardSample
) -> tuple[BoardView, RecordingRoutingActions]:
    """A shown, loaded BoardView over the board workspace, with recording actions."""
    return show_board(qtbot, data)
