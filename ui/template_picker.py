"""TemplatePicker: a searchable list of message templates, driven from the keyboard."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QVBoxLayout, QWidget

from core.config.model import MessageTemplate

_TEMPLATE_ROLE = Qt.ItemDataRole.UserRole + 1


class TemplatePicker(QWidget):
    """A searchable list of message templates: type to filter, Up/Down to pick, Enter to insert.

    Signals:
        template_chosen(object): the :class:`MessageTemplate` to insert.
        dismissed(): the user closed the picker without choosing (Esc).
    """

    template_chosen = Signal(object)
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStandardItemModel(self)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self._model)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._filter = QLineEdit()
        self._filter.setPlaceholderText(self.tr("Search templates"))
        self._filter.setAccessibleName(self.tr("Search templates"))
        self._filter.setClearButtonEnabled(True)
        self._filter.textChanged.connect(self._on_filter_text_changed)
        self._filter.installEventFilter(self)
        self._list = QListView()
        self._list.setAccessibleName(self.tr("Templates"))
        self._list.setModel(self._proxy)
        self._list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._list.activated.connect(self._on_list_activated)
        self._list.setMaximumHeight(self._list.fontMetrics().height() * 8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._filter)
        layout.addWidget(self._list)

    @property
    def filter_edit(self) -> QLineEdit:
        """The search field."""
        return self._filter

    def set_templates(self, templates: Sequence[MessageTemplate]) -> None:
        """Offer ``templates``, in the order given."""
        self._model.clear()
        for template in templates:
            item = QStandardItem(template.name)
            item.setData(template, _TEMPLATE_ROLE)
            item.setToolTip(template.body)
            self._model.appendRow(item)
        self._select_first()

    def visible_names(self) -> list[str]:
        """The names of the templates that match the search, in order."""
        return [str(self._proxy.index(row, 0).data()) for row in range(self._proxy.rowCount())]

    def open_picker(self) -> None:
        """Show the picker with an empty search, the keyboard in the search field."""
        self._filter.clear()
        self.show()
        self._select_first()
        self._filter.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def choose_current(self) -> None:
        """Insert the selected template (the first match if none is selected)."""
        index = self._list.currentIndex()
        if not index.isValid():
            index = self._proxy.index(0, 0)
        if index.isValid():
            self._on_list_activated(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._filter and event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                event.accept()  # Esc closes the picker here; it must not reach a window shortcut (Back)
                return False
        if watched is self._filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self._list.currentIndex().row() + step, 0), self._proxy.rowCount() - 1)
                self._list.setCurrentIndex(self._proxy.index(row, 0))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose_current()
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                self.dismissed.emit()
                return True
        return False

    def _on_filter_text_changed(self, text: str) -> None:
        self._proxy.setFilterFixedString(text.strip())
        self._select_first()

    def _select_first(self) -> None:
        self._list.setCurrentIndex(self._proxy.index(0, 0))

    def _on_list_activated(self, index: QModelIndex) -> None:
        template = index.data(_TEMPLATE_ROLE)
        if isinstance(template, MessageTemplate):
            self.hide()
            self.template_chosen.emit(template)
