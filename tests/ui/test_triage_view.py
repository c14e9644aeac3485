"""The triage queue as a lead works through it: the order, the routes and why, A to accept, M to route."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.models import EscalationRow
from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.domain.enums import Priority, Stage
from core.queries.triage import TriageItem
from core.routing.types import CandidateAssessment, RouteExplanation, RouteProposal, SkillCheck
from tests.factories import add_case
from tests.ui.routing_support import QUEUE_NUMBERS, Org, Placement, org, placement, routes_of
from tests.ui.workflow_support import workflow_data
from ui.data_access import DataAccess
from ui.dialogs.move_to_dialog import MoveToDialog
from ui.dialogs.rule_confirm_dialog import RuleConfirmDialog
from ui.routing_actions import RoutingActions
from ui.triage.triage_model import Column, TriageModel, format_waiting
from ui.triage.triage_view import TriageView

__all__ = ["org", "workflow_data"]

WAIT_MS = 5000


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def routing(workflow_data: DataAccess, window: QWidget) -> RoutingActions:
    return RoutingActions(workflow_data, window)


@pytest.fixture
def view(qtbot: QtBot, workflow_data: DataAccess, routing: RoutingActions, org: Org) -> TriageView:
    triage = TriageView(workflow_data, routing)
    qtbot.addWidget(triage)
    triage.resize(1300, 600)
    with qtbot.waitSignal(triage.loaded, timeout=WAIT_MS):
        triage.show()
        triage.reload()
    qtbot.waitExposed(triage)
    triage.table.setFocus()
    return triage


def numbers(view: TriageView) -> list[int]:
    return [item.number for item in view.model.items()]


def cell(view: TriageView, row: int, column: Column) -> str:
    return str(view.model.index(row, column).data())


def select_rows(view: TriageView, rows: list[int]) -> None:
    model, selection = view.model, view.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.select(model.index(row, 0), flags)
    selection.setCurrentIndex(model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)


def keep_for_qtbot(qtbot: QtBot, dialog: QDialog) -> None:
    """The dialog stays alive when it closes; qtbot closes it after the test."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(dialog)


def test_the_queue_lists_requested_escalations_most_urgent_first_with_their_routes(
    qtmodeltester: ModelTester, view: TriageView
) -> None:
    qtmodeltester.check(view.model)
    assert numbers(view) == list(QUEUE_NUMBERS)
    assert view.status_text == "3 escalations waiting"
    assert cell(view, 0, Column.PRIORITY) == "Urgent"
    assert cell(view, 0, Column.WAITING) == "3 h"
    assert cell(view, 0, Column.AREA) == "Single sign-on"
    assert cell(view, 0, Column.ROUTE) == "SSO Specialists → Marco Bellini"  # Priya already has a case
    assert cell(view, 2, Column.ROUTE) == "Billing Specialists → Ana Costa"
    tooltip = view.model.index(0, Column.ROUTE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Marco Bellini" in tooltip and "units" in tooltip
    assert "Marco Bellini" in view.explanation.toPlainText()  # the current row, explained beside it


def test_a_accepts_the_proposals_of_every_selected_row(
    qtbot: QtBot, db: DbRunner, org: Org, view: TriageView, routing: RoutingActions
) -> None:
    select_rows(view, [0, 1])

    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        qtbot.keyClick(view.table, Qt.Key.Key_A)

    first, second = org.case(QUEUE_NUMBERS[0]), org.case(QUEUE_NUMBERS[1])
    assert placement(db, first) == Placement(org.sso, org.marco, Stage.TRIAGED)
    # The queue's proposals are consistent: the second goes to whoever still has room after the first.
    assert placement(db, second).stage is Stage.TRIAGED
    assert placement(db, second).team_id == org.sso
    assert numbers(view) == [QUEUE_NUMBERS[2]]
    assert view.table.currentIndex().row() == 0  # the next escalation in line is current
    assert routing.can_undo
    [route] = routes_of(db, first)
    assert route.reason.startswith("Handoff's route accepted: Marco Bellini in SSO Specialists")


def test_m_routes_the_selection_to_the_team_or_person_the_lead_picks(
    qtbot: QtBot, db: DbRunner, org: Org, view: TriageView, routing: RoutingActions
) -> None:
    select_rows(view, [2])
    with qtbot.waitSignal(routing.dialog_opened, timeout=WAIT_MS) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_M)
    dialog = opened.args[0]
    assert isinstance(dialog, MoveToDialog)
    keep_for_qtbot(qtbot, dialog)
    assert dialog.windowTitle() == "Route To…"
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    qtbot.keyClicks(dialog.filter_field, "billing specialists")

    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        qtbot.keyClick(dialog.filter_field, Qt.Key.Key_Return)

    assert placement(db, org.case(QUEUE_NUMBERS[2])) == Placement(org.billing, None, Stage.TRIAGED)
    assert numbers(view) == list(QUEUE_NUMBERS[:2])


def test_enter_opens_the_current_case(qtbot: QtBot, org: Org, view: TriageView) -> None:
    view.table.selectRow(1)
    with qtbot.waitSignal(view.case_activated, timeout=1000) as activated:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert activated.args == [org.case(QUEUE_NUMBERS[1])]


def test_the_selection_follows_its_case_when_the_queue_reloads(qtbot: QtBot, view: TriageView) -> None:
    select_rows(view, [1, 2])
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.reload()
    selected = sorted(index.row() for index in view.table.selectionModel().selectedRows())
    assert selected == [1, 2]
    assert view.status_text == "3 escalations waiting · 2 selected"


def test_an_empty_queue_says_so(qtbot: QtBot, db: DbRunner, org: Org, view: TriageView) -> None:
    view.select_case_ids([org.case(number) for number in QUEUE_NUMBERS])
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        qtbot.keyClick(view.table, Qt.Key.Key_A)
    assert view.model.rowCount() == 0
    assert view.is_empty_state_shown
    assert not view.accept_action.isEnabled()


# --- The model alone, with hand-made rows -------------------------------------------------------


def _item(case_id: int, person: str | None) -> TriageItem:
    explanation = RouteExplanation(
        case_weight=2,
        skills=(SkillCheck("area:sso", 5, True, False),),
        candidates=(
            CandidateAssessment(1, "Priya Raman", 1, 2, 6, 4, None, True, "winner: most spare capacity"),
        ),
        overflowed_from_team_id=None,
        summary="Priya Raman in SSO Specialists: area:sso 8, 4 of 6 units free.",
    )
    proposal = RouteProposal(case_id, 1, "SSO Specialists", 1 if person else None, person or "", explanation)
    requested = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    return TriageItem(
        case_id,
        4000 + case_id,
        "Subject",
        "Contoso",
        Priority.HIGH,
        2,
        "SSO",
        "de",
        requested,
        200 * 60,
        None,
        "",
        proposal,
    )


def test_the_model_says_when_nobody_has_room_and_survives_resets(qtmodeltester: ModelTester) -> None:
    model = TriageModel()
    model.set_items([_item(1, "Priya Raman"), _item(2, None)])
    qtmodeltester.check(model)
    assert model.index(0, Column.ROUTE).data() == "SSO Specialists → Priya Raman"
    assert model.index(1, Column.ROUTE).data() == "SSO Specialists (nobody has room)"
    assert model.index(1, Column.LANGUAGE).data() == "DE"
    model.set_items([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (20, "< 1 min"),
        (45 * 60, "45 min"),
        (3 * 3600, "3 h"),
        (3 * 3600 + 20 * 60, "3 h 20 min"),
        (timedelta(days=2, hours=4).total_seconds(), "2 d 4 h"),
    ],
)
def test_waiting_times_read_like_a_person_would_say_them(seconds: float, text: str) -> None:
    assert format_waiting(int(seconds)) == text


def test_routing_to_someone_who_breaks_a_rule_asks_then_triages_with_the_rule_recorded(
    qtbot: QtBot, db: DbRunner, org: Org, view: TriageView, routing: RoutingActions
) -> None:
    select_rows(view, [0])
    opened: list[object] = []
    routing.dialog_opened.connect(opened.append)
    qtbot.keyClick(view.table, Qt.Key.Key_M)
    chooser = opened[-1]
    assert isinstance(chooser, MoveToDialog)
    keep_for_qtbot(qtbot, chooser)
    qtbot.waitUntil(lambda: chooser.model.rowCount() > 0)
    qtbot.keyClicks(chooser.filter_field, "jonas")

    qtbot.keyClick(chooser.filter_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=WAIT_MS)
    confirm = opened[-1]
    assert isinstance(confirm, RuleConfirmDialog)
    keep_for_qtbot(qtbot, confirm)
    assert confirm.windowTitle() == "Confirm Route"
    assert confirm.messages() == ["Skill missing: Jonas Weber has area:sso at level 2, the case needs 5"]

    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        confirm.confirm_button.click()

    case = org.case(QUEUE_NUMBERS[0])
    assert placement(db, case) == Placement(org.api, org.jonas, Stage.TRIAGED)
    [route] = routes_of(db, case)
    assert route.kind == "triage"
    assert json.loads(route.overridden_rules_json or "[]") == ["skill_missing"]


def test_an_escalation_requested_elsewhere_appears_without_a_manual_reload(
    qtbot: QtBot, db: DbRunner, workflow_data: DataAccess, org: Org, view: TriageView
) -> None:
    def _request_another(session: Session) -> int:
        case = add_case(
            session, 5004, "Okta push stops after 100 users", priority=Priority.URGENT, stage=Stage.REQUESTED
        )
        session.add(
            EscalationRow(
                case_id=case.id,
                tier=2,
                reason_code="technical_expertise",
                stage=case.stage,
                requested_at=datetime.now(UTC) - timedelta(hours=9),
            )
        )
        return case.id

    case_id = db.write(_request_another).result()
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        workflow_data.publish(ChangeSet(cases_added=frozenset({case_id})))

    assert numbers(view) == [5004, *QUEUE_NUMBERS]  # urgent and waiting longest: first in line
