"""TriageView: the escalations waiting in ``requested``, each with its recommended route, for a lead.

The table lists the queue in the core's order (priority, then waiting longest);
the panel beside it explains the current row's route. ``A`` accepts the
proposals of every selected row as one undoable batch, ``M`` ("Route to…")
sends them to another team or person instead, ``Enter`` opens the case. The
queue reloads when a change set names cases, keeping the selection by case id.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.db.types import utc_now
from core.domain.changes import ChangeSet
from core.queries.triage import TriageItem, load_triage_queue
from core.routing.moves import TriageDecision
from ui.case_table_style import style_case_table
from ui.data_access import DataAccess, describe_error
from ui.dialogs.route_explanation import RouteExplanationView
from ui.routing_actions import RoutingActions, explanation_record
from ui.triage.triage_model import CASE_ID_ROLE, Column, TriageModel

REFRESH_MS = 60_000  # waiting times move on while the queue is open
_COLUMN_CHARS: dict[Column, int] = {
    Column.NUMBER: 8,
    Column.PRIORITY: 8,
    Column.CUSTOMER: 17,
    Column.WAITING: 11,
    Column.AREA: 14,
    Column.LANGUAGE: 9,
}
_STRETCHED = (Column.SUBJECT, Column.ROUTE)  # share what is left: both are long, both matter


class TriageTable(QTableView):
    """The queue's table: whole rows, multi-selection, Enter or a double click opens the current row.

    Signals:
        row_activated(int): the user pressed Enter/Return on, or double-clicked, this row.
    """

    row_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Escalations waiting for triage"))
        style_case_table(self, QAbstractItemView.SelectionMode.ExtendedSelection)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.doubleClicked.connect(self._on_self_double_clicked)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        char = self.fontMetrics().averageCharWidth()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, chars in _COLUMN_CHARS.items():
            header.resizeSection(column, chars * char + 16)
        for column in _STRETCHED:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        is_enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if is_enter and modifiers == Qt.KeyboardModifier.NoModifier:
            if self.currentIndex().isValid():
                self.row_activated.emit(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        """Letters are commands here (A accepts, M routes), not a jump to a matching row."""

    def _on_self_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.row_activated.emit(index.row())


class TriageView(QWidget):
    """The triage queue with its recommended routes and an explanation panel.

    Signals:
        loaded(int): the queue was (re)loaded; how many escalations wait.
        case_activated(int): the user asked to open this case.
    """

    loaded = Signal(int)
    case_activated = Signal(int)

    def __init__(self, data: DataAccess, routing: RoutingActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._routing = routing
        self._keep_ids: list[int] = []
        self._keep_current: int | None = None
        self._keep_row = 0
        self.setAccessibleName(self.tr("Triage queue"))

        title = QLabel(self.tr("Triage queue"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        self._status = QLabel()
        self._status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._status.setAccessibleName(self.tr("Queue status"))
        self.accept_action = self._action(self.tr("&Accept Route"), "A", self.accept_selected)
        self.route_action = self._action(self.tr("&Route To…"), "M", self.route_selected)
        self.open_action = self._action(self.tr("&Open Case"), "", self.open_current)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(self._status, 1)
        buttons = ((self.accept_action, "A"), (self.route_action, "M"), (self.open_action, "Enter"))
        for action, keys in buttons:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setToolTip(f"{action.text().replace('&', '').removesuffix('…')} ({keys})")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            top.addWidget(button)

        self.model = TriageModel(self)
        self.table = TriageTable()
        self.table.setModel(self.model)
        self.explanation = RouteExplanationView()
        self.explanation.setMinimumWidth(30 * self.fontMetrics().averageCharWidth())
        self._empty = QLabel(
            self.tr(
                "<p style='font-size:large'><b>No escalations waiting for triage</b></p>"
                "<p>New escalations appear here as soon as someone requests one.</p>"
            )
        )
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._empty.setAccessibleName(self.tr("No escalations waiting for triage"))
        hint = QLabel(self.tr("A accepts the selected routes · M routes elsewhere · Enter opens the case"))
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._pages = QStackedWidget()
        self._pages.addWidget(self.table)
        self._pages.addWidget(self._empty)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._pages)
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.setSpacing(4)
        caption = QLabel(self.tr("Why this route"))
        caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        caption.setBuddy(self.explanation)
        panel_layout.addWidget(caption)
        panel_layout.addWidget(self.explanation, 1)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 330])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(hint)
        self.setFocusProxy(self.table)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        self._refresh_timer.start()
        self.table.row_activated.connect(self._on_table_row_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        data.changes_applied.connect(self._on_data_changes_applied)
        routing.moved.connect(self._on_routing_moved)
        routing.undone.connect(self._on_routing_moved)
        self._update_state()

    # Public API ----------------------------------------------------------------------------------

    @property
    def status_text(self) -> str:
        """What the line above the table says ("3 escalations waiting")."""
        return self._status.text()

    @property
    def is_empty_state_shown(self) -> bool:
        """Whether the "nothing to triage" message is in front of the table."""
        return self._pages.currentWidget() is self._empty

    def reload(self) -> None:
        """Load the queue again (its proposals and waiting times too); ``loaded`` follows."""
        self._remember_selection()
        if self.model.rowCount() == 0:
            self._status.setText(self.tr("Loading the queue…"))  # a large queue takes a moment
        self._data.read(
            load_triage_queue,
            utc_now(),
            on_result=self._on_queue_loaded,
            on_error=self._on_queue_error,
            key=f"triage-queue-{id(self)}",
        )

    def selected_items(self) -> list[TriageItem]:
        """The selected escalations in queue order (the current one when nothing is selected)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return [self.model.item(row) for row in rows]

    def current_case_id(self) -> int | None:
        """The case of the current row."""
        index = self.table.currentIndex()
        return index.data(CASE_ID_ROLE) if index.isValid() else None

    def select_case_ids(self, case_ids: list[int]) -> None:
        """Select the rows of ``case_ids`` (the first one current)."""
        rows = [row for row in (self.model.row_of(case_id) for case_id in case_ids) if row >= 0]
        self._select_rows(rows, rows[0] if rows else -1)

    def accept_selected(self) -> None:
        """Accept the recommended route of every selected escalation, as one batch."""
        items = self.selected_items()
        decisions = [
            TriageDecision(
                case_id=item.case_id,
                team_id=item.proposal.team_id,
                person_id=item.proposal.person_id,
                explanation=explanation_record(item.proposal),
                reason=self.tr("Handoff's route accepted: {0}").format(item.proposal.explanation.summary),
            )
            for item in items
        ]
        self._routing.accept(decisions)

    def route_selected(self) -> None:
        """Send the selected escalations to a team or person the lead picks ("Route to…")."""
        case_ids = [item.case_id for item in self.selected_items()]
        self._routing.choose_and_accept(case_ids)

    def open_current(self) -> None:
        """Open the current row's case."""
        case_id = self.current_case_id()
        if case_id is not None:
            self.case_activated.emit(case_id)

    # Internals -----------------------------------------------------------------------------------

    def _action(self, text: str, keys: str, handler: object) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(handler)
        self.addAction(action)
        return action

    def _remember_selection(self) -> None:
        self._keep_ids = [item.case_id for item in self.selected_items()]
        self._keep_current = self.current_case_id()
        self._keep_row = max(0, self.table.currentIndex().row())

    def _select_rows(self, rows: list[int], current: int) -> None:
        selection_model = self.table.selectionModel()
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        selection_model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if current >= 0:
            index = self.model.index(current, 0)
            selection_model.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(index)

    def _restore_selection(self) -> None:
        count = self.model.rowCount()
        if count == 0:
            return
        rows = [row for row in (self.model.row_of(case_id) for case_id in self._keep_ids) if row >= 0]
        current = self.model.row_of(self._keep_current) if self._keep_current is not None else -1
        if not rows:
            # What was selected has been triaged: the next escalation in line takes its place.
            current = min(self._keep_row, count - 1)
            rows = [current]
        elif current < 0:
            current = rows[0]
        self._select_rows(rows, current)

    def _update_state(self) -> None:
        count = self.model.rowCount()
        selected = len(self.selected_items()) if count else 0
        if count == 0:
            self._status.setText("")
        elif count == 1:
            self._status.setText(self.tr("1 escalation waiting"))
        else:
            self._status.setText(self.tr("{0} escalations waiting").format(count))
        if selected > 1:
            self._status.setText(self._status.text() + self.tr(" · {0} selected").format(selected))
        self._pages.setCurrentWidget(self._empty if count == 0 else self.table)
        for action in (self.accept_action, self.route_action):
            action.setEnabled(selected > 0)
        self.open_action.setEnabled(self.current_case_id() is not None)
        index = self.table.currentIndex()
        if index.isValid():
            self.explanation.set_proposal(self.model.item(index.row()).proposal)
        elif count == 0:
            self.explanation.set_placeholder(self.tr("Nothing to explain: the queue is empty."))
        else:
            self.explanation.set_placeholder(self.tr("Select an escalation to see why it goes there."))

    # Slots ---------------------------------------------------------------------------------------

    def _on_queue_loaded(self, items: list[TriageItem]) -> None:
        had_focus = self.table.hasFocus()
        self.model.set_items(items)
        self._restore_selection()
        if had_focus and self.is_empty_state_shown:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_state()
        self.loaded.emit(len(items))

    def _on_queue_error(self, error: BaseException) -> None:
        self.explanation.set_placeholder(describe_error(error))

    def _on_table_row_activated(self, row: int) -> None:
        self.case_activated.emit(self.model.item(row).case_id)

    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_state()

    def _on_table_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_state()

    def _on_data_changes_applied(self, changes: ChangeSet) -> None:
        touched = changes.cases or changes.cases_added or changes.cases_removed or changes.teams
        if self.isVisible() and (touched or changes.config or changes.workspace_reset):
            self.reload()

    def _on_routing_moved(self, *_args: object) -> None:
        if self.isVisible():
            self.reload()

    def _on_refresh_timer_timeout(self) -> None:
        if self.isVisible():
            self.reload()
