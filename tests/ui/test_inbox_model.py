"""InboxModel: ids then pages of rows, database-side sorting, in-place refresh from change sets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import delete
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.domain.changes import ChangeSet
from core.domain.dtos import InboxQuery, SortKey
from core.domain.enums import SavedView
from tests.factories import BASE_TIME, add_case
from tests.ui.conftest import OPEN_NUMBERS, Sample
from ui.data_access import DataAccess
from ui.inbox_model import CASE_ID_ROLE, PAGE_SIZE, PLACEHOLDER, Column, InboxModel


@pytest.fixture
def model(data: DataAccess) -> InboxModel:
    return InboxModel(data, clock=lambda: BASE_TIME + timedelta(hours=3))


def load(qtbot: QtBot, model: InboxModel, query: InboxQuery) -> int:
    with qtbot.waitSignal(model.loaded, timeout=5000) as blocker:
        model.set_query(query)
    return int(blocker.args[0])


def column_texts(model: InboxModel, column: Column) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_loads_ids_and_first_page_then_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, model: InboxModel, sample: Sample
) -> None:
    qtmodeltester.check(model)
    assert model.rowCount() == 0

    count = load(qtbot, model, InboxQuery(view=SavedView.ALL_OPEN))

    assert count == model.rowCount() == len(OPEN_NUMBERS)
    # Most recently updated first (the sample's updates go back an hour per case).
    assert column_texts(model, Column.NUMBER) == [str(n) for n in OPEN_NUMBERS]
    assert model.index(0, Column.SUBJECT).data() == "Okta SSO login loops back to the sign-in page"
    assert model.index(0, 0).data(CASE_ID_ROLE) == sample.id(1001)


def test_rows_beyond_the_first_page_are_fetched_when_asked_for(
    qtbot: QtBot, qtmodeltester: ModelTester, model: InboxModel, many_cases: list[int]
) -> None:
    load(qtbot, model, InboxQuery(view=SavedView.ALL))
    qtmodeltester.check(model)
    row = 3 * PAGE_SIZE + 17
    assert model.rowCount() == 1000
    assert model.index(PAGE_SIZE - 1, Column.SUBJECT).data() != PLACEHOLDER  # first page came with the ids

    def page_arrived(top_left: QModelIndex, bottom_right: QModelIndex, _roles: object) -> bool:
        return top_left.row() <= row <= bottom_right.row()

    with qtbot.waitSignal(model.dataChanged, timeout=5000, check_params_cb=page_arrived):
        assert model.index(row, Column.SUBJECT).data() == PLACEHOLDER  # never blocks on the database

    assert model.index(row, Column.SUBJECT).data() == f"Generated case {row:04d} about billing"
    assert model.index(3 * PAGE_SIZE, Column.SUBJECT).data() != PLACEHOLDER  # the whole page came


def test_sorting_requeries_and_the_selection_follows_its_case(
    qtbot: QtBot, qtmodeltester: ModelTester, model: InboxModel, sample: Sample
) -> None:
    load(qtbot, model, InboxQuery(view=SavedView.ALL))
    qtmodeltester.check(model)
    followed = QPersistentModelIndex(model.index(model.row_of(sample.id(1005)) or 0, Column.SUBJECT))

    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(Column.SUBJECT, Qt.SortOrder.AscendingOrder)

    subjects = column_texts(model, Column.SUBJECT)
    assert subjects == sorted(subjects, key=str.lower)
    assert model.query.sort is SortKey.SUBJECT and not model.query.descending
    assert followed.isValid() and followed.data(CASE_ID_ROLE) == sample.id(1005)

    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(Column.PRIORITY, Qt.SortOrder.DescendingOrder)

    assert column_texts(model, Column.PRIORITY)[:3] == ["Urgent", "High", "High"]
    assert followed.data(CASE_ID_ROLE) == sample.id(1005)


def test_search_narrows_the_rows(
    qtbot: QtBot, qtmodeltester: ModelTester, model: InboxModel, sample: Sample
) -> None:
    load(qtbot, model, InboxQuery(view=SavedView.ALL_OPEN))
    qtmodeltester.check(model)

    count = load(qtbot, model, InboxQuery(view=SavedView.ALL_OPEN, search="okta", sort=SortKey.RELEVANCE))

    assert count == 2
    assert set(column_texts(model, Column.NUMBER)) == {"1001", "1006"}


def test_a_newer_query_supersedes_one_in_flight(qtbot: QtBot, model: InboxModel, sample: Sample) -> None:
    counts: list[int] = []
    model.loaded.connect(counts.append)

    model.set_query(InboxQuery(view=SavedView.ALL))
    model.set_query(InboxQuery(view=SavedView.MY_CASES))

    qtbot.waitUntil(lambda: bool(counts))
    assert counts == [2]
    assert set(column_texts(model, Column.NUMBER)) == {"1001", "1005"}


def _rename(session: Session, case_id: int, subject: str) -> ChangeSet:
    case = session.get_one(CaseRow, case_id)
    case.subject = subject
    return ChangeSet(cases=frozenset({case_id}))


def test_a_change_set_refreshes_only_the_changed_row(
    qtbot: QtBot, qtmodeltester: ModelTester, data: DataAccess, model: InboxModel, sample: Sample
) -> None:
    load(qtbot, model, InboxQuery(view=SavedView.ALL_OPEN))
    qtmodeltester.check(model)
    row = model.row_of(sample.id(1003))
    assert row is not None
    structural: list[str] = []
    model.modelReset.connect(lambda: structural.append("reset"))
    model.layoutChanged.connect(lambda: structural.append("layout"))
    model.rowsInserted.connect(lambda *_: structural.append("inserted"))

    def only_that_row(top: QModelIndex, bottom: QModelIndex, _roles: object) -> bool:
        return top.row() == bottom.row() == row

    with qtbot.waitSignal(model.dataChanged, timeout=5000, check_params_cb=only_that_row):
        data.write(_rename, sample.id(1003), "Invoice shows every line item three times")

    assert model.index(row, Column.SUBJECT).data() == "Invoice shows every line item three times"
    assert structural == []


def _add_case(session: Session) -> ChangeSet:
    case = add_case(session, 1100, "Brand-new escalation", updated_at=BASE_TIME + timedelta(days=1))
    return ChangeSet(cases_added=frozenset({case.id}))


def _remove_case(session: Session, case_id: int) -> ChangeSet:
    session.execute(delete(CaseRow).where(CaseRow.id == case_id))
    return ChangeSet(cases_removed=frozenset({case_id}))


def test_added_and_removed_cases_become_row_inserts_and_removals(
    qtbot: QtBot, qtmodeltester: ModelTester, data: DataAccess, model: InboxModel, sample: Sample
) -> None:
    load(qtbot, model, InboxQuery(view=SavedView.ALL_OPEN))
    qtmodeltester.check(model)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))

    with qtbot.waitSignal(model.rowsInserted, timeout=5000):
        data.write(_add_case)
    assert model.rowCount() == len(OPEN_NUMBERS) + 1
    qtbot.waitUntil(lambda: model.index(0, Column.SUBJECT).data() == "Brand-new escalation")

    with qtbot.waitSignal(model.rowsRemoved, timeout=5000):
        data.write(_remove_case, sample.id(1002))
    assert "1002" not in column_texts(model, Column.NUMBER)
    assert model.rowCount() == len(OPEN_NUMBERS)
    assert resets == []


def test_cells_read_as_words_with_full_details_in_tooltips(
    qtbot: QtBot, model: InboxModel, sample: Sample
) -> None:
    load(qtbot, model, InboxQuery(view=SavedView.AWAITING_CUSTOMER))
    row = model.row_of(sample.id(1003))
    assert row is not None

    def cell(column: Column, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> object:
        return model.index(row, column).data(role)

    assert cell(Column.STAGE) == "Awaiting customer"
    assert cell(Column.PRIORITY) == "Normal"
    assert cell(Column.TIER) == "T2"
    assert cell(Column.TIER, Qt.ItemDataRole.ToolTipRole) == "Tier 2"
    assert cell(Column.UPDATED) == "5 h ago"  # updated two hours before BASE_TIME, clock three after
    assert "2026" in str(cell(Column.UPDATED, Qt.ItemDataRole.ToolTipRole))
    assert "2026" in str(cell(Column.UPDATED, Qt.ItemDataRole.AccessibleTextRole))
    assert cell(Column.NUMBER, Qt.ItemDataRole.AccessibleTextRole) == "Case 1003"
    assert model.headerData(Column.NUMBER, Qt.Orientation.Horizontal) == "Case #"
    unassigned = model.row_of(sample.id(1004))
    assert unassigned is not None and model.index(unassigned, Column.ASSIGNEE).data() == "Unassigned"


def test_urgent_priority_has_a_colour_hint(qtbot: QtBot, model: InboxModel, sample: Sample) -> None:
    load(qtbot, model, InboxQuery(view=SavedView.ALL_OPEN))
    urgent = model.index(model.row_of(sample.id(1001)) or 0, Column.PRIORITY)
    normal = model.index(model.row_of(sample.id(1005)) or 0, Column.PRIORITY)

    color = urgent.data(Qt.ItemDataRole.ForegroundRole)
    assert color is not None and color.red() > color.green() and color.red() > color.blue()
    assert normal.data(Qt.ItemDataRole.ForegroundRole) is None
