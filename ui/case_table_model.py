"""CaseTableModel: what every flat, read-only table of cases shares (counts, flags, column titles)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex


class CaseTableModel(QAbstractTableModel):
    """A flat table of cases with fixed columns; subclasses say how many rows and what each cell shows.

    ``titles`` maps each column to its (translatable, ``QT_TRANSLATE_NOOP``-marked) title,
    translated in the subclass's context.
    """

    def __init__(self, titles: Mapping[int, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._titles = dict(titles)

    def row_count(self) -> int:
        """How many cases the table shows."""
        raise NotImplementedError

    def column_title(self, section: int) -> str:
        """The translated title of column ``section``."""
        return self.tr(self._titles[section])

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._titles)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._titles):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.column_title(section)
        return None
