"""CaseView: one case with its whole context: header, timeline, escalations and notes.

``show_case`` loads through :class:`DataAccess` with the key ``"case"``, so
opening another case supersedes a load in flight. While loading it shows
"Loading…"; a case that no longer exists gets a clear message. When a change
set names the case shown, it reloads in place (keeping the scroll positions).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.domain.changes import ChangeSet
from core.domain.dtos import CaseDetail
from core.queries.case_detail import CaseNotFoundError, load_case
from ui.case_header import CaseHeaderWidget
from ui.case_side_panel import CaseSidePanel
from ui.data_access import DataAccess, describe_error
from ui.timeline_view import TimelineView

CASE_KEY = "case"


class CaseView(QWidget):
    """The case screen.

    Signals:
        case_loaded(int): the case (its id) is shown, after ``show_case``.
        back_requested(): the user asked to go back to the inbox (Esc or the back button).
        link_activated(QUrl): the user clicked a link in the timeline or the side panel.
    """

    case_loaded = Signal(int)
    back_requested = Signal()
    link_activated = Signal(QUrl)

    def __init__(self, data: DataAccess, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._case_id: int | None = None
        self._shown_id: int | None = None
        self._announce = False

        self._back = QToolButton()
        self._back.setText(self.tr("‹ Inbox"))
        self._back.setToolTip(self.tr("Back to the inbox (Esc)"))
        self._back.setAccessibleName(self.tr("Back to the inbox"))
        self._back.setAutoRaise(True)
        self._back.clicked.connect(self.back_requested)
        self._header = CaseHeaderWidget()
        self._timeline = TimelineView()
        self._side = CaseSidePanel()
        self._timeline.link_activated.connect(self.link_activated)
        self._side.link_activated.connect(self.link_activated)

        self._loading = self._message_page(self.tr("Loading…"))
        self._missing_label = QLabel()
        self._missing = self._message_page("", label=self._missing_label, with_back=True)
        self._content = self._content_page()
        self._stack = QStackedWidget()
        for page in (self._loading, self._missing, self._content):
            self._stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        data.changes_applied.connect(self._on_data_changes_applied)

    @property
    def case_id(self) -> int | None:
        """The case shown or being loaded."""
        return self._case_id

    @property
    def timeline(self) -> TimelineView:
        """The timeline widget."""
        return self._timeline

    @property
    def side_panel(self) -> CaseSidePanel:
        """The escalations-and-notes panel."""
        return self._side

    @property
    def message(self) -> str:
        """The text of the "Loading…" or "no longer exists" page, or "" when the case is shown."""
        if self._stack.currentWidget() is self._content:
            return ""
        if self._stack.currentWidget() is self._loading:
            return self.tr("Loading…")
        return self._missing_label.text()

    def show_case(self, case_id: int) -> None:
        """Load and show case ``case_id``; ``case_loaded`` follows once it is on screen."""
        self._case_id = case_id
        self._announce = True
        self._stack.setCurrentWidget(self._loading)
        self._load()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.back_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _load(self) -> None:
        if self._case_id is None:
            return
        self._data.read(
            load_case,
            self._case_id,
            on_result=self._on_case_loaded,
            on_error=self._on_case_error,
            key=CASE_KEY,
        )

    def _on_case_loaded(self, detail: CaseDetail) -> None:
        if detail.header.id != self._case_id:
            return
        same_case = self._shown_id == detail.header.id and not self._announce
        self._header.set_header(detail.header)
        self._timeline.set_events(detail.timeline, keep_position=same_case)
        self._side.set_detail(detail, keep_position=same_case)
        self._shown_id = detail.header.id
        self._stack.setCurrentWidget(self._content)
        if self._announce:
            self._announce = False
            self.case_loaded.emit(detail.header.id)

    def _on_case_error(self, error: BaseException) -> None:
        self._announce = False
        self._shown_id = None
        if isinstance(error, CaseNotFoundError):
            text = self.tr(
                "This case no longer exists in the workspace.\nIt may have been deleted or merged."
            )
        else:
            text = self.tr("The case could not be loaded: {0}").format(describe_error(error))
        self._missing_label.setText(text)
        self._stack.setCurrentWidget(self._missing)

    def _on_data_changes_applied(self, changes: ChangeSet) -> None:
        if self._case_id is None or not self.isVisible():
            return
        if self._case_id in changes.cases_removed:
            self._on_case_error(CaseNotFoundError(str(self._case_id)))
        elif self._case_id in changes.cases or changes.workspace_reset:
            self._load()  # in place: no "Loading…" page, scroll positions kept

    def _message_page(self, text: str, *, label: QLabel | None = None, with_back: bool = False) -> QWidget:
        page = QWidget()
        label = label or QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # secondary text
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(label)
        if with_back:
            button = QPushButton(self.tr("Back to the inbox"))
            button.clicked.connect(self.back_requested)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(button)
            row.addStretch(1)
            layout.addSpacing(12)
            layout.addLayout(row)
        layout.addStretch(2)
        return page

    def _content_page(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._timeline)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self._side)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        char = self.fontMetrics().averageCharWidth()
        splitter.setSizes([char * 120, char * 48])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(14, 8, 14, 12)
        layout.setSpacing(10)
        back_row = QHBoxLayout()
        back_row.addWidget(self._back)
        back_row.addStretch(1)
        layout.addLayout(back_row)
        layout.addWidget(self._header)
        layout.addWidget(splitter, 1)
        return page
