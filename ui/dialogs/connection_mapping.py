"""The field mapping of a helpdesk connection as an editable table: stages, statuses, priorities, teams.

:class:`MappingModel` holds one :class:`MappingRow` per pair of a :class:`FieldMapping`; the
cell that belongs to the helpdesk side of a stage or priority row is editable, as is the
Handoff stage a pulled status takes, and both cells of a team row. Stage and priority cells are
edited with a list of Handoff's values (:class:`MappingDelegate`); the rest is free text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    Qt,
)
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from core.domain.enums import Priority, Stage
from core.remote.dtos import FieldMapping
from ui.labels import priority_label, stage_label
from ui.rows_model import AnyIndex, RowsTableModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("MappingModel", text)


class MappingKind(StrEnum):
    """What a row of the mapping maps."""

    STAGE = "stage"  # Handoff stage → helpdesk status (push)
    STATUS = "status"  # helpdesk status → Handoff stage (pull)
    PRIORITY = "priority"  # Handoff priority → helpdesk priority
    TEAM = "team"  # Handoff team key → helpdesk group id


_KIND_LABELS: dict[MappingKind, str] = {
    MappingKind.STAGE: QT_TRANSLATE_NOOP("MappingModel", "Stage is sent as status"),
    MappingKind.STATUS: QT_TRANSLATE_NOOP("MappingModel", "Status is pulled as stage"),
    MappingKind.PRIORITY: QT_TRANSLATE_NOOP("MappingModel", "Priority"),
    MappingKind.TEAM: QT_TRANSLATE_NOOP("MappingModel", "Team is sent as group"),
}


@dataclass(frozen=True)
class MappingRow:
    """One pair, with Handoff's side and the helpdesk's side named as such."""

    kind: MappingKind
    handoff: str
    helpdesk: str


def rows_of(mapping: FieldMapping) -> list[MappingRow]:
    """The table rows of ``mapping``, in its order."""
    return [
        *(MappingRow(MappingKind.STAGE, stage, status) for stage, status in mapping.stage_statuses),
        *(MappingRow(MappingKind.STATUS, stage, status) for status, stage in mapping.status_stages),
        *(MappingRow(MappingKind.PRIORITY, level, value) for level, value in mapping.priority_values),
        *(MappingRow(MappingKind.TEAM, team, group) for team, group in mapping.team_groups),
    ]


def mapping_of(
    rows: Sequence[MappingRow], *, tier_field_id: str | None, product_area_field_id: str | None
) -> FieldMapping:
    """The mapping the rows describe (team rows left blank on both sides are dropped)."""

    def pairs(kind: MappingKind) -> tuple[tuple[str, str], ...]:
        return tuple((row.handoff.strip(), row.helpdesk.strip()) for row in rows if row.kind is kind)

    return FieldMapping(
        stage_statuses=pairs(MappingKind.STAGE),
        status_stages=tuple((status, stage) for stage, status in pairs(MappingKind.STATUS)),
        team_groups=tuple(pair for pair in pairs(MappingKind.TEAM) if any(pair)),
        tier_field_id=tier_field_id,
        product_area_field_id=product_area_field_id,
        priority_values=pairs(MappingKind.PRIORITY),
    )


def _handoff_label(kind: MappingKind, value: str) -> str:
    if kind in (MappingKind.STAGE, MappingKind.STATUS) and value in Stage._value2member_map_:
        return stage_label(Stage(value))
    if kind is MappingKind.PRIORITY and value in Priority._value2member_map_:
        return priority_label(Priority(value))
    return value


class MappingModel(RowsTableModel):
    """The editable mapping table: what is mapped, Handoff's value, the helpdesk's value."""

    KIND, HANDOFF, HELPDESK = range(3)

    def __init__(self, helpdesk: str, parent: QWidget | None = None) -> None:
        super().__init__((_tr("Mapping"), _tr("Handoff"), helpdesk), parent)
        self._rows: list[MappingRow] = []

    @property
    def rows(self) -> list[MappingRow]:
        """The rows as edited."""
        return list(self._rows)

    def set_rows(self, rows: Sequence[MappingRow]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def add_team_row(self) -> QModelIndex:
        """Append an empty team row; the index of its Handoff cell (to start editing)."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(MappingRow(MappingKind.TEAM, "", ""))
        self.endInsertRows()
        return self.index(row, self.HANDOFF)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.is_editable(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def is_editable(self, index: AnyIndex) -> bool:
        """Whether the cell at ``index`` may be changed (the fixed side of a pair may not)."""
        kind = self._rows[index.row()].kind
        column = index.column()
        if kind is MappingKind.TEAM:
            return column in (self.HANDOFF, self.HELPDESK)
        if kind is MappingKind.STATUS:
            return column == self.HANDOFF
        return column == self.HELPDESK

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole:
            return (
                row.handoff if column == self.HANDOFF else row.helpdesk if column == self.HELPDESK else None
            )
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.KIND:
                return QCoreApplication.translate("MappingModel", _KIND_LABELS[row.kind])
            if column == self.HANDOFF:
                return _handoff_label(row.kind, row.handoff)
            return row.helpdesk
        if role == Qt.ItemDataRole.ToolTipRole and self.is_editable(index):
            return self.tr("Press F2 or Enter to change")
        return None

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.is_editable(index):
            return False
        text = str(value or "").strip()
        row = self._rows[index.row()]
        edited = replace(row, handoff=text) if index.column() == self.HANDOFF else replace(row, helpdesk=text)
        if edited == row:
            return False
        self._rows[index.row()] = edited
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def kind(self, row: int) -> MappingKind:
        """What row ``row`` maps."""
        return self._rows[row].kind


class MappingDelegate(QStyledItemDelegate):
    """Edits Handoff's stages and priorities with a list of the known values, the rest as text."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        model = index.model()
        choices = self._choices(model, index)
        if not choices:
            return super().createEditor(parent, option, index)
        box = QComboBox(parent)
        box.setAccessibleName(self.tr("Handoff value"))
        for value, label in choices:
            box.addItem(label, value)
        return box

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)

    @staticmethod
    def _choices(model: QAbstractItemModel, index: AnyIndex) -> list[tuple[str, str]]:
        if not isinstance(model, MappingModel) or index.column() != MappingModel.HANDOFF:
            return []
        if model.kind(index.row()) is MappingKind.STATUS:
            return [(stage.value, stage_label(stage)) for stage in Stage]
        return []
