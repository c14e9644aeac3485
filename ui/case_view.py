"""CaseView: one case with its whole context: header, timeline, escalations and notes.

``show_case`` loads through :class:`DataAccess` with the key ``"case"``, so
opening another case supersedes a load in flight. While loading it shows
"Loading…"; a case that no longer exists gets a clear message. When a change
set names the case shown, it reloads in place (keeping the scroll positions).

Below the timeline sit the :class:`Composer` (replies and internal notes) and the
:class:`NoteEditor` (investigation notes); opening a case restores their drafts (key
``"case-drafts"``), and leaving it saves them first. ``start_reply``, ``start_internal_note`` and
``start_investigation_note`` are the entry points the R / Shift+R / N shortcuts call.
"""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.communication.attachments import workspace_attachments_dir
from core.communication.drafts import load_my_drafts
from core.domain.changes import ChangeSet
from core.domain.dtos import CaseDetail, CaseDrafts
from core.domain.enums import DraftChannel
from core.queries.case_detail import CaseNotFoundError, load_case
from ui.case_header import CaseHeaderWidget
from ui.case_side_panel import CaseSidePanel
from ui.composer import Composer
from ui.data_access import DataAccess, describe_error
from ui.note_editor import NoteEditor
from ui.summary_html import CASE_SCHEME, EVENT_SCHEME, linked_id
from ui.timeline_view import TimelineView

CASE_KEY = "case"
DRAFTS_KEY = "case-drafts"


class CaseView(QWidget):
    """The case screen.

    Signals:
        case_loaded(int): the case (its id) is shown, after ``show_case``.
        back_requested(): the user asked to go back to the inbox (Esc or the back button).
        link_activated(QUrl): the user clicked a web or mail link in the timeline or the side panel.
        case_link_activated(int): the user clicked another case (a similar resolved case): its id.
        drafts_restored(int): the composer and note editor hold the saved drafts of the case (its id).
    """

    case_loaded = Signal(int)
    back_requested = Signal()
    link_activated = Signal(QUrl)
    case_link_activated = Signal(int)
    drafts_restored = Signal(int)

    def __init__(
        self, data: DataAccess, *, file_executor: Executor | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._data = data
        if file_executor is None:
            # Attachments are copied off the UI thread; this view owns the executor if nobody passed one.
            owned = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handoff-files")
            self.destroyed.connect(lambda: owned.shutdown(wait=False))
            file_executor = owned
        self._composer = Composer(data, file_executor=file_executor)
        self._note_editor = NoteEditor(data)
        self._composer.message_sent.connect(self._on_written)
        self._note_editor.note_saved.connect(self._on_written)
        self._attachments_dir: Path | None = None
        self._reveal_newest = False
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
        self._side = CaseSidePanel(data)
        self._timeline.link_activated.connect(self._on_link_activated)
        self._side.link_activated.connect(self._on_link_activated)

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

    @property
    def composer(self) -> Composer:
        """The reply and internal-note composer."""
        return self._composer

    @property
    def note_editor(self) -> NoteEditor:
        """The investigation-note editor."""
        return self._note_editor

    def show_case(self, case_id: int) -> None:
        """Load and show case ``case_id``; ``case_loaded`` follows once it is on screen.

        The drafts of the case shown before are saved first; the new case's drafts are restored
        (``drafts_restored`` comes before ``case_loaded``).
        """
        self._composer.clear_case()
        self._note_editor.clear_case()
        self._reveal_newest = False
        self._case_id = case_id
        self._announce = True
        self._stack.setCurrentWidget(self._loading)
        # Drafts first: results arrive in order, so the editors are ready when the case appears.
        if self._attachments_dir is None:
            self._data.read(workspace_attachments_dir, on_result=self._on_attachments_dir_loaded)
        self._data.read(load_my_drafts, case_id, on_result=self._on_drafts_loaded, key=DRAFTS_KEY)
        self._load()

    def start_reply(self) -> None:
        """Write a public reply to the customer (shortcut R)."""
        self._start_composer(DraftChannel.PUBLIC_REPLY)

    def start_internal_note(self) -> None:
        """Write an internal note for the team (shortcut Shift+R)."""
        self._start_composer(DraftChannel.INTERNAL_NOTE)

    def start_investigation_note(self) -> None:
        """Write an investigation note (shortcut N)."""
        self._tabs.setCurrentWidget(self._note_editor)
        self._note_editor.start()

    def flush_drafts(self) -> None:
        """Save what is typed in the composer and the note editor now (before quitting)."""
        self._composer.flush_draft()
        self._note_editor.flush_draft()

    def _start_composer(self, channel: DraftChannel) -> None:
        self._tabs.setCurrentWidget(self._composer)
        self._composer.start(channel)

    def _on_link_activated(self, url: QUrl) -> None:
        event_id = linked_id(url, EVENT_SCHEME)
        case_id = linked_id(url, CASE_SCHEME)
        if event_id is not None:
            self._timeline.scroll_to_event(event_id)
        elif case_id is not None:
            self.case_link_activated.emit(case_id)
        else:
            self.link_activated.emit(url)

    def _on_written(self, case_id: int) -> None:
        # The reload this write causes shows the new, pending event: scroll down to it.
        self._reveal_newest = case_id == self._case_id

    def _on_attachments_dir_loaded(self, directory: Path) -> None:
        self._attachments_dir = directory
        self._composer.set_attachments_dir(directory)

    def _on_drafts_loaded(self, drafts: CaseDrafts) -> None:
        if drafts.case_id != self._case_id:
            return
        self._composer.set_case(drafts)
        self._note_editor.set_case(drafts)
        self.drafts_restored.emit(drafts.case_id)

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
        self._composer.set_header(detail.header)
        self._timeline.set_events(detail.timeline, keep_position=same_case)
        if self._reveal_newest and same_case:
            self._reveal_newest = False
            scroll = self._timeline.browser.verticalScrollBar()
            scroll.setValue(scroll.maximum())
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
        self._tabs = QTabWidget()
        self._tabs.setDocumentMode(True)
        self._tabs.addTab(self._composer, self.tr("&Reply"))
        self._tabs.addTab(self._note_editor, self.tr("Investigation &note"))
        work = QSplitter(Qt.Orientation.Vertical)
        work.setChildrenCollapsible(False)
        work.addWidget(self._timeline)
        work.addWidget(self._tabs)
        work.setStretchFactor(0, 3)
        work.setStretchFactor(1, 2)
        line = self.fontMetrics().height()
        work.setSizes([line * 30, line * 14])
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(work)
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
