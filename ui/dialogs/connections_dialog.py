"""ConnectionsDialog: add, edit, test and remove the helpdesk connections (Zendesk) of the workspace.

A connection has a name, the helpdesk's address, how Handoff signs in (an API token with the
agent's e-mail, or an OAuth access token), an optional extra CA bundle (for a TLS-inspecting
proxy; verification always stays on), the scope of tickets to pull (groups, tags, a custom
field's values) and the field mapping (stages, statuses, priorities, teams, custom fields).

The token is typed into a password field and goes only to the :class:`SecretStore` the desktop
layer provides (the OS keychain), on a background thread, after the connection itself was saved
(then the dialog asks the sync source to sync now: a sync stopped for a sign-in starts again);
and to the :class:`~ui.sync_status.SyncStatusSource` for "Test connection". It never reaches the
core, the database or a log. Problems found by :func:`core.remote.connections.save_connection`
are shown next to the fields they name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Protocol

from PySide6.QtCore import QAbstractListModel, QItemSelection, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.domain.enums import SourceSystem
from core.policy.hosts import user_connection_problems
from core.remote.connections import (
    ConnectionDraft,
    ConnectionProblem,
    default_mapping,
    list_connections,
    remove_connection,
    save_connection,
)
from core.remote.dtos import AuthMethod, Connection, ConnectionScope
from ui.background_io import BackgroundIo
from ui.data_access import DataAccess
from ui.dialogs.connection_mapping import MappingDelegate, MappingModel, mapping_of, rows_of
from ui.dialogs.form_dialog import secondary_label
from ui.status_line import StatusLine
from ui.sync_status import ConnectionTestResult, SyncStatusSource
from ui.tones import Tone, accent

AnyIndex = QModelIndex | QPersistentModelIndex
KIND = SourceSystem.ZENDESK.value
LIST_KEY = "connections"
# Which field a problem of save_connection names, by the words it starts with.
_PROBLEM_FIELDS = {
    "Name": "name",
    "URL": "url",
    "E-mail": "email",
    "CA bundle": "ca_bundle",
    "Stage mapping": "mapping",
    "Status mapping": "mapping",
    "Priority mapping": "mapping",
    "Team mapping": "mapping",
}


class SecretStore(Protocol):
    """Where connection secrets go (the OS keychain, through the desktop layer).

    The methods may block (a keychain prompt): the dialog calls them off the UI thread. A
    failure raises an exception whose text is a sentence for the user (the keychain is locked…).
    """

    def save(self, name: str, secret: str) -> None:
        """Keep ``secret`` for the connection ``name``."""
        ...

    def delete(self, name: str) -> None:
        """Forget the secret of the connection ``name`` (nothing stored: nothing happens)."""
        ...

    def rename(self, old_name: str, new_name: str) -> None:
        """The connection ``old_name`` is now called ``new_name``: its secret follows."""
        ...


def save_or_problems(
    session: Session, draft: ConnectionDraft, connection_id: int | None
) -> Connection | list[str]:
    """Unit of work: save the connection, or the problems that keep it from being saved."""
    refused = user_connection_problems(draft)  # the IT policy: allowed hosts, locked connections
    if refused:
        return refused
    try:
        return save_connection(session, draft, connection_id)
    except ConnectionProblem as problem:
        return problem.problems


def split_list(text: str) -> tuple[str, ...]:
    """``"30, 31  escalation"`` → ``("30", "31", "escalation")`` (commas or spaces between)."""
    return tuple(part for part in text.replace(",", " ").split() if part)


class ConnectionListModel(QAbstractListModel):
    """The saved connections, by name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._connections: list[Connection] = []

    def set_connections(self, connections: Sequence[Connection]) -> None:
        """Replace the list."""
        self.beginResetModel()
        self._connections = list(connections)
        self.endResetModel()

    def connection(self, row: int) -> Connection:
        """The connection at ``row``."""
        return self._connections[row]

    def row_of(self, connection_id: int) -> int | None:
        """The row of connection ``connection_id``, if listed."""
        return next((row for row, c in enumerate(self._connections) if c.id == connection_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._connections)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._connections):
            return None
        connection = self._connections[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return connection.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{connection.base_url}\n{connection.status_message or ''}".strip()
        return None


def _field_error() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setVisible(False)
    return label


class ConnectionsDialog(QDialog):
    """The helpdesk connections: a list on the left, the selected one's form on the right.

    Signals:
        saved(object): a connection was saved (the :class:`Connection`).
        removed(str): a connection was removed (its name).
        problems_shown(list): save_connection refused the form; its problems.
        test_finished(object): "Test connection" answered (the :class:`ConnectionTestResult`).
        reported(str): a sentence for the user about what just happened.
        loaded(int): the list of connections was (re)read; how many there are.
    """

    saved = Signal(object)
    removed = Signal(str)
    problems_shown = Signal(list)
    test_finished = Signal(object)
    reported = Signal(str)
    loaded = Signal(int)

    def __init__(
        self,
        data: DataAccess,
        files: BackgroundIo,
        *,
        source: SyncStatusSource | None = None,
        secrets: SecretStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data = data
        self._files = files
        self._source = source
        self._secrets = secrets
        self._editing: Connection | None = None
        self._errors: dict[str, QLabel] = {}
        self.setWindowTitle(self.tr("Helpdesk Connections"))
        self.setAccessibleName(self.tr("Helpdesk connections"))
        self.list_model = ConnectionListModel(self)
        self.list_view = QListView()
        self.list_view.setModel(self.list_model)
        self.list_view.setAccessibleName(self.tr("Connections"))
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.selectionModel().selectionChanged.connect(self._on_list_selection_changed)
        self.add_button = QPushButton(self.tr("&Add"))
        self.add_button.setAccessibleName(self.tr("Add a Zendesk connection"))
        self.add_button.clicked.connect(self.start_new)
        self.remove_button = QPushButton(self.tr("Re&move…"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected connection"))
        self.remove_button.clicked.connect(self.confirm_remove)
        self._build_fields()
        self.test_button = QPushButton(self.tr("&Test Connection"))
        self.test_button.clicked.connect(self.test_connection)
        if source is None:
            self.test_button.setEnabled(False)
            self.test_button.setToolTip(self.tr("Sync is not running in this window"))
        self.test_result = StatusLine(self.tr("Test result"))
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self.status = StatusLine(self.tr("Connections status"))
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ApplyRole)
        buttons.rejected.connect(self.reject)
        self._layout(buttons)
        self.resize(980, 720)
        self.start_new()
        self.reload()

    # Public API ---------------------------------------------------------------------------------

    def reload(self, select_id: int | None = None, then: Callable[[], None] | None = None) -> None:
        """Read the connections again; select ``select_id`` (or the first) once they are here,
        then call ``then``."""
        self._data.read(
            list_connections, on_result=partial(self._on_connections_loaded, select_id, then), key=LIST_KEY
        )

    def start_new(self) -> None:
        """Empty the form for a new Zendesk connection (with the default mapping)."""
        self.list_view.clearSelection()
        self._fill(None)
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def draft(self) -> ConnectionDraft:
        """What the form says, as :func:`save_connection` takes it."""
        return ConnectionDraft(
            name=self.name_edit.text(),
            kind=KIND,
            base_url=self.url_edit.text(),
            auth_method=AuthMethod(self.auth_box.currentData()),
            account_email=self.email_edit.text() or None,
            ca_bundle=self.ca_edit.text() or None,
            scope=ConnectionScope(
                group_ids=split_list(self.groups_edit.text()),
                tags=split_list(self.tags_edit.text()),
                custom_field_id=self.custom_field_edit.text().strip() or None,
                custom_field_values=split_list(self.custom_values_edit.text()),
            ),
            mapping=mapping_of(
                self.mapping_model.rows,
                tier_field_id=self.tier_field_edit.text().strip() or None,
                product_area_field_id=self.area_field_edit.text().strip() or None,
            ),
        )

    def save(self) -> None:
        """Save the form (problems appear next to their fields); then the token goes to the keychain."""
        self._clear_problems()
        self.test_result.show_message("")  # it was about the form before this edit
        self.save_button.setEnabled(False)
        editing = self._editing
        self._data.write(
            save_or_problems,
            self.draft(),
            editing.id if editing is not None else None,
            on_result=partial(self._on_save_result, editing.name if editing is not None else None),
            on_error=self._on_save_error,
        )

    def test_connection(self) -> None:
        """Ask the sync engine to sign in with the form's values ("Testing…" until it answers)."""
        if self._source is None:
            return
        self.test_button.setEnabled(False)
        self._show_test(ConnectionTestResult(ok=True, message=self.tr("Testing the connection…")), tone=None)
        self._source.test_connection(self.draft(), self.token_edit.text() or None, self._on_test_done)

    def confirm_remove(self) -> QMessageBox | None:
        """Ask before removing the selected connection."""
        connection = self._editing
        if connection is None:
            return None
        box = QMessageBox(self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Remove Connection"))
        box.setText(self.tr("Remove the connection “{0}”?").format(connection.name))
        box.setInformativeText(
            self.tr(
                "Its cases, their timelines and the changes waiting for the helpdesk stay in Handoff; "
                "they are no longer synced. The sign-in is removed from the system keychain."
            )
        )
        remove = box.addButton(self.tr("&Remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self._remove(connection) if button is remove else None)
        box.open()
        return box

    def field_problem(self, name: str) -> str:
        """The problem shown next to field ``name`` ("name", "url", "email", "ca_bundle", "mapping",
        "general"), or ""."""
        label = self._errors[name]
        return label.text() if label.isVisibleTo(self) else ""

    # Building -----------------------------------------------------------------------------------

    def _build_fields(self) -> None:
        self.name_edit = self._line(self.tr("Name"), self.tr("Acme Zendesk"))
        self.url_edit = self._line(self.tr("Address"), "https://yourcompany.zendesk.com")
        self.auth_box = QComboBox()
        self.auth_box.setAccessibleName(self.tr("Sign in with"))
        self.auth_box.addItem(self.tr("API token (with the agent's e-mail)"), AuthMethod.API_TOKEN.value)
        self.auth_box.addItem(self.tr("OAuth access token"), AuthMethod.OAUTH.value)
        self.auth_box.currentIndexChanged.connect(self._on_auth_box_current_index_changed)
        self.email_edit = self._line(self.tr("Agent e-mail"), "you@yourcompany.com")
        self.token_edit = self._line(self.tr("Token"), "")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_edit = self._line(self.tr("Extra CA bundle"), self.tr("Only behind a TLS-inspecting proxy"))
        self.ca_button = QPushButton(self.tr("&Browse…"))
        self.ca_button.setAccessibleName(self.tr("Choose a CA bundle file"))
        self.ca_button.clicked.connect(self._on_ca_button_clicked)
        self.groups_edit = self._line(self.tr("Groups"), self.tr("Group ids, e.g. 360001234567"))
        self.tags_edit = self._line(self.tr("Tags"), self.tr("e.g. escalation tier2"))
        self.custom_field_edit = self._line(self.tr("Custom field id"), self.tr("Optional"))
        self.custom_values_edit = self._line(
            self.tr("Custom field values"), self.tr("Values that mark an escalation")
        )
        self.mapping_model = MappingModel("Zendesk", self)
        self.mapping_view = QTableView()
        self.mapping_view.setModel(self.mapping_model)
        self.mapping_view.setItemDelegate(MappingDelegate(self.mapping_view))
        self.mapping_view.setAccessibleName(self.tr("Field mapping"))
        self.mapping_view.setTabKeyNavigation(False)
        self.mapping_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.mapping_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.mapping_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        rows = self.mapping_view.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.mapping_view.fontMetrics().lineSpacing() + 8)
        self.mapping_view.setMinimumHeight(220)
        header = self.mapping_view.horizontalHeader()
        header.setSectionResizeMode(MappingModel.KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MappingModel.HANDOFF, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MappingModel.HELPDESK, QHeaderView.ResizeMode.Stretch)
        self.add_team_button = QPushButton(self.tr("Add &Team Row"))
        self.add_team_button.clicked.connect(self._on_add_team_button_clicked)
        self.defaults_button = QPushButton(self.tr("Restore &Defaults"))
        self.defaults_button.clicked.connect(self._on_defaults_button_clicked)
        self.tier_field_edit = self._line(self.tr("Tier custom field id"), self.tr("Not synced"))
        self.area_field_edit = self._line(self.tr("Product area custom field id"), self.tr("Not synced"))
        for name in ("name", "url", "email", "ca_bundle", "mapping", "general"):
            self._errors[name] = _field_error()
        self._errors["general"].setAccessibleName(self.tr("Problem"))
        self._apply_error_color()

    def _line(self, accessible_name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible_name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _with_error(self, widget: QWidget, error: str) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self._errors[error])
        return box

    def _layout(self, buttons: QDialogButtonBox) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        def row(text: str, widget: QWidget, buddy: QWidget | None = None) -> None:
            label = QLabel(text)
            label.setBuddy(buddy or widget)
            form.addRow(label, widget)

        row(self.tr("&Name:"), self._with_error(self.name_edit, "name"), self.name_edit)
        row(self.tr("&Address:"), self._with_error(self.url_edit, "url"), self.url_edit)
        row(self.tr("Sign &in with:"), self.auth_box)
        row(self.tr("&E-mail:"), self._with_error(self.email_edit, "email"), self.email_edit)
        self.token_hint = secondary_label()
        self.token_hint.setWordWrap(False)  # one short line; wrapping made the form layout leave gaps
        token = QWidget()
        token_column = QVBoxLayout(token)
        token_column.setContentsMargins(0, 0, 0, 0)
        token_column.setSpacing(2)
        token_column.addWidget(self.token_edit)
        token_column.addWidget(self.token_hint)
        row(self.tr("To&ken:"), token, self.token_edit)
        ca_row = QWidget()
        ca_layout = QHBoxLayout(ca_row)
        ca_layout.setContentsMargins(0, 0, 0, 0)
        ca_layout.addWidget(self.ca_edit, 1)
        ca_layout.addWidget(self.ca_button)
        row(self.tr("&CA bundle:"), self._with_error(ca_row, "ca_bundle"), self.ca_edit)
        form.addRow(
            self._section(self.tr("Which tickets are escalations (any of these; all empty: every ticket)"))
        )
        row(self.tr("&Groups:"), self.groups_edit)
        row(self.tr("Ta&gs:"), self.tags_edit)
        row(self.tr("Custom &field:"), self.custom_field_edit)
        row(self.tr("Field &values:"), self.custom_values_edit)
        form.addRow(self._section(self.tr("How Handoff's fields map to Zendesk's")))
        mapping_buttons = QHBoxLayout()
        mapping_buttons.addWidget(self.add_team_button)
        mapping_buttons.addWidget(self.defaults_button)
        mapping_buttons.addStretch(1)
        mapping = QWidget()
        mapping_column = QVBoxLayout(mapping)
        mapping_column.setContentsMargins(0, 0, 0, 0)
        mapping_column.addWidget(self.mapping_view)
        mapping_column.addWidget(self._errors["mapping"])
        mapping_column.addLayout(mapping_buttons)
        row(self.tr("&Mapping:"), mapping, self.mapping_view)
        row(self.tr("Tie&r field:"), self.tier_field_edit)
        row(self.tr("Product area fiel&d:"), self.area_field_edit)
        fields = QWidget()
        fields_column = QVBoxLayout(fields)
        fields_column.addLayout(form)
        fields_column.addStretch(1)  # extra height below the form, not between its rows
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(fields)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, not their frame
        left = QVBoxLayout()
        left.addWidget(self.list_view, 1)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.remove_button)
        left.addLayout(list_buttons)
        right = QVBoxLayout()
        right.addWidget(scroll, 1)
        right.addWidget(self._errors["general"])
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        right.addLayout(test_row)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.list_view.setMaximumWidth(240)

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        label.setContentsMargins(0, 10, 0, 0)
        return label

    # Form ---------------------------------------------------------------------------------------

    def _fill(self, connection: Connection | None) -> None:
        self._editing = connection
        self._clear_problems()
        self.test_result.show_message("")
        self.remove_button.setEnabled(connection is not None)
        self.name_edit.setText(connection.name if connection else "")
        self.url_edit.setText(connection.base_url if connection else "")
        method = connection.auth_method if connection else AuthMethod.API_TOKEN
        self.auth_box.setCurrentIndex(max(0, self.auth_box.findData(method.value)))
        self.email_edit.setText((connection.account_email or "") if connection else "")
        self.token_edit.clear()
        self.ca_edit.setText((connection.ca_bundle or "") if connection else "")
        scope = connection.scope if connection else ConnectionScope()
        self.groups_edit.setText(" ".join(scope.group_ids))
        self.tags_edit.setText(" ".join(scope.tags))
        self.custom_field_edit.setText(scope.custom_field_id or "")
        self.custom_values_edit.setText(" ".join(scope.custom_field_values))
        mapping = connection.mapping if connection else default_mapping(KIND)
        self.mapping_model.set_rows(rows_of(mapping))
        self.tier_field_edit.setText(mapping.tier_field_id or "")
        self.area_field_edit.setText(mapping.product_area_field_id or "")
        self._update_token_hint()

    def _update_token_hint(self) -> None:
        oauth = self.auth_box.currentData() == AuthMethod.OAUTH.value
        self.email_edit.setEnabled(not oauth)
        what = self.tr("OAuth access token") if oauth else self.tr("API token")
        if self._editing is None:
            hint = self.tr("The {0} is kept in the system keychain, never in the workspace.").format(what)
        else:
            hint = self.tr("Leave empty to keep the {0} stored in the system keychain.").format(what)
        self.token_hint.setText(hint)
        self.token_edit.setAccessibleName(what)

    def _clear_problems(self) -> None:
        for label in self._errors.values():
            label.clear()
            label.setVisible(False)

    def _show_problems(self, problems: list[str]) -> None:
        shown: dict[str, list[str]] = {}
        for problem in problems:
            head, _colon, rest = problem.partition(":")
            name = _PROBLEM_FIELDS.get(head.strip(), "general")
            shown.setdefault(name, []).append(rest.strip() if name not in ("general", "mapping") else problem)
        for name, lines in shown.items():
            self._errors[name].setText("\n".join(lines))
            self._errors[name].setVisible(True)
        self.problems_shown.emit(problems)

    def _show_test(self, result: ConnectionTestResult, tone: Tone | None) -> None:
        palette = self.test_result.palette()
        color = accent(tone, self.palette()) if tone else self.palette().color(palette.ColorRole.WindowText)
        palette.setColor(palette.ColorRole.WindowText, color)
        self.test_result.setPalette(palette)
        self.test_result.show_message(result.message)

    def _apply_error_color(self) -> None:
        for label in self._errors.values():
            palette = label.palette()
            palette.setColor(palette.ColorRole.WindowText, accent(Tone.DANGER, self.palette()))
            label.setPalette(palette)

    def _report(self, message: str) -> None:
        self.status.show_message(message)
        self.reported.emit(message)

    def _remove(self, connection: Connection) -> None:
        self._data.write(
            remove_connection, connection.id, on_result=lambda _changes: self._on_removed(connection)
        )

    def _store_secret(self, saved: Connection, previous_name: str | None, token: str) -> None:
        """The typed token to the keychain (or the stored one to the new name), off the UI thread."""
        if self._secrets is None:
            if token:
                self._report(self.tr("Saved, but this window cannot store the token: sync is not running."))
            return
        on_error = partial(self._on_secret_error, saved.name)
        if token:
            self._files.run(
                self._secrets.save, saved.name, token, on_result=self._on_secret_stored, on_error=on_error
            )
        elif previous_name is not None and previous_name != saved.name:
            self._files.run(
                self._secrets.rename, previous_name, saved.name, on_result=lambda _r: None, on_error=on_error
            )

    # Slots --------------------------------------------------------------------------------------

    def _on_connections_loaded(
        self, select_id: int | None, then: Callable[[], None] | None, connections: list[Connection]
    ) -> None:
        self.list_model.set_connections(connections)
        row = self.list_model.row_of(select_id) if select_id is not None else (0 if connections else None)
        if row is not None:
            self.list_view.setCurrentIndex(self.list_model.index(row))
        if then is not None:
            then()
        self.loaded.emit(len(connections))

    def _on_list_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._fill(self.list_model.connection(indexes[0].row()))

    def _on_auth_box_current_index_changed(self, _index: int) -> None:
        self._update_token_hint()

    def _on_ca_button_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Extra CA bundle"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Certificates (*.pem *.crt *.cer)"), self.tr("All files (*)")])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.ca_edit.setText)
        dialog.open()

    def _on_add_team_button_clicked(self) -> None:
        index = self.mapping_model.add_team_row()
        self.mapping_view.setCurrentIndex(index)
        self.mapping_view.edit(index)

    def _on_defaults_button_clicked(self) -> None:
        self.mapping_model.set_rows(rows_of(default_mapping(KIND)))
        self.tier_field_edit.clear()
        self.area_field_edit.clear()

    def _on_save_result(self, previous_name: str | None, outcome: Connection | list[str]) -> None:
        self.save_button.setEnabled(True)
        if isinstance(outcome, list):
            self._show_problems(outcome)
            return
        token = self.token_edit.text()
        self.token_edit.clear()  # not kept in the window
        self._data.publish(ChangeSet(config=True))
        self.saved.emit(outcome)
        # The keychain after the list is shown again: a keychain problem stays on the saved form.
        self.reload(select_id=outcome.id, then=partial(self._after_save, outcome, previous_name, token))

    def _after_save(self, saved: Connection, previous_name: str | None, token: str) -> None:
        self._report(self.tr("Saved “{0}”.").format(saved.name))
        self._store_secret(saved, previous_name, token)

    def _on_save_error(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self._show_problems([str(error)])

    def _on_secret_stored(self, _result: object) -> None:
        if self._source is not None:
            self._source.sync_now()  # new credentials: a sync stopped for a sign-in starts again

    def _on_secret_error(self, name: str, error: BaseException) -> None:
        self._show_problems([self.tr("Token of “{0}” not stored: {1}").format(name, error)])

    def _on_removed(self, connection: Connection) -> None:
        if self._secrets is not None:
            self._files.run(
                self._secrets.delete,
                connection.name,
                on_result=lambda _r: None,
                on_error=partial(self._on_secret_error, connection.name),
            )
        self._report(self.tr("Removed “{0}”; its cases stay in Handoff.").format(connection.name))
        self.removed.emit(connection.name)
        self.start_new()
        self.reload()

    def _on_test_done(self, result: ConnectionTestResult) -> None:
        self.test_button.setEnabled(True)
        self._show_test(result, Tone.SUCCESS if result.ok else Tone.DANGER)
        self.test_finished.emit(result)
