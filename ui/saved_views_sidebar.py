"""The inbox sidebar: the saved views as a list, each with its case count right-aligned."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from core.domain.enums import SavedView
from ui.saved_views_model import COUNT_TEXT_ROLE, SavedViewsModel
from ui.tones import mix

COUNT_MARGIN = 10


class SavedViewDelegate(QStyledItemDelegate):
    """Paints the view's name as usual and its count right-aligned in a quieter colour."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().paint(painter, option, index)  # background, selection, focus and the name
        count = index.data(COUNT_TEXT_ROLE)
        if not count:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        color = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        if not selected:
            color = mix(color, option.palette.color(QPalette.ColorRole.Base), 0.4)
        painter.save()
        painter.setPen(color)
        painter.drawText(
            option.rect.adjusted(0, 0, -COUNT_MARGIN, 0),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            count,
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        count = index.data(COUNT_TEXT_ROLE) or ""
        width = size.width() + option.fontMetrics.horizontalAdvance(count) + 2 * COUNT_MARGIN
        return QSize(width, max(size.height(), option.fontMetrics.height() + 14))


class SavedViewsSidebar(QListView):
    """The list of saved views; selecting one (mouse or keyboard) reports it.

    Signals:
        view_selected(SavedView): the user picked a saved view.
    """

    view_selected = Signal(object)

    def __init__(self, model: SavedViewsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._views = model
        self.setModel(model)
        self.setItemDelegate(SavedViewDelegate(self))
        self.setAccessibleName(self.tr("Saved views"))
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.setUniformItemSizes(True)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # a narrow sidebar elides
        self.viewport().setAutoFillBackground(False)
        self.selectionModel().currentRowChanged.connect(self._on_selection_current_row_changed)

    def select_view(self, view: SavedView) -> None:
        """Highlight ``view`` without reporting it as a user's choice."""
        index = self._views.index(self._views.row_of(view))
        if self.currentIndex() == index:
            return
        self.blockSignals(True)
        selection = self.selectionModel()
        selection.blockSignals(True)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        selection.blockSignals(False)
        self.blockSignals(False)
        self.viewport().update()

    def _on_selection_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.view_selected.emit(self._views.view_at(current.row()))
