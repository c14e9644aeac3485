"""MoveToDialog: "Move to…", a keyboard-first chooser of a team or a person for some cases.

Type to filter the teams and people (each with its load against capacity),
Up/Down to pick, Enter to choose. For the target under the cursor the panel on
the right shows the route Handoff would pick within that team, its
explanation, and the rules the move would break, all read on the DB thread.
The dialog only chooses: the caller moves (or triages) through
:class:`~ui.routing_actions.RoutingActions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.db.types import utc_now
from core.routing.checks import MoveTarget
from ui.data_access import DataAccess, describe_error
from ui.dialogs.move_preview import MoveChoices, MovePreview, load_move_choices, preview_move
from ui.dialogs.route_explanation import RouteExplanationView
from ui.tones import Tone, accent, muted

TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, TARGET_ROLE)``: the row's :class:`MoveTarget`."""
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
"""``data(index, SEARCH_ROLE)``: the words the filter matches (team and person name)."""
OWN_TEXT_ROLE = Qt.ItemDataRole.UserRole + 3
"""``data(index, OWN_TEXT_ROLE)``: the words of the row itself (a team row: without its people)."""
PREVIEW_KEY = "move-to-preview"
_NAVIGATION_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
_INDENT = "\u2003\u2003"

AnyIndex = QModelIndex | QPersistentModelIndex


def target_text(target: MoveTarget) -> str:
    """``"SSO Specialists — 14/18 units"`` or ``"Priya Raman — 4/6 units, away"``."""
    units = QApplication.translate("MoveToDialog", "{0}/{1} units").format(target.load, target.capacity)
    if target.person_id is None:
        return f"{target.team_name} — {units}"
    away = QApplication.translate("MoveToDialog", ", away") if target.away else ""
    return f"{target.person_name} — {units}{away}"


def _member_names(targets: Sequence[MoveTarget]) -> dict[int, str]:
    """Team id → the names of its people, space-separated (what a team row's filter also matches)."""
    names: dict[int, list[str]] = {}
    for target in targets:
        if target.person_id is not None:
            names.setdefault(target.team_id, []).append(target.person_name)
    return {team_id: " ".join(people) for team_id, people in names.items()}


class MoveTargetModel(QAbstractListModel):
    """Teams and, under each, its people: the rows "Move to…" offers."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._targets: list[MoveTarget] = []
        self._members: dict[int, str] = {}

    def set_targets(self, targets: Sequence[MoveTarget]) -> None:
        """Show ``targets`` in their (board) order."""
        self.beginResetModel()
        self._targets = list(targets)
        self._members: dict[int, str] = {}
        for target in self._targets:
            if target.person_id is not None:
                self._members[target.team_id] = (
                    f"{self._members.get(target.team_id, '')} {target.person_name}"
                )
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._targets)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._targets):
            return None
        target = self._targets[index.row()]
        is_person = target.person_id is not None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{_INDENT}{target_text(target)}" if is_person else target_text(target)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            team = self.tr("team {0}").format(target.team_name)
            return f"{target_text(target)}, {team}" if is_person else target_text(target)
        if role == TARGET_ROLE:
            return target
        if role == SEARCH_ROLE:
            # A team row stays visible while one of its people matches: it shows whose team they are.
            own = (
                target.person_name
                if is_person
                else f"{target.team_name}{self._members.get(target.team_id, '')}"
            )
            return f"{target.team_name} {own}" if is_person else own
        if role == OWN_TEXT_ROLE:
            return f"{target.team_name} {target.person_name}" if is_person else target.team_name
        if role == Qt.ItemDataRole.FontRole and not is_person:
            font = QFont(QGuiApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            palette = QGuiApplication.palette()
            if target.capacity and target.load > target.capacity:
                return accent(Tone.DANGER, palette)
            if target.away:
                return muted(palette)
        return None


class _ListKeys(QObject):
    """Sends Up/Down/Page Up/Page Down from the filter field to the list, so typing and picking mix."""

    def __init__(self, target: QListView, parent: QObject) -> None:
        super().__init__(parent)
        self._target = target

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _NAVIGATION_KEYS
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            QApplication.sendEvent(self._target, QKeyEvent(event))
            return True
        return False


class MoveToDialog(QDialog):
    """Pick a team or a person for the cases (window-modal; open it with ``open()``).

    Signals:
        chosen(int, object): the lead chose this team id and person id (None: the team itself).
        preview_shown(object): the panel shows the :class:`MovePreview` of the current target.
    """

    chosen = Signal(int, object)
    preview_shown = Signal(object)

    def __init__(
        self,
        data: DataAccess,
        case_ids: Sequence[int],
        *,
        triage: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data = data
        self._case_ids = tuple(case_ids)
        self._preview: MovePreview | None = None
        self.setWindowTitle(self.tr("Route To…") if triage else self.tr("Move To…"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self._intro = QLabel(self.tr("Loading teams and people…"))
        self._intro.setTextFormat(Qt.TextFormat.PlainText)
        self._intro.setWordWrap(True)
        self.filter_field = QLineEdit()
        self.filter_field.setPlaceholderText(self.tr("Type to filter teams and people…"))
        self.filter_field.setAccessibleName(self.tr("Filter teams and people"))
        self.filter_field.setClearButtonEnabled(True)
        self.model = MoveTargetModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setAccessibleName(self.tr("Teams and people"))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setSpacing(1)
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the keys go through the filter field
        self.filter_field.installEventFilter(_ListKeys(self.list, self))
        self.explanation = RouteExplanationView()
        self.explanation.set_placeholder(self.tr("Pick a team or a person to see Handoff's route."))
        self.explanation.setMinimumWidth(36 * self.fontMetrics().averageCharWidth())

        self.reason_field = QLineEdit()
        self.reason_field.setPlaceholderText(self.tr("Reason, recorded with the move (optional)"))
        self.reason_field.setAccessibleName(self.tr("Reason for the move"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self._choose = QPushButton(self.tr("&Route") if triage else self.tr("&Move"))
        self._choose.setEnabled(False)
        buttons.addButton(self._choose, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.choose_current)
        buttons.rejected.connect(self.reject)

        picker = QWidget()
        picker_layout = QVBoxLayout(picker)
        picker_layout.setContentsMargins(0, 0, 0, 0)
        picker_layout.addWidget(self.filter_field)
        picker_layout.addWidget(self.list, 1)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(picker)
        splitter.addWidget(self.explanation)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self._intro)
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        row.addWidget(self.reason_field, 1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self._choose.setDefault(True)  # Enter in the filter field chooses (once in the dialog, it counts)
        self.resize(self.sizeHint())  # not shrunk to the 2/3 of a screen adjustSize() would allow
        self.filter_field.setFocus(Qt.FocusReason.OtherFocusReason)
        QWidget.setTabOrder(self.filter_field, self.reason_field)  # Tab: from choosing to saying why

        self.filter_field.textChanged.connect(self._on_filter_field_text_changed)
        self.list.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.list.doubleClicked.connect(self.choose_current)
        data.read(
            load_move_choices, self._case_ids, on_result=self._on_choices_loaded, on_error=self._on_error
        )

    # Public API ----------------------------------------------------------------------------------

    @property
    def case_ids(self) -> tuple[int, ...]:
        """The cases to move."""
        return self._case_ids

    @property
    def reason(self) -> str:
        """Why the lead moves the cases (may be empty)."""
        return self.reason_field.text().strip()

    @property
    def question(self) -> str:
        """The line above the list ("Where should #1042 … go?")."""
        return self._intro.text()

    @property
    def choose_button(self) -> QPushButton:
        """The button that chooses the current row."""
        return self._choose

    def current_target(self) -> MoveTarget | None:
        """The team or person under the cursor."""
        index = self.list.currentIndex()
        return index.data(TARGET_ROLE) if index.isValid() else None

    def _first_own_match(self) -> QModelIndex:
        """The first row matching the filter by itself (not only through its people), else the first row."""
        wanted = self.filter_field.text().strip().casefold()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if wanted in str(index.data(OWN_TEXT_ROLE)).casefold():
                return index
        return self.proxy.index(0, 0)

    def visible_texts(self) -> list[str]:
        """The rows the filter leaves, as shown (without the indentation)."""
        return [str(self.proxy.index(row, 0).data()).strip() for row in range(self.proxy.rowCount())]

    def choose_current(self) -> None:
        """Choose the team or person under the cursor (and close)."""
        target = self.current_target()
        if target is None:
            return
        self.chosen.emit(target.team_id, target.person_id)
        self.accept()

    def sizeHint(self) -> QSize:
        char = self.fontMetrics().averageCharWidth()
        return QSize(130 * char, 34 * self.fontMetrics().lineSpacing())

    # Slots ---------------------------------------------------------------------------------------

    def _on_choices_loaded(self, choices: MoveChoices) -> None:
        count = len(choices.case_ids)
        if count == 1:
            label = choices.case_labels.get(choices.case_ids[0], "")
            self._intro.setText(self.tr("Where should {0} go?").format(label or self.tr("this case")))
        else:
            self._intro.setText(self.tr("Where should these {0} cases go?").format(count))
        self.model.set_targets(choices.targets)
        self._select_first()

    def _on_filter_field_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._select_first()  # the best match, not a team row kept only as context

    def _select_first(self) -> None:
        first = self._first_own_match()
        if first.isValid():
            self.list.selectionModel().setCurrentIndex(
                first, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        else:
            self._on_list_current_changed(QModelIndex(), QModelIndex())

    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        target: MoveTarget | None = current.data(TARGET_ROLE) if current.isValid() else None
        self._choose.setEnabled(target is not None)
        if target is None:
            self.explanation.set_placeholder(self.tr("No team or person matches."))
            return
        self._data.read(
            preview_move,
            self._case_ids,
            target.team_id,
            target.person_id,
            utc_now(),
            on_result=self._on_preview_loaded,
            on_error=self._on_error,
            key=f"{PREVIEW_KEY}-{id(self)}",
        )

    def _on_preview_loaded(self, preview: MovePreview) -> None:
        target = self.current_target()
        if target is None or (target.team_id, target.person_id) != (preview.team_id, preview.person_id):
            return  # the cursor moved on; its own preview is on the way
        self._preview = preview
        first = next(iter(preview.case_ids), None)
        proposal = preview.check.proposals.get(first) if first is not None else None
        violations = dict.fromkeys(  # the same rule broken by each case is said once
            v for case_id in preview.case_ids for v in preview.check.violations.get(case_id, ())
        )
        heading = self.tr("Handoff's pick in {0}").format(proposal.team_name) if proposal else ""
        self.explanation.set_proposal(proposal, list(violations), heading=heading)
        self.preview_shown.emit(preview)

    def _on_error(self, error: BaseException) -> None:
        self.explanation.set_placeholder(describe_error(error))
