"""The main window as a user drives it: saved views, search, sorting, keyboard navigation, opening cases."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit, QTextBrowser, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core.domain.dtos import SortKey
from core.domain.enums import SavedView
from tests.ui.conftest import OPEN_NUMBERS, Sample
from ui.data_access import DataAccess
from ui.inbox_model import CASE_ID_ROLE, Column
from ui.main_window import MainWindow
from ui.saved_views_model import COUNT_ROLE


@pytest.fixture
def window(qtbot: QtBot, data: DataAccess, sample: Sample) -> MainWindow:
    main = MainWindow(data, workspace_label="acme-support")
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.inbox_loaded, timeout=5000):
        main.resize(1200, 800)
        main.show()
    qtbot.waitExposed(main)
    return main


def numbers(window: MainWindow) -> list[int]:
    model = window.inbox.model
    return [int(model.index(row, Column.NUMBER).data()) for row in range(model.rowCount())]


def subjects(window: MainWindow) -> list[str]:
    model = window.inbox.model
    return [model.index(row, Column.SUBJECT).data() for row in range(model.rowCount())]


def current_row(window: MainWindow) -> int:
    return window.inbox_table().currentIndex().row()


def test_starts_on_all_open_with_counts_and_a_status_line(qtbot: QtBot, window: MainWindow) -> None:
    assert window.windowTitle() == "Handoff — acme-support"
    assert window.inbox.current_view is SavedView.ALL_OPEN
    assert numbers(window) == list(OPEN_NUMBERS)
    assert window.inbox.status_text == "6 cases"
    views = window.inbox.views_model
    qtbot.waitUntil(lambda: views.count(SavedView.ALL) == 8)
    sidebar = window.inbox.sidebar
    assert sidebar.currentIndex().row() == views.row_of(SavedView.ALL_OPEN)
    assert sidebar.currentIndex().data(COUNT_ROLE) == 6


def test_typing_a_search_filters_rows_by_relevance(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow
) -> None:
    qtmodeltester.check(window.inbox.model)
    search = window.inbox.search_field
    assert search.placeholderText() == "Search cases (Ctrl+F)…"

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        qtbot.keyClicks(search, "okta")

    assert sorted(subjects(window)) == [
        "Okta SSO login loops back to the sign-in page",
        "Okta group push does not remove users",
    ]
    assert window.inbox.model.query.sort is SortKey.RELEVANCE
    assert window.inbox_table().horizontalHeader().sortIndicatorSection() == -1
    assert window.inbox.status_text == "2 matches for “okta”"

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        qtbot.keyClick(search, Qt.Key.Key_Escape)

    assert search.text() == ""
    assert numbers(window) == list(OPEN_NUMBERS)
    assert window.inbox.status_text == "6 cases"


def test_results_can_be_walked_and_opened_without_leaving_the_search_box(
    qtbot: QtBot, window: MainWindow, sample: Sample
) -> None:
    search = window.inbox.search_field
    search.setFocus()
    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        qtbot.keyClicks(search, "okta")
    first, second = window.inbox.model.case_id(0), window.inbox.model.case_id(1)

    qtbot.keyClick(search, Qt.Key.Key_Down)
    assert window.inbox.selected_case_id() == second
    qtbot.keyClick(search, Qt.Key.Key_Up)
    qtbot.keyClick(search, Qt.Key.Key_Up)  # stays on the first result
    assert window.inbox.selected_case_id() == first
    assert search.hasFocus() and search.text() == "okta"

    with qtbot.waitSignal(window.case_loaded, timeout=5000) as opened:
        qtbot.keyClick(search, Qt.Key.Key_Return)
    assert opened.args == [first]


def test_enter_while_typing_searches_at_once_instead_of_opening(qtbot: QtBot, window: MainWindow) -> None:
    search = window.inbox.search_field
    search.setFocus()
    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        search.setText("")
        qtbot.keyClicks(search, "invoice")
        qtbot.keyClick(search, Qt.Key.Key_Return)

    assert subjects(window) == ["Invoice shows duplicate line items"]
    assert window.inbox.isVisible()  # still on the inbox: Enter ran the pending search


def test_a_search_with_no_match_says_so(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        window.set_search("zzzunknownzzz")

    assert window.inbox.model.rowCount() == 0
    assert window.inbox.status_text == "No matches for “zzzunknownzzz”"


def test_switching_saved_views_changes_rows(qtbot: QtBot, window: MainWindow, sample: Sample) -> None:
    sidebar = window.inbox.sidebar
    awaiting = sidebar.model().index(window.inbox.views_model.row_of(SavedView.AWAITING_CUSTOMER), 0)

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        qtbot.mouseClick(
            sidebar.viewport(), Qt.MouseButton.LeftButton, pos=sidebar.visualRect(awaiting).center()
        )

    assert window.inbox.current_view is SavedView.AWAITING_CUSTOMER
    assert sorted(numbers(window)) == [1003, 1004]
    assert window.inbox.status_text == "2 cases"

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        window.set_view(SavedView.MY_CASES)

    assert sorted(numbers(window)) == [1001, 1005]
    assert sidebar.currentIndex().row() == window.inbox.views_model.row_of(SavedView.MY_CASES)


def test_view_shortcuts_ctrl_1_to_6(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitActive(window)

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        qtbot.keyClick(window.inbox_table(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)

    assert window.inbox.current_view is SavedView.MY_TEAM
    assert sorted(numbers(window)) == [1001, 1002, 1005, 1006]

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        qtbot.keyClick(window.inbox_table(), Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)

    assert window.inbox.current_view is SavedView.ALL
    assert len(numbers(window)) == 8


def test_clicking_a_header_sorts_and_the_order_survives_a_search(qtbot: QtBot, window: MainWindow) -> None:
    table = window.inbox_table()
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(Column.NUMBER) + header.sectionSize(Column.NUMBER) // 2

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))

    assert numbers(window) == sorted(OPEN_NUMBERS)
    assert header.sortIndicatorSection() == Column.NUMBER

    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        window.set_search("okta")

    assert window.inbox.model.query.sort is SortKey.NUMBER
    assert numbers(window) == [1001, 1006]


def test_keyboard_moves_opens_and_goes_back(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    table = window.inbox_table()
    table.setFocus()
    assert current_row(window) == 0

    qtbot.keyClick(table, Qt.Key.Key_J)
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert current_row(window) == 2
    qtbot.keyClick(table, Qt.Key.Key_K)
    assert current_row(window) == 1
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert current_row(window) == 2
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert current_row(window) == 1
    assert table.selectionModel().isRowSelected(1)
    expected = table.currentIndex().data(CASE_ID_ROLE)

    with qtbot.waitSignal(window.case_loaded, timeout=5000) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)

    assert opened.args == [expected]
    assert window.is_showing_case()

    qtbot.keyClick(window.case_view, Qt.Key.Key_Escape)

    assert not window.is_showing_case()
    assert current_row(window) == 1  # the selection is where it was


def test_double_click_opens_the_case(qtbot: QtBot, window: MainWindow, sample: Sample) -> None:
    table = window.inbox_table()
    rect = table.visualRect(table.model().index(2, Column.SUBJECT))

    with qtbot.waitSignal(window.case_loaded, timeout=5000) as opened:
        # A real double click starts with a click; QTest's double click alone lacks the first release.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert opened.args == [sample.id(OPEN_NUMBERS[2])]


def test_ctrl_f_focuses_the_search_from_anywhere(qtbot: QtBot, window: MainWindow, sample: Sample) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        window.open_case(sample.id(1002))

    qtbot.keyClick(window.case_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    assert not window.is_showing_case()
    qtbot.waitUntil(lambda: window.inbox.search_field.hasFocus())


def test_open_case_number(qtbot: QtBot, window: MainWindow, sample: Sample) -> None:
    with qtbot.waitSignal(window.case_loaded, timeout=5000) as opened:
        window.open_case_number(1004)
    assert opened.args == [sample.id(1004)]

    window.show_inbox()
    window.open_case_number(987654)

    qtbot.waitUntil(lambda: "987654" in window.statusBar().currentMessage())
    assert not window.is_showing_case()


def _needs_name(widget: QWidget) -> bool:
    if isinstance(widget.parent(), QLineEdit) or not widget.isEnabled() or widget.isHidden():
        return False  # the line edit's own clear button, the table's disabled corner button, …
    return isinstance(widget, QAbstractButton | QLineEdit | QAbstractItemView | QTextBrowser)


def _accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def test_every_control_has_an_accessible_name(qtbot: QtBot, window: MainWindow, sample: Sample) -> None:
    with qtbot.waitSignal(window.board_loaded, timeout=5000):
        window.show_board()  # the board and the triage queue are built when first shown
    with qtbot.waitSignal(window.triage_loaded, timeout=5000):
        window.show_triage()
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        window.open_case(sample.id(1001))

    unnamed = [
        f"{type(widget).__name__} in {type(widget.parent()).__name__}"
        for widget in window.findChildren(QWidget)
        if _needs_name(widget) and not _accessible_name(widget)
    ]
    assert unnamed == []


def test_set_view_and_set_search_always_announce_a_load(qtbot: QtBot, window: MainWindow) -> None:
    """The CLI waits for inbox_loaded after these calls, even when nothing changes."""
    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        window.set_view(SavedView.ALL_OPEN)
    with qtbot.waitSignal(window.inbox_loaded, timeout=5000):
        window.set_search("")

    assert numbers(window) == list(OPEN_NUMBERS)
