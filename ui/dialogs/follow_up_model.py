"""FollowUpModel: the closure form's editable table of follow-up actions (text, owner, due date)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QObject, QPersistentModelIndex, Qt

from ui.formatting import format_date

AnyIndex = QModelIndex | QPersistentModelIndex


class FollowUpColumn(IntEnum):
    """The table's columns."""

    TEXT = 0
    OWNER = 1
    DUE = 2


@dataclass(frozen=True)
class FollowUpEntry:
    """One follow-up action as typed in the form."""

    text: str = ""
    owner: str = ""
    due_date: date | None = None


class FollowUpModel(QAbstractTableModel):
    """An editable list of :class:`FollowUpEntry`; the due date edits as a date."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[FollowUpEntry] = []
        self._headers = {
            FollowUpColumn.TEXT: self.tr("Action"),
            FollowUpColumn.OWNER: self.tr("Owner"),
            FollowUpColumn.DUE: self.tr("Due date"),
        }

    @property
    def entries(self) -> tuple[FollowUpEntry, ...]:
        """The rows, in order."""
        return tuple(self._entries)

    def add(self, entry: FollowUpEntry) -> int:
        """Append ``entry``; returns its row."""
        row = len(self._entries)
        self.beginInsertRows(QModelIndex(), row, row)
        self._entries.append(entry)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        """Remove the row ``row`` (if it exists)."""
        if 0 <= row < len(self._entries):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._entries[row]
            self.endRemoveRows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FollowUpColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers.get(FollowUpColumn(section)) if 0 <= section < len(FollowUpColumn) else None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = FollowUpColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is FollowUpColumn.DUE:
                return format_date(entry.due_date) if entry.due_date else ""
            return entry.text if column is FollowUpColumn.TEXT else entry.owner
        if role == Qt.ItemDataRole.EditRole:
            if column is FollowUpColumn.DUE:
                due = entry.due_date or date.today()
                return QDate(due.year, due.month, due.day)
            return entry.text if column is FollowUpColumn.TEXT else entry.owner
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return None

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        entry = self._entries[index.row()]
        column = FollowUpColumn(index.column())
        if column is FollowUpColumn.DUE:
            if isinstance(value, QDate):
                entry = replace(entry, due_date=date(value.year(), value.month(), value.day()))
            elif isinstance(value, date):
                entry = replace(entry, due_date=value)
            else:
                return False
        elif column is FollowUpColumn.TEXT:
            entry = replace(entry, text=str(value).strip())
        else:
            entry = replace(entry, owner=str(value).strip())
        self._entries[index.row()] = entry
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True
