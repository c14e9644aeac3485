"""ConflictDialog: a change the helpdesk refused because the ticket changed meanwhile, side by side.

One row per field both sides changed: Handoff's value and the helpdesk's, each a radio button,
and a third value the user gives (a merge: another stage, the team both should agree on…),
with who changed the ticket in the helpdesk and when. Nothing is chosen for the user: Apply
stays disabled until every field has a choice. Apply calls
:func:`core.remote.delivery.resolve_conflict`: the values kept from Handoff are pushed again on
the helpdesk's version, the helpdesk's values are applied to the case, and the decision is
written to the case's timeline.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.domain.enums import Priority, Stage
from core.remote.conflicts import UnknownValueError
from core.remote.connections import helpdesk_name
from core.remote.delivery import EntryStateError, OutboxItem, resolve_conflict
from core.remote.dtos import FieldConflict
from core.remote.outbox_text import payload_summary
from ui.data_access import DataAccess
from ui.dialogs.form_dialog import secondary_label
from ui.formatting import format_short_timestamp
from ui.labels import priority_label, stage_label
from ui.tones import Tone, accent

LOCAL, REMOTE, OTHER = 0, 1, 2
TIERS = ("1", "2", "3")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictDialog", text)


def field_label(name: str) -> str:
    """``"product_area"`` → "Product area"."""
    labels = {
        "stage": _tr("Stage"),
        "priority": _tr("Priority"),
        "team": _tr("Team"),
        "assignee": _tr("Assignee"),
        "tier": _tr("Tier"),
        "product_area": _tr("Product area"),
    }
    return labels.get(name, name.replace("_", " ").capitalize())


def value_text(name: str, value: str | None) -> str:
    """A field's value as the user reads it ("Awaiting customer", "High", "Unassigned", "—")."""
    if value is None or value == "":
        return _tr("Unassigned") if name == "assignee" else "—"
    if name == "stage" and value in Stage._value2member_map_:
        return stage_label(Stage(value))
    if name == "priority" and value in Priority._value2member_map_:
        return priority_label(Priority(value))
    return value


def resolve(session: Session, entry_id: int, chosen: dict[str, str | None]) -> ChangeSet | str:
    """Unit of work: apply the user's choice; a refusal comes back as its sentence."""
    try:
        return resolve_conflict(session, entry_id, chosen)
    except (EntryStateError, UnknownValueError) as error:
        return str(error)


class ConflictDialog(QDialog):
    """Choose, field by field, whether Handoff's or the helpdesk's value stays.

    Signals:
        completed(object): the choice was applied (the ChangeSet).
        problem_shown(str): the core refused the choice (the entry moved on, a value is unknown).
    """

    completed = Signal(object)
    problem_shown = Signal(str)

    def __init__(self, data: DataAccess, item: OutboxItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if item.conflict is None:
            raise ValueError("ConflictDialog needs an entry in conflict")
        self._data = data
        self._item = item
        self._conflict = item.conflict
        self._groups: dict[str, QButtonGroup] = {}
        self._others: dict[str, QComboBox] = {}
        self.helpdesk = helpdesk_name(item.entry.connection_id or "")
        self.setWindowTitle(self.tr("Resolve Conflict"))
        self.setAccessibleName(self.tr("Resolve conflict"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        heading = QLabel(
            self.tr("Case #{0} changed in {1} while your change was waiting").format(
                item.case_number, self.helpdesk
            )
        )
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        self.intro = secondary_label(self._intro_text())
        self.intro.setAccessibleName(self.tr("What happened"))
        self.intro.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.apply_button = QPushButton(self.tr("&Apply"))
        self.apply_button.setDefault(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setAccessibleName(self.tr("Problem"))
        self.problem.setVisible(False)
        palette = self.problem.palette()
        palette.setColor(self.problem.foregroundRole(), accent(Tone.DANGER, self.palette()))
        self.problem.setPalette(palette)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.apply)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(self.intro)
        layout.addLayout(self._grid())
        layout.addStretch(1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._update_apply()
        self.resize(max(680, self.sizeHint().width()), self.sizeHint().height())

    # Public API ---------------------------------------------------------------------------------

    def choose(self, field: str, side: int, other: str | None = None) -> None:
        """Pick ``LOCAL`` (Handoff), ``REMOTE`` (the helpdesk) or ``OTHER`` (the value ``other``,
        a stage or priority value, a tier, or a team, person or product area) for ``field``."""
        if side == OTHER and other is not None:
            box = self._others[field]
            found = box.findData(other)
            if found >= 0:
                box.setCurrentIndex(found)
            else:
                box.setEditText(other)
        self._groups[field].button(side).setChecked(True)

    def chosen(self) -> dict[str, str | None]:
        """The value kept per field, for the fields chosen so far."""
        values: dict[str, str | None] = {}
        for item in self._conflict.fields:
            side = self._groups[item.field].checkedId()
            if side == LOCAL:
                values[item.field] = item.local
            elif side == REMOTE:
                values[item.field] = item.remote
            elif side == OTHER:
                other = self._other_value(item.field)
                if other is not None or item.field == "assignee":  # nobody: unassigned
                    values[item.field] = other
        return values

    def apply(self) -> None:
        """Apply the choice once every field has one."""
        if not self.apply_button.isEnabled():
            return
        self.apply_button.setEnabled(False)
        self._data.write(resolve, self._item.entry.id, self.chosen(), on_result=self._on_write_result)

    # Internals ----------------------------------------------------------------------------------

    def _intro_text(self) -> str:
        conflict = self._conflict
        who = conflict.remote_author or self.tr("someone")
        when = format_short_timestamp(conflict.remote_changed_at) if conflict.remote_changed_at else ""
        changed = (
            self.tr("{0} changed the ticket in {1} on {2}.").format(who, self.helpdesk, when)
            if when
            else self.tr("{0} changed the ticket in {1}.").format(who, self.helpdesk)
        )
        return " ".join(
            (
                self.tr("Your change: {0}.").format(payload_summary(self._item.entry)),
                changed,
                self.tr("Choose the value to keep for each field; nothing is overwritten until you apply."),
            )
        )

    def _grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(8)
        headers = (
            self.tr("Field"),
            self.tr("Handoff (your change)"),
            self.helpdesk,
            self.tr("Another value"),
        )
        for column, text in enumerate(headers):
            header = QLabel(text)
            header_font = header.font()
            header_font.setWeight(QFont.Weight.DemiBold)
            header.setFont(header_font)
            grid.addWidget(header, 0, column)
        for row, item in enumerate(self._conflict.fields, start=1):
            grid.addWidget(QLabel(field_label(item.field)), row, 0)
            group = QButtonGroup(self)
            group.setExclusive(True)
            for side, value in ((LOCAL, item.local), (REMOTE, item.remote)):
                button = self._radio(item, side, value)
                group.addButton(button, side)
                grid.addWidget(button, row, 1 + side)
            other = QRadioButton()
            other.setAccessibleName(self.tr("{0}: another value").format(field_label(item.field)))
            group.addButton(other, OTHER)
            box = self._other_box(item)
            box.currentTextChanged.connect(lambda _text, button=other: button.setChecked(True))
            box.currentTextChanged.connect(lambda _text: self._update_apply())
            cell = QHBoxLayout()
            cell.setSpacing(4)
            cell.addWidget(other)
            cell.addWidget(box, 1)
            grid.addLayout(cell, row, 3)
            group.idToggled.connect(lambda _id, _checked: self._update_apply())
            self._groups[item.field] = group
        for column in (1, 2, 3):
            grid.setColumnStretch(column, 1)
        return grid

    def _other_box(self, item: FieldConflict) -> QComboBox:
        """Handoff's stages, priorities or tiers to pick from; a team, person or area typed in."""
        box = QComboBox()
        box.setAccessibleName(self.tr("{0}: the other value").format(field_label(item.field)))
        choices: list[tuple[str, str]] = []
        if item.field == "stage":
            choices = [(stage.value, stage_label(stage)) for stage in Stage]
        elif item.field == "priority":
            choices = [(level.value, priority_label(level)) for level in Priority]
        elif item.field == "tier":
            choices = [(tier, tier) for tier in TIERS]
        else:
            box.setEditable(True)
            line = box.lineEdit()
            if line is not None:
                line.setPlaceholderText(self.tr("Name, key or e-mail"))
        for value, label in choices:
            box.addItem(label, value)
        box.setCurrentIndex(-1)
        self._others[item.field] = box
        return box

    def _other_value(self, field: str) -> str | None:
        box = self._others[field]
        if box.isEditable():
            return box.currentText().strip() or None
        value = box.currentData()
        return str(value) if value is not None else None

    def _radio(self, item: FieldConflict, side: int, value: str | None) -> QRadioButton:
        text = value_text(item.field, value)
        button = QRadioButton(text)
        whose = self.tr("Handoff") if side == LOCAL else self.helpdesk
        button.setAccessibleName(
            self.tr("{0}: keep {1}'s value {2}").format(field_label(item.field), whose, text)
        )
        return button

    def _update_apply(self) -> None:
        self.apply_button.setEnabled(len(self.chosen()) == len(self._conflict.fields))

    def _on_write_result(self, outcome: ChangeSet | str) -> None:
        if isinstance(outcome, str):
            self.problem.setText(outcome)
            self.problem.setVisible(True)
            self.problem_shown.emit(outcome)
            self._update_apply()
            return
        self.completed.emit(outcome)
        self.accept()
