"""The command palette (Ctrl+K): every action available in the current view, found by typing.

Typing filters by name (all words as substrings first, then the letters in
order, so "prpres" finds "Propose Resolution"); each entry shows its shortcut.
Up/Down move, Enter runs the action, Esc closes. Disabled actions are not
listed. The palette is opened with ``open()``, never ``exec()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ui.actions import ActionRegistry
from ui.dialogs.form_dialog import secondary_label

AnyIndex = QModelIndex | QPersistentModelIndex
ACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SHORTCUT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class PaletteEntry:
    """One listed action."""

    action_id: str
    name: str
    shortcut: str


def match_rank(query: str, name: str) -> int | None:
    """How well ``name`` matches ``query`` (lower is better), or None when it does not match.

    0: the name starts with the query; 1: every word of the query is in the name;
    2: the query's letters appear in the name in order (a fuzzy match).
    """
    needle = query.strip().casefold()
    haystack = name.casefold()
    if not needle:
        return 0
    if haystack.startswith(needle):
        return 0
    if all(word in haystack for word in needle.split()):
        return 1
    position = 0
    for char in needle.replace(" ", ""):
        position = haystack.find(char, position)
        if position < 0:
            return None
        position += 1
    return 2


class PaletteModel(QAbstractListModel):
    """The entries matching the typed text, best first (stable within a rank)."""

    def __init__(self, entries: list[PaletteEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all = entries
        self._shown = list(entries)

    def set_filter(self, text: str) -> None:
        """Show only the entries matching ``text``."""
        ranked = [(match_rank(text, entry.name), order, entry) for order, entry in enumerate(self._all)]
        self.beginResetModel()
        self._shown = [entry for rank, _order, entry in sorted(r for r in ranked if r[0] is not None)]
        self.endResetModel()

    def entry(self, row: int) -> PaletteEntry:
        """The entry at ``row``."""
        return self._shown[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        entry = self._shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return entry.name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{entry.name}, {entry.shortcut}" if entry.shortcut else entry.name
        if role == ACTION_ID_ROLE:
            return entry.action_id
        if role == SHORTCUT_ROLE:
            return entry.shortcut
        return None


class PaletteDelegate(QStyledItemDelegate):
    """Draws a command's name on the left and its shortcut, quieter, on the right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        shortcut = index.data(SHORTCUT_ROLE) or ""
        name_option = QStyleOptionViewItem(option)
        self.initStyleOption(name_option, index)
        style = option.widget.style() if option.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, name_option, painter, option.widget)
        if not shortcut:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, option.widget) + 6
        area = option.rect.adjusted(0, 0, -margin, 0)
        painter.save()
        painter.setPen(option.palette.color(role))
        painter.drawText(area, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), shortcut)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), option.fontMetrics.lineSpacing() + 10))


class CommandPalette(QDialog):
    """A search box over the window's available actions.

    Signals:
        action_chosen(str): the user ran the action with this id (it runs once the palette closed).
    """

    action_chosen = Signal(str)

    def __init__(self, registry: ActionRegistry, *, exclude: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self.setWindowTitle(self.tr("Command Palette"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        entries = [
            PaletteEntry(spec.id, spec.plain_text, registry.shortcut_text(spec.id))
            for spec in registry.available()
            if spec.id != exclude
        ]
        self.model = PaletteModel(entries, self)
        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Search commands"))
        self.search.setPlaceholderText(self.tr("Type a command…"))
        self.search.setClearButtonEnabled(True)
        self.list = QListView()
        self.list.setAccessibleName(self.tr("Commands"))
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(PaletteDelegate(self.list))
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the search box
        self._empty = secondary_label(self.tr("No command matches."))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setVisible(False)
        hint = QLabel(self.tr("↑↓ to choose · Enter to run · Esc to close"))
        hint.setForegroundRole(self._empty.foregroundRole())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self._empty)
        layout.addWidget(hint)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.installEventFilter(self)
        self.list.activated.connect(self._on_list_activated)
        self.list.clicked.connect(self._on_list_activated)
        char = self.fontMetrics().averageCharWidth()
        self.resize(char * 90, self.fontMetrics().lineSpacing() * 26)
        self._select_first()

    def current_action_id(self) -> str | None:
        """The id of the highlighted entry, if any."""
        index = self.list.currentIndex()
        return index.data(ACTION_ID_ROLE) if index.isValid() else None

    def listed_names(self) -> list[str]:
        """The names listed, in order."""
        return [self.model.entry(row).name for row in range(self.model.rowCount())]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(key)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._run_current()
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        row = max(self.list.currentIndex().row(), 0)
        steps: dict[int, int] = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: 8,
            Qt.Key.Key_PageUp: -8,
        }
        step = steps[key]
        self.list.setCurrentIndex(self.model.index(min(max(row + step, 0), rows - 1), 0))

    def _select_first(self) -> None:
        has_rows = self.model.rowCount() > 0
        if has_rows:
            self.list.setCurrentIndex(self.model.index(0, 0))
        self._empty.setVisible(not has_rows)
        self.list.setVisible(has_rows)

    def _run_current(self) -> None:
        action_id = self.current_action_id()
        if action_id is None:
            return
        self.accept()
        self.action_chosen.emit(action_id)
        # After the palette is gone, so a dialog the action opens gets the focus.
        registry = self._registry
        QTimer.singleShot(0, registry, lambda: registry.trigger(action_id))

    def _on_search_text_changed(self, text: str) -> None:
        self.model.set_filter(text)
        self._select_first()

    def _on_list_activated(self, index: QModelIndex) -> None:
        self.list.setCurrentIndex(index)
        self._run_current()
