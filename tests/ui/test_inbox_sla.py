"""The inbox's SLA column and SLA views as a specialist sees them, at a clock the test controls."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QGuiApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.domain.dtos import InboxQuery, SortKey
from core.domain.enums import SavedView, Stage
from tests.core.sla_deadlines import set_deadline
from tests.factories import BASE_TIME, add_case
from tests.ui.conftest import Sample
from ui.data_access import DataAccess
from ui.formatting import format_time_left
from ui.inbox_model import NO_CLOCK, Column, InboxModel
from ui.inbox_view import InboxView
from ui.main_window import MainWindow
from ui.saved_views_model import VIEW_ORDER
from ui.sla_tick import ClockTick
from ui.tones import Tone, accent

NOW = BASE_TIME + timedelta(hours=3)
NOT_ESCALATED = 1010
# case number: (minutes until due, minutes of warning before it); 1003 and 1004 (awaiting customer) have
# no running clock
DEADLINES = {
    1001: (130, 60),  # ok: in 2 h 10 min
    1002: (20, 60),  # warning: in 20 min
    1005: (-35, 60),  # breached: overdue 35 min
    1006: (300, 60),  # ok, later
    NOT_ESCALATED: (45, 60),  # nobody escalated it yet, and it is in its warning window
}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def deadlines(db: DbRunner, sample: Sample) -> dict[int, int]:
    """The sample with a not-escalated case and stored deadlines; case ids by number."""
    ids = dict(sample.ids)
    ids[NOT_ESCALATED] = db.write(
        lambda session: add_case(session, NOT_ESCALATED, "Password reset mail bounces", stage=Stage.NEW).id
    ).result()

    def store(session: Session) -> None:  # after the cases exist, replacing what the SLA engine computed
        for number, case_id in ids.items():
            if number not in DEADLINES:
                set_deadline(session, case_id, None, None)
                continue
            due_minutes, warning_minutes = DEADLINES[number]
            due = NOW + timedelta(minutes=due_minutes)
            set_deadline(session, case_id, due, due - timedelta(minutes=warning_minutes), "next_reply")

    db.write(store).result()
    return ids


@pytest.fixture
def tick() -> ClockTick:
    return ClockTick(interval_ms=3_600_000)  # the test ticks by hand


@pytest.fixture
def inbox(qtbot: QtBot, data: DataAccess, deadlines: dict[int, int], clock: Clock) -> InboxView:
    view = InboxView(data, clock=clock)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.resize(1400, 600)
        view.show()
        view.reload()
    return view


def numbers(view: InboxView) -> list[int]:
    model = view.model
    return [int(model.index(row, Column.NUMBER).data()) for row in range(model.rowCount())]


def sla_cell(view: InboxView, number: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> object:
    model = view.model
    row = numbers(view).index(number)
    return model.index(row, Column.SLA).data(role)


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement run meanwhile, on any thread."""
    seen: list[str] = []

    def _record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", _record)
    yield seen
    event.remove(engine, "before_cursor_execute", _record)


def test_time_left_reads_in_whole_minutes_and_says_overdue_once_past() -> None:
    assert format_time_left(2 * 3600 + 10 * 60 + 59) == "in 2 h 10 min"
    assert format_time_left(3 * 3600) == "in 3 h"
    assert format_time_left(30) == "in < 1 min"
    assert format_time_left(-35 * 60) == "overdue 35 min"
    assert format_time_left(-(2 * 86400 + 5 * 3600)) == "overdue 2 d 5 h"


def test_sla_column_shows_time_left_coloured_by_risk(inbox: InboxView) -> None:
    palette = QGuiApplication.palette()
    model = inbox.model
    assert model.headerData(Column.SLA, Qt.Orientation.Horizontal) == "SLA"

    assert sla_cell(inbox, 1001) == "in 2 h 10 min"
    assert sla_cell(inbox, 1002) == "in 20 min"
    assert sla_cell(inbox, 1005) == "overdue 35 min"
    assert sla_cell(inbox, 1003) == NO_CLOCK

    assert sla_cell(inbox, 1001, Qt.ItemDataRole.ForegroundRole) is None  # ok: normal text
    assert sla_cell(inbox, 1002, Qt.ItemDataRole.ForegroundRole) == accent(Tone.WARNING, palette)
    assert sla_cell(inbox, 1005, Qt.ItemDataRole.ForegroundRole) == accent(Tone.DANGER, palette)
    breached_font = sla_cell(inbox, 1005, Qt.ItemDataRole.FontRole)
    assert isinstance(breached_font, QFont) and breached_font.bold()

    tooltip = str(sla_cell(inbox, 1002, Qt.ItemDataRole.ToolTipRole))
    assert tooltip.startswith("Next reply due ") and tooltip.endswith("(in 20 min)")
    assert sla_cell(inbox, 1005, Qt.ItemDataRole.AccessibleTextRole) == "Next reply overdue 35 min"
    assert sla_cell(inbox, 1003, Qt.ItemDataRole.ToolTipRole) == "No SLA clock running"


def test_countdowns_tick_on_without_querying_the_database(
    qtbot: QtBot,
    data: DataAccess,
    deadlines: dict[int, int],
    clock: Clock,
    tick: ClockTick,
    statements: list[str],
) -> None:
    model = InboxModel(data, clock=clock, tick=tick)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_query(InboxQuery(view=SavedView.ALL_OPEN))
    row = model.row_of(deadlines[1002])
    assert row is not None
    cell = model.index(row, Column.SLA)
    assert cell.data() == "in 20 min"
    assert cell.data(Qt.ItemDataRole.ForegroundRole) == accent(Tone.WARNING, QGuiApplication.palette())
    statements.clear()

    clock.now = NOW + timedelta(minutes=25)
    with qtbot.waitSignal(model.dataChanged, timeout=1000) as changed:
        tick.tick_now()

    first, last = changed.args[0], changed.args[1]
    assert first.column() <= Column.SLA <= last.column()
    assert first.row() <= row <= last.row()
    assert cell.data() == "overdue 5 min"
    assert cell.data(Qt.ItemDataRole.ForegroundRole) == accent(Tone.DANGER, QGuiApplication.palette())
    qtbot.wait(50)  # anything the tick might have scheduled
    assert statements == []


def _click_header(qtbot: QtBot, view: InboxView, column: Column) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    with qtbot.waitSignal(view.loaded, timeout=5000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_clicking_the_sla_header_lists_the_next_breach_first(qtbot: QtBot, inbox: InboxView) -> None:
    assert inbox.model.headerData(Column.SLA, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == (
        "Sort by next SLA deadline"
    )

    _click_header(qtbot, inbox, Column.SLA)

    assert inbox.model.query.sort is SortKey.SLA and not inbox.model.query.descending
    assert numbers(inbox) == [1005, 1002, 1001, 1006, 1003, 1004]  # no clock (awaiting customer) last

    _click_header(qtbot, inbox, Column.SLA)

    assert numbers(inbox) == [1006, 1001, 1002, 1005, 1004, 1003]  # still last


def test_at_risk_view_lists_warning_and_breached_cases_soonest_first(qtbot: QtBot, inbox: InboxView) -> None:
    with qtbot.waitSignal(inbox.loaded, timeout=5000):
        inbox.set_view(SavedView.AT_RISK)

    assert numbers(inbox) == [1005, 1002, NOT_ESCALATED]
    assert inbox.model.query.sort is SortKey.SLA
    assert inbox.status_text == "3 cases"
    views = inbox.views_model
    qtbot.waitUntil(lambda: views.count(SavedView.AT_RISK) == 3)
    assert views.index(views.row_of(SavedView.AT_RISK)).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "At risk, 3 cases"
    )


def test_proactive_escalation_lists_at_risk_cases_nobody_escalated(qtbot: QtBot, inbox: InboxView) -> None:
    with qtbot.waitSignal(inbox.loaded, timeout=5000):
        inbox.set_view(SavedView.PROACTIVE)

    assert numbers(inbox) == [NOT_ESCALATED]
    assert sla_cell(inbox, NOT_ESCALATED) == "in 45 min"
    qtbot.waitUntil(lambda: inbox.views_model.count(SavedView.PROACTIVE) == 1)


def test_at_risk_fills_up_as_time_passes(qtbot: QtBot, inbox: InboxView, clock: Clock) -> None:
    with qtbot.waitSignal(inbox.loaded, timeout=5000):
        inbox.set_view(SavedView.AT_RISK)
    views = inbox.views_model
    qtbot.waitUntil(lambda: views.count(SavedView.AT_RISK) == 3)

    clock.now = NOW + timedelta(minutes=80)  # 1001 enters its warning window (due in 50 min)
    with qtbot.waitSignal(inbox.model.rowsInserted, timeout=5000):
        views.recount_sla_views()

    assert views.count(SavedView.AT_RISK) == 4
    assert numbers(inbox) == [1005, 1002, NOT_ESCALATED, 1001]


def test_sla_views_come_last_in_the_sidebar_so_ctrl_1_to_6_keep_their_views() -> None:
    assert VIEW_ORDER[:6] == (
        SavedView.MY_CASES,
        SavedView.MY_TEAM,
        SavedView.ALL_OPEN,
        SavedView.AWAITING_CUSTOMER,
        SavedView.RECENTLY_RESOLVED,
        SavedView.ALL,
    )
    assert VIEW_ORDER[6:] == (SavedView.AT_RISK, SavedView.PROACTIVE)


def test_ctrl_7_and_ctrl_8_open_the_sla_views_in_the_main_window(
    qtbot: QtBot, data: DataAccess, deadlines: dict[int, int]
) -> None:
    window = MainWindow(data, workspace_label="acme-support")  # the real clock: every deadline has passed
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        window.resize(1200, 800)
        window.show()
    window.activateWindow()
    qtbot.waitActive(window)

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        qtbot.keyClick(window.inbox_table(), Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)

    assert window.inbox.current_view is SavedView.AT_RISK
    assert numbers(window.inbox) == [1005, 1002, NOT_ESCALATED, 1001, 1006]

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        qtbot.keyClick(window.inbox_table(), Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)

    assert window.inbox.current_view is SavedView.PROACTIVE
    assert numbers(window.inbox) == [NOT_ESCALATED]
