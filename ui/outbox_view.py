"""The Outbox view: every change still waiting for the helpdesk, and what the user can do about it.

Opened with ``Ctrl+Shift+O`` (View › Outbox) or from the sync status area (filtered on the
waiting, failed or conflicting entries). Each row shows the case, the change in words, its
state, how many times it was tried and the helpdesk's answer. Retry puts a failed entry back
in the queue; Edit and Retry lets the user correct its words first (a reply's text, a stage
change's reason…); Discard gives it up after a confirmation (a copy stays in the case's
timeline as an internal note);
Resolve Conflict opens the side-by-side :class:`~ui.dialogs.conflict_dialog.ConflictDialog`.
From the keyboard: Enter on a row resolves its conflict or edits its text, Delete discards
(after the confirmation), and every button has its mnemonic.

All reads and writes go through :class:`DataAccess`; the list reloads when a change set names
outbox entries (the engine's deliveries included).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QItemSelection,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from core.db.models import PersonRow
from core.domain.changes import ChangeSet
from core.domain.enums import OutboxState
from core.remote.delivery import EntryStateError, OutboxItem, discard_entry, outbox_items, retry_entry
from core.remote.outbox_text import payload_summary
from core.settings import my_person_id
from ui.data_access import DataAccess
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.dialogs.form_dialog import buddy_label, secondary_label
from ui.dialogs.outbox_edit_dialog import OutboxEditDialog, editable_fields, retry_edited
from ui.rows_model import AnyIndex, RowsTableModel
from ui.status_line import StatusLine
from ui.sync_status import OutboxFilter
from ui.tones import Tone, accent

OUTBOX_KEY = "outbox-items"
_STATE_WORDS: dict[OutboxState, str] = {
    OutboxState.PENDING: QT_TRANSLATE_NOOP("OutboxModel", "Waiting"),
    OutboxState.IN_FLIGHT: QT_TRANSLATE_NOOP("OutboxModel", "Sending"),
    OutboxState.FAILED: QT_TRANSLATE_NOOP("OutboxModel", "Failed"),
    OutboxState.CONFLICT: QT_TRANSLATE_NOOP("OutboxModel", "Conflict"),
    OutboxState.DONE: QT_TRANSLATE_NOOP("OutboxModel", "Done"),
}
_STATE_TONES: dict[OutboxState, Tone] = {OutboxState.FAILED: Tone.DANGER, OutboxState.CONFLICT: Tone.WARNING}
_FILTER_STATES: dict[OutboxFilter, frozenset[OutboxState]] = {
    OutboxFilter.WAITING: frozenset({OutboxState.PENDING, OutboxState.IN_FLIGHT}),
    OutboxFilter.FAILED: frozenset({OutboxState.FAILED}),
    OutboxFilter.CONFLICT: frozenset({OutboxState.CONFLICT}),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("OutboxModel", text)


Outcome = ChangeSet | str  # a unit of work's changes, or the reason it was refused (for the user)


def state_word(state: OutboxState) -> str:
    """``OutboxState.FAILED`` → "Failed"."""
    return QCoreApplication.translate("OutboxModel", _STATE_WORDS[state])


def _refusal(fn: Callable[..., ChangeSet], session: Session, *args: Any) -> Outcome:
    """Run ``fn``; a refusal (the entry moved on meanwhile) comes back as its sentence."""
    try:
        return fn(session, *args)
    except EntryStateError as error:
        return str(error)


def retry(session: Session, entry_id: int) -> Outcome:
    """Unit of work: queue the entry again as it is."""
    return _refusal(retry_entry, session, entry_id)


def discard_as_me(session: Session, entry_id: int) -> Outcome:
    """Unit of work: give the entry up in the name of the workspace's person (a copy stays)."""
    person_id = my_person_id(session)
    person = session.get(PersonRow, person_id) if person_id is not None else None
    return _refusal(discard_entry, session, entry_id, person.name if person is not None else "Handoff")


class OutboxModel(RowsTableModel):
    """The outbox entries shown (immutable :class:`OutboxItem` rows), filtered by state."""

    CASE, CHANGE, STATE, ATTEMPTS, PROBLEM = range(5)

    def __init__(self, parent: QWidget | None = None) -> None:
        headers = (_tr("Case"), _tr("Change"), _tr("State"), _tr("Tries"), _tr("Helpdesk's answer"))
        super().__init__(headers, parent)
        self._all: list[OutboxItem] = []
        self._rows: list[OutboxItem] = []
        self._filter = OutboxFilter.ALL

    @property
    def filter(self) -> OutboxFilter:
        """Which entries are listed."""
        return self._filter

    def set_items(self, items: Sequence[OutboxItem]) -> None:
        """Replace the entries (the filter stays)."""
        self._all = list(items)
        self._apply()

    def set_filter(self, kind: OutboxFilter) -> None:
        """List only the entries of ``kind``."""
        self._filter = kind
        self._apply()

    def item(self, row: int) -> OutboxItem:
        """The entry at ``row``."""
        return self._rows[row]

    def row_of(self, entry_id: int) -> int | None:
        """The row of entry ``entry_id``, if listed."""
        return next((row for row, item in enumerate(self._rows) if item.entry.id == entry_id), None)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.CHANGE, self.PROBLEM):
            return self._text(item, column) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATE:
            tone = _STATE_TONES.get(item.entry.state)
            return accent(tone, QGuiApplication.palette()) if tone is not None else None
        return None

    def _text(self, item: OutboxItem, column: int) -> str:
        entry = item.entry
        if column == self.CASE:
            number = f"#{item.case_number}" if item.case_number is not None else "—"
            return f"{number} {item.case_subject}".strip()
        if column == self.CHANGE:
            return payload_summary(entry)
        if column == self.STATE:
            return state_word(entry.state)
        if column == self.ATTEMPTS:
            return str(entry.attempts)
        if column == self.PROBLEM:
            error = entry.last_error or ""
            if error and entry.state is OutboxState.PENDING:
                return self.tr("Will try again: {0}").format(error)
            return error
        return ""

    def _apply(self) -> None:
        states = _FILTER_STATES.get(self._filter)
        self.beginResetModel()
        self._rows = [item for item in self._all if states is None or item.entry.state in states]
        self.endResetModel()


class OutboxView(QDialog):
    """The Outbox window (non-modal): the undelivered entries and Retry / Edit / Discard / Resolve.

    Signals:
        loaded(int): the entries were (re)read; how many are listed with the current filter.
        reported(str): an action finished or was refused; a sentence for the user.
    """

    loaded = Signal(int)
    reported = Signal(str)

    def __init__(self, data: DataAccess, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._selected_id: int | None = None
        self._confirm: QMessageBox | None = None
        self.setWindowTitle(self.tr("Outbox"))
        self.setAccessibleName(self.tr("Outbox"))
        self.model = OutboxModel(self)
        self.filter_box = QComboBox()
        self.filter_box.setAccessibleName(self.tr("Show"))
        for kind, text in (
            (OutboxFilter.ALL, self.tr("Everything not yet sent")),
            (OutboxFilter.WAITING, self.tr("Waiting")),
            (OutboxFilter.FAILED, self.tr("Failed")),
            (OutboxFilter.CONFLICT, self.tr("Conflicts")),
        ):
            self.filter_box.addItem(text, kind.value)
        self.filter_box.currentIndexChanged.connect(self._on_filter_box_current_index_changed)
        self.table = self._table()
        self.empty_label = secondary_label()
        self.detail = StatusLine(self.tr("Selected change"))
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = StatusLine(self.tr("Outbox status"))
        self.retry_button = self._button(self.tr("&Retry"), self.retry_selected)
        self.edit_button = self._button(self.tr("&Edit and Retry…"), self.edit_selected)
        self.resolve_button = self._button(self.tr("Resolve &Conflict…"), self.resolve_selected)
        self.discard_button = self._button(self.tr("&Discard…"), self.discard_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(buddy_label(self.tr("S&how:"), self.filter_box))
        top.addWidget(self.filter_box)
        top.addStretch(1)
        actions = QHBoxLayout()
        for button in (self.retry_button, self.edit_button, self.resolve_button, self.discard_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.detail)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        self.resize(900, 440)
        data.changes_applied.connect(self._on_data_changes_applied)
        self._update_buttons()
        self.reload()

    # Public API ---------------------------------------------------------------------------------

    def set_filter(self, kind: OutboxFilter) -> None:
        """List only the entries of ``kind`` (the Show box follows)."""
        self.filter_box.setCurrentIndex(max(0, self.filter_box.findData(kind.value)))
        self.model.set_filter(kind)
        self._after_rows_changed()

    def reload(self) -> None:
        """Read the undelivered entries again; ``loaded`` follows."""
        self._data.read(outbox_items, on_result=self._on_items_loaded, key=OUTBOX_KEY)

    def selected_item(self) -> OutboxItem | None:
        """The entry the user selected."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.item(index.row())

    def select_entry(self, entry_id: int) -> bool:
        """Select the row of entry ``entry_id``; whether it is listed."""
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def retry_selected(self) -> None:
        """Queue the selected failed or conflicting entry again (a conflict keeps Handoff's values)."""
        item = self.selected_item()
        if item is not None:
            self._write(retry, item.entry.id, done=self.tr("Queued again: it goes out with the next sync."))

    def edit_selected(self) -> OutboxEditDialog | None:
        """Open the editor of the selected entry's texts; Retry sends the corrected version."""
        item = self.selected_item()
        if item is None or not editable_fields(item.entry):
            return None
        dialog = OutboxEditDialog(item, self)
        dialog.texts_accepted.connect(partial(self._on_edit_accepted, item))
        dialog.open()  # never exec(): the app runs on a qasync loop
        return dialog

    def discard_selected(self) -> QMessageBox | None:
        """Ask before giving up the selected entry; the answer Discard gives it up."""
        item = self.selected_item()
        if item is None:
            return None
        box = QMessageBox(self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Discard Change"))
        box.setText(self.tr("Discard this change? It will not be sent to the helpdesk."))
        box.setInformativeText(
            self.tr("{0}\n\nA copy stays in the timeline of case #{1} as an internal note.").format(
                payload_summary(item.entry), item.case_number
            )
        )
        discard = box.addButton(self.tr("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: self._on_discard_confirmed(item) if button is discard else None
        )
        self._confirm = box
        box.open()
        return box

    def resolve_selected(self) -> ConflictDialog | None:
        """Open the side-by-side conflict dialog of the selected entry."""
        item = self.selected_item()
        if item is None or item.conflict is None:
            return None
        dialog = ConflictDialog(self._data, item, parent=self)
        dialog.completed.connect(
            lambda _changes: self._report(self.tr("Conflict resolved: the change goes out again."))
        )
        dialog.open()
        return dialog

    # Internals ----------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName(self.tr("Changes not yet sent"))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        for column in (OutboxModel.STATE, OutboxModel.ATTEMPTS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(OutboxModel.PROBLEM, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(OutboxModel.CASE, 230)
        header.resizeSection(OutboxModel.CHANGE, 260)
        table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        table.activated.connect(self._on_table_activated)
        discard = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), table)
        discard.setContext(Qt.ShortcutContext.WidgetShortcut)
        discard.activated.connect(self.discard_selected)
        return table

    @staticmethod
    def _button(text: str, handler: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: handler())
        return button

    def _write(self, fn: Callable[..., Outcome], *args: Any, done: str) -> None:
        self._data.write(fn, *args, on_result=partial(self._on_write_result, done))

    def _report(self, message: str) -> None:
        self.status.show_message(message)
        self.reported.emit(message)

    def _update_buttons(self) -> None:
        item = self.selected_item()
        state = item.entry.state if item is not None else None
        stoppable = state in (OutboxState.FAILED, OutboxState.CONFLICT, OutboxState.PENDING)
        self.retry_button.setEnabled(state in (OutboxState.FAILED, OutboxState.CONFLICT))
        self.edit_button.setEnabled(item is not None and stoppable and bool(editable_fields(item.entry)))
        self.resolve_button.setEnabled(item is not None and item.conflict is not None)
        self.discard_button.setEnabled(stoppable)
        if item is None:
            self.detail.show_message("")
            return
        lines = [payload_summary(item.entry)]
        if item.entry.last_error:
            lines.append(item.entry.last_error)
        self.detail.show_message("\n".join(lines))

    def _after_rows_changed(self) -> None:
        count = self.model.rowCount()
        self.empty_label.setText(self.tr("Nothing waits to be sent: the helpdesk has every change."))
        self.empty_label.setVisible(count == 0)
        kept = self._selected_id is not None and self.select_entry(self._selected_id)
        if not kept and count:
            self.table.selectRow(0)  # Enter, Delete and the buttons act at once from the keyboard
        self._update_buttons()

    # Slots --------------------------------------------------------------------------------------

    def _on_items_loaded(self, items: list[OutboxItem]) -> None:
        self.model.set_items(items)
        self._after_rows_changed()
        self.loaded.emit(self.model.rowCount())

    def _on_filter_box_current_index_changed(self, _index: int) -> None:
        self.model.set_filter(OutboxFilter(self.filter_box.currentData()))
        self._after_rows_changed()

    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        item = self.selected_item()
        self._selected_id = item.entry.id if item is not None else None
        self._update_buttons()

    def _on_table_activated(self, _index: QModelIndex) -> None:
        item = self.selected_item()
        if item is not None and item.conflict is not None:
            self.resolve_selected()
        elif item is not None and editable_fields(item.entry):
            self.edit_selected()

    def _on_edit_accepted(self, item: OutboxItem, texts: dict[str, str]) -> None:
        self._write(
            retry_edited,
            item.entry.id,
            dict(item.entry.payload),
            texts,
            done=self.tr("The corrected version goes out with the next sync."),
        )

    def _on_discard_confirmed(self, item: OutboxItem) -> None:
        self._write(
            discard_as_me,
            item.entry.id,
            done=self.tr("Discarded: a copy stays in the timeline of case #{0}.").format(item.case_number),
        )

    def _on_write_result(self, done: str, outcome: Outcome) -> None:
        self._report(outcome if isinstance(outcome, str) else done)

    def _on_data_changes_applied(self, changes: ChangeSet) -> None:
        if changes.outbox or changes.cases_removed or changes.workspace_reset:
            self.reload()
