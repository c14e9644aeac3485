"""The inbox while a sync adds cases by the hundred: the rows land in order, the selection stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPersistentModelIndex
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.domain.changes import ChangeSet
from core.domain.dtos import InboxQuery
from core.domain.enums import SavedView, Stage
from tests.factories import BASE_TIME
from ui.data_access import DataAccess
from ui.inbox_model import PLACEHOLDER, Column, InboxModel

ARRIVALS = 120


def _sync_adds_cases(session: Session) -> ChangeSet:
    """New cases whose update times fall between the existing ones (each lands somewhere else)."""
    rows = [
        CaseRow(
            number=30_000 + index,
            subject=f"Pulled ticket {index}",
            description="",
            priority="normal",
            stage=Stage.INVESTIGATING.value,
            tier=2,
            created_at=BASE_TIME - timedelta(days=3),
            updated_at=BASE_TIME - timedelta(minutes=7 * index, seconds=30),
        )
        for index in range(ARRIVALS)
    ]
    session.add_all(rows)
    session.flush()
    return ChangeSet(cases_added=frozenset(row.id for row in rows), initiator="sync")


@pytest.fixture
def model(data: DataAccess) -> InboxModel:
    return InboxModel(data, clock=lambda: BASE_TIME + timedelta(hours=3))


def _numbers(model: InboxModel) -> list[str]:
    return [model.index(row, Column.NUMBER).data() for row in range(model.rowCount())]


def test_cases_a_sync_adds_everywhere_land_in_order_without_a_reset_and_the_selection_stays(
    qtbot: QtBot, qtmodeltester: ModelTester, data: DataAccess, model: InboxModel, many_cases: list[int]
) -> None:
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(InboxQuery(view=SavedView.ALL))
    qtmodeltester.check(model)
    selected = QPersistentModelIndex(model.index(100, Column.SUBJECT))
    selected_case = selected.data()
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))

    with qtbot.waitSignal(model.layoutChanged, timeout=5000):
        data.write(_sync_adds_cases)

    assert model.rowCount() == len(many_cases) + ARRIVALS
    assert resets == []
    assert selected.isValid() and selected.data() == selected_case  # still on its case, moved down
    assert selected.row() > 100
    qtbot.waitUntil(lambda: PLACEHOLDER not in _numbers(model))
    fresh = InboxModel(data, clock=lambda: BASE_TIME + timedelta(hours=3))
    with qtbot.waitSignal(fresh.loaded, timeout=5000):
        fresh.set_query(InboxQuery(view=SavedView.ALL))
    qtbot.waitUntil(lambda: PLACEHOLDER not in _numbers(fresh))
    assert _numbers(model) == _numbers(fresh)  # the same order as a fresh load of the view
    assert model.index(1, Column.SUBJECT).data() == "Pulled ticket 0"
