"""SavedViewsModel: the eight saved views with counts, reloaded (coalesced) after changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.domain.changes import ChangeSet
from core.domain.enums import SavedView, Stage
from core.queries.inbox import SLA_VIEWS
from tests.ui.conftest import Sample
from ui.data_access import DataAccess
from ui.saved_views_model import COUNT_ROLE, COUNT_TEXT_ROLE, VIEW_ORDER, VIEW_ROLE, SavedViewsModel


def _counts(model: SavedViewsModel) -> dict[SavedView, int | None]:
    return {
        model.index(row).data(VIEW_ROLE): model.index(row).data(COUNT_ROLE) for row in range(model.rowCount())
    }


def test_lists_every_view_with_its_count(
    qtbot: QtBot, qtmodeltester: ModelTester, data: DataAccess, sample: Sample
) -> None:
    model = SavedViewsModel(data)
    qtmodeltester.check(model)
    assert model.rowCount() == 8
    assert model.index(7).data() == "Proactive escalation"
    assert model.index(2).data() == "All open"
    assert model.index(2).data(COUNT_ROLE) is None  # not loaded yet

    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        model.refresh()

    counts = _counts(model)
    assert set(counts) == set(VIEW_ORDER)
    # The SLA views' counts depend on the engine's deadlines: tests/ui/test_inbox_sla.py pins them.
    assert all(isinstance(counts[view], int) for view in SLA_VIEWS)
    assert {view: count for view, count in counts.items() if view not in SLA_VIEWS} == {
        SavedView.MY_CASES: 2,
        SavedView.MY_TEAM: 4,
        SavedView.ALL_OPEN: 6,
        SavedView.AWAITING_CUSTOMER: 2,
        SavedView.RECENTLY_RESOLVED: 1,
        SavedView.ALL: 8,
    }
    assert model.index(2).data(COUNT_TEXT_ROLE) == "6"
    assert model.index(2).data(Qt.ItemDataRole.AccessibleTextRole) == "All open, 6 cases"


def _resolve(session: Session, case_id: int) -> ChangeSet:
    session.get_one(CaseRow, case_id).stage = Stage.CLOSED.value
    return ChangeSet(cases=frozenset({case_id}))


def test_counts_follow_changes(
    qtbot: QtBot, qtmodeltester: ModelTester, data: DataAccess, sample: Sample
) -> None:
    model = SavedViewsModel(data)
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        model.refresh()
    qtmodeltester.check(model)

    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        data.write(_resolve, sample.id(1004))
        data.write(_resolve, sample.id(1003))

    assert model.count(SavedView.ALL_OPEN) == 4
    assert model.count(SavedView.AWAITING_CUSTOMER) == 0
