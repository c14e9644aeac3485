"""Composer: a public reply or an internal note in Markdown, with templates, attachments and autosave.

What is typed is saved as a draft after a 300 ms pause, and at once when the editor loses focus,
when another case is opened and when the window closes, so a crash or a kill never loses more than
the last pause. ``Ctrl+Enter`` sends: the message lands in the timeline at once, marked pending,
and the draft is discarded in the same transaction. Attachments come from a file picker or are
dropped on the editor; files are copied into the workspace on a helper executor, never on the UI
thread. A template fills in its placeholders from the case; the "request information" template
also moves the case to *awaiting customer* when the message is sent.
"""

from __future__ import annotations

import contextlib
import mimetypes
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.communication.attachments import (
    MAX_ATTACHMENT_BYTES,
    StoredFile,
    attach_to_draft,
    remove_draft_attachment,
    store_attachment_file,
)
from core.communication.drafts import save_draft
from core.communication.errors import AttachmentError
from core.communication.messages import OutgoingMessage, send_message
from core.communication.refusals import Refusal, attempt
from core.config.model import MessageTemplate, WorkspaceConfig
from core.config.placeholders import render_template
from core.config.storage import load_config
from core.db.types import utc_now
from core.domain.dtos import Attachment, CaseDrafts, CaseHeader
from core.domain.enums import DraftChannel, Stage
from core.queries.case_detail import CaseNotFoundError
from core.workflow.errors import IllegalTransitionError
from core.workflow.stages import check_transition
from ui.data_access import DataAccess, describe_error
from ui.formatting import format_file_size
from ui.labels import stage_label

AUTOSAVE_PAUSE_MS = 300
SAVE_RETRY_MS = 5000
SEND_SHORTCUTS = ("Ctrl+Return", "Ctrl+Enter")
_MOVES_TO_STAGE = "moves_to_stage"
_TEMPLATE_ROLE = Qt.ItemDataRole.UserRole + 1
_ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 2

Clock = Callable[[], datetime]


def local_files(mime: QMimeData) -> list[Path]:
    """The local files a drag carries (web links and plain text are not files)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def guess_content_type(path: Path) -> str:
    """The MIME type of a file by its name (``application/octet-stream`` when unknown)."""
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class DraftAutosave(QObject):
    """Saves an editor's text as a draft after a pause in typing, and at once on focus-out or ``flush``.

    Signals:
        saved(int): a draft of the case (its id) was written to the database.
        failed(str): a draft could not be written (disk full, database locked); the text stays in the
            editor and is saved again at the next pause or focus change. The message is for the user.
    """

    saved = Signal(int)
    failed = Signal(str)

    def __init__(
        self,
        data: DataAccess,
        editor: QPlainTextEdit,
        channel: DraftChannel,
        meta: Callable[[], Mapping[str, object]],
        *,
        now: Clock = utc_now,
        pause_ms: int = AUTOSAVE_PAUSE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._data = data
        self._editor = editor
        self._channel = channel
        self._meta = meta
        self._now = now
        self._case_id: int | None = None
        self._author_id: int | None = None
        self._dirty = False
        self._quiet = 0
        self._pause_ms = pause_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        editor.textChanged.connect(self._on_editor_text_changed)
        editor.installEventFilter(self)

    @property
    def channel(self) -> DraftChannel:
        """The channel drafts are saved under."""
        return self._channel

    @property
    def is_dirty(self) -> bool:
        """Whether there are changes not yet handed to the database."""
        return self._dirty

    def bind(self, case_id: int | None, author_id: int | None) -> None:
        """Save drafts of ``case_id`` by ``author_id`` from now on (None: save nothing)."""
        self._timer.stop()
        self._dirty = False
        self._case_id = case_id
        self._author_id = author_id

    def set_channel(self, channel: DraftChannel) -> None:
        """Save under ``channel`` from now on (call :meth:`flush` first to keep the old channel's text)."""
        self._channel = channel

    @contextlib.contextmanager
    def quietly(self) -> Iterator[None]:
        """Text changes made inside this block (restoring, clearing) are not saved."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def mark_dirty(self) -> None:
        """Something besides the text changed (note kind, template): save after the pause."""
        if self._case_id is None or self._quiet:
            return
        self._dirty = True
        self._timer.start(self._pause_ms)

    def forget(self) -> None:
        """Drop unsaved changes (the text was sent or saved another way)."""
        self._timer.stop()
        self._dirty = False

    def flush(self) -> None:
        """Hand the unsaved text to the database now; the DB thread writes it before any later work."""
        self._timer.stop()
        if not self._dirty or self._case_id is None:
            return
        self._dirty = False
        case_id = self._case_id
        self._data.write(
            save_draft,
            case_id,
            self._author_id,
            self._channel,
            self._editor.toPlainText(),
            dict(self._meta()),
            self._now(),
            on_result=lambda _changes: self.saved.emit(case_id),
            on_error=lambda error: self._on_save_failed(case_id, error),
        )

    def _on_save_failed(self, case_id: int, error: BaseException) -> None:
        if case_id == self._case_id and not isinstance(error, CaseNotFoundError):
            self._dirty = True
            self._timer.start(SAVE_RETRY_MS)
        message = self.tr(
            "The draft could not be saved ({0}). It is still here and will be saved again shortly."
        )
        self.failed.emit(message.format(describe_error(error)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._editor and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    def _on_editor_text_changed(self) -> None:
        self.mark_dirty()


class ComposerTextEdit(QPlainTextEdit):
    """The Markdown editor of the composer; files dropped on it are attached, not pasted as paths.

    Signals:
        files_dropped(list): local file paths dropped or pasted on the editor.
    """

    files_dropped = Signal(list)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return bool(local_files(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if not files:
            super().insertFromMimeData(source)
            return
        # Drop handlers only schedule work: copying the files happens later, off the UI thread.
        QTimer.singleShot(0, lambda: self.files_dropped.emit(files))


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


@dataclass
class _ChannelDraft:
    """What the composer holds for one channel of the case shown."""

    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    moves_to_stage: Stage | None = None


class Composer(QWidget):
    """Writes and sends public replies and internal notes on one case.

    Signals:
        message_sent(int): a message on the case (its id) was written and queued for the helpdesk.
        draft_saved(int): the draft of the case (its id) was saved.
        attachments_changed(): a file was attached to the message or removed from it.
        status_changed(str): the line under the editor changed (an error, or what happened).
    """

    message_sent = Signal(int)
    draft_saved = Signal(int)
    attachments_changed = Signal()
    status_changed = Signal(str)
    # Emitted on the helper executor's thread when a file is stored; queued to the UI thread.
    _file_stored = Signal(object, object, object)

    def __init__(
        self,
        data: DataAccess,
        *,
        file_executor: Executor,
        templates: Sequence[MessageTemplate] | None = None,
        max_attachment_bytes: int = MAX_ATTACHMENT_BYTES,
        now: Clock = utc_now,
        autosave_pause_ms: int = AUTOSAVE_PAUSE_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data = data
        self._executor = file_executor
        self._templates = tuple(templates) if templates is not None else None
        self._max_bytes = max_attachment_bytes
        self._now = now
        self._case_id: int | None = None
        self._author_id: int | None = None
        self._header: CaseHeader | None = None
        self._attachments_dir: Path | None = None
        self._channel = DraftChannel.PUBLIC_REPLY
        self._drafts: dict[DraftChannel, _ChannelDraft] = {}
        self._sending = False

        self._public = self._channel_button(
            self.tr("&Public reply"), self.tr("A reply the customer will read (R)")
        )
        self._internal = self._channel_button(
            self.tr("Internal not&e"), self.tr("A note only the support team sees (Shift+R)")
        )
        self._public.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self._public)
        group.addButton(self._internal)
        group.buttonToggled.connect(self._on_channel_group_toggled)
        self._templates_button = QToolButton()
        self._templates_button.setText(self.tr("&Templates…"))
        self._templates_button.setToolTip(self.tr("Insert a message template"))
        self._templates_button.clicked.connect(self.open_templates)
        self._attach_button = QToolButton()
        self._attach_button.setText(self.tr("&Attach files…"))
        self._attach_button.setToolTip(
            self.tr("Attach files (or drop them on the editor), up to {0} each").format(
                format_file_size(max_attachment_bytes)
            )
        )
        self._attach_button.clicked.connect(self._on_attach_button_clicked)
        self._picker = TemplatePicker()
        self._picker.hide()
        self._picker.template_chosen.connect(self._on_picker_template_chosen)
        self._picker.dismissed.connect(self._on_picker_dismissed)

        self._editor = ComposerTextEdit()
        self._editor.setAccessibleName(self.tr("Message"))
        self._editor.setTabChangesFocus(True)
        self._editor.files_dropped.connect(self.add_files)
        self._autosave = DraftAutosave(
            data,
            self._editor,
            self._channel,
            self._draft_meta,
            now=now,
            pause_ms=autosave_pause_ms,
            parent=self,
        )
        self._autosave.saved.connect(self.draft_saved)
        self._autosave.failed.connect(self._set_status)

        self._stage_label = QLabel()
        self._stage_label.setWordWrap(True)
        self._keep_stage = QToolButton()
        self._keep_stage.setText(self.tr("Keep the stage"))
        self._keep_stage.setToolTip(self.tr("Send the message without changing the case's stage"))
        self._keep_stage.clicked.connect(self._on_keep_stage_clicked)
        self._attachment_model = QStandardItemModel(self)
        self._attachment_list = QListView()
        self._attachment_list.setAccessibleName(self.tr("Attached files"))
        self._attachment_list.setToolTip(self.tr("Press Delete to remove the selected file"))
        self._attachment_list.setModel(self._attachment_model)
        self._attachment_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._attachment_list.setMaximumHeight(self._attachment_list.fontMetrics().height() * 4)
        self._attachment_list.installEventFilter(self)
        self._status = QLabel()
        self._status.setWordWrap(True)
        self._status.setAccessibleName(self.tr("Composer status"))
        self._send = QPushButton(self.tr("Send"))
        self._send.setToolTip(self.tr("Send the message (Ctrl+Enter)"))
        self._send.clicked.connect(self.send)
        for sequence in SEND_SHORTCUTS:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.send)
        self._file_stored.connect(self._on_file_stored, Qt.ConnectionType.QueuedConnection)
        self._build_layout()
        self._show_channel_state()
        self.setAcceptDrops(True)
        self.setEnabled(False)

    # Public API ---------------------------------------------------------------------------------

    @property
    def editor(self) -> QPlainTextEdit:
        """The Markdown editor."""
        return self._editor

    @property
    def channel(self) -> DraftChannel:
        """Where the message being written goes (public reply or internal note)."""
        return self._channel

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        """The files attached to the message being written."""
        return tuple(self._current.attachments)

    @property
    def moves_to_stage(self) -> Stage | None:
        """The stage sending will move the case to, if a template asked for one."""
        return self._current.moves_to_stage

    @property
    def status_text(self) -> str:
        """The line under the editor."""
        return self._status.text()

    def channel_button(self, channel: DraftChannel) -> QToolButton:
        """The toggle that switches to ``channel`` (public reply or internal note)."""
        return self._public if channel is DraftChannel.PUBLIC_REPLY else self._internal

    @property
    def attachment_list(self) -> QListView:
        """The list of attached files (Delete removes the selected one)."""
        return self._attachment_list

    @property
    def template_picker(self) -> TemplatePicker:
        """The template list."""
        return self._picker

    def set_attachments_dir(self, directory: Path) -> None:
        """Where attached files are stored (the workspace's attachments folder)."""
        self._attachments_dir = directory

    def set_header(self, header: CaseHeader) -> None:
        """The case's header, for the template placeholders."""
        self._header = header

    def set_case(self, drafts: CaseDrafts) -> None:
        """Start writing on case ``drafts.case_id``, restoring its saved drafts."""
        self._autosave.flush()
        self._case_id = drafts.case_id
        self._author_id = drafts.author_id
        self._drafts = {}
        for channel in (DraftChannel.PUBLIC_REPLY, DraftChannel.INTERNAL_NOTE):
            saved = drafts.drafts.get(channel)
            state = _ChannelDraft()
            if saved is not None:
                state.text = saved.body
                state.attachments = list(saved.attachments)
                state.moves_to_stage = _stage_or_none(saved.meta.get(_MOVES_TO_STAGE))
            self._drafts[channel] = state
        public, internal = self._drafts[DraftChannel.PUBLIC_REPLY], self._drafts[DraftChannel.INTERNAL_NOTE]
        # A case opens on the public reply, unless only an internal note was being written.
        only_internal = bool(internal.text.strip()) and not public.text.strip()
        self._channel = DraftChannel.INTERNAL_NOTE if only_internal else DraftChannel.PUBLIC_REPLY
        for button, checked in ((self._public, not only_internal), (self._internal, only_internal)):
            blocked = button.blockSignals(True)
            button.setChecked(checked)
            button.blockSignals(blocked)
        self._autosave.set_channel(self._channel)
        self._autosave.bind(drafts.case_id, drafts.author_id)
        self._set_status("")
        self._show_channel_state()
        self.setEnabled(True)

    def clear_case(self) -> None:
        """Save what is unsaved and stop writing on the current case (another one is opening)."""
        self._autosave.flush()
        self._autosave.bind(None, None)
        self._case_id = None
        self._drafts = {}
        self._picker.hide()
        with self._autosave.quietly():
            self._editor.clear()
        self._show_channel_state()
        self.setEnabled(False)

    def flush_draft(self) -> None:
        """Save the draft now (focus leaves, the window closes)."""
        self._autosave.flush()

    def start(self, channel: DraftChannel) -> None:
        """Write a ``channel`` message: switch to it and put the keyboard in the editor."""
        self.set_channel(channel)
        self._editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_channel(self, channel: DraftChannel) -> None:
        """Switch between the public reply and the internal note (each keeps its own draft)."""
        if channel not in (DraftChannel.PUBLIC_REPLY, DraftChannel.INTERNAL_NOTE):
            raise ValueError(f"the composer does not write {channel.value} drafts")
        self.channel_button(channel).setChecked(True)  # the group's toggle switches the editor's text

    def open_templates(self) -> None:
        """Show the template list, the keyboard in its search field."""
        if self._templates is not None:
            self._picker.set_templates(self._templates)
        else:
            self._data.read(load_config, on_result=self._on_config_loaded, key="composer-templates")
        self._picker.open_picker()

    def insert_template(self, template: MessageTemplate) -> None:
        """Insert ``template`` at the cursor with its placeholders filled in from the case.

        A template that moves the case (request information → awaiting customer) is a public reply;
        when the case cannot make that move from its stage, the status says so and the message will
        be sent without it.
        """
        stage = _stage_or_none(template.moves_to_stage)
        if stage is not None:
            self.set_channel(DraftChannel.PUBLIC_REPLY)
        cursor = self._editor.textCursor()
        cursor.insertText(render_template(template, self._placeholder_values()))
        self._editor.setTextCursor(cursor)
        if stage is not None:
            refusal = self._stage_move_refusal(stage)
            if refusal:
                self._set_status(refusal)
            else:
                self._current.moves_to_stage = stage
                self._show_stage_move()
                self._autosave.mark_dirty()
        self._editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_files(self, paths: Sequence[Path]) -> None:
        """Attach ``paths``: each is copied into the workspace on the helper executor, then registered."""
        if self._case_id is None or self._attachments_dir is None:
            self._set_status(self.tr("Open a case before attaching files."))
            return
        case_id, channel, directory = self._case_id, self._channel, self._attachments_dir
        for path in paths:
            self._set_status(self.tr("Attaching “{0}”…").format(path.name))
            future = self._executor.submit(store_attachment_file, directory, path, self._max_bytes)
            future.add_done_callback(partial(self._announce_file_stored, (case_id, channel), path))

    def send(self) -> None:
        """Send the message (Ctrl+Enter); it lands in the timeline at once, marked pending."""
        if self._case_id is None or self._sending:
            return
        body = self._editor.toPlainText()
        if not body.strip():
            self._set_status(self.tr("The message is empty. Write something before sending it."))
            return
        state = self._current
        message = OutgoingMessage(
            case_id=self._case_id,
            author_id=self._author_id,
            channel=self._channel,
            body_markdown=body,
            attachment_ids=tuple(attachment.id for attachment in state.attachments),
            moves_to_stage=state.moves_to_stage,
        )
        # The draft is written first: if the process dies during the send, the text is still there.
        self._autosave.mark_dirty()
        self._autosave.flush()
        self._sending = True
        self._editor.setReadOnly(True)
        self._send.setEnabled(False)
        self._set_status(self.tr("Sending…"))
        self._data.write(
            attempt,
            send_message,
            message,
            self._now(),
            on_result=lambda outcome: self._on_send_finished(message, outcome),
            on_error=lambda error: self._on_send_finished(message, Refusal(describe_error(error))),
        )

    # Qt overrides -------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()) and self._case_id is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.add_files(files))  # a drop handler only schedules work

    def hideEvent(self, event: QHideEvent) -> None:
        self._autosave.flush()  # the window is closing or another page is shown
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._attachment_list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_selected_attachment()
                return True
        return False

    def remove_selected_attachment(self) -> None:
        """Take the selected file off the message."""
        index = self._attachment_list.currentIndex()
        attachment = index.data(_ATTACHMENT_ROLE) if index.isValid() else None
        if not isinstance(attachment, Attachment):
            return
        self._current.attachments = [item for item in self._current.attachments if item.id != attachment.id]
        self._show_attachments()
        self._data.write(attempt, remove_draft_attachment, attachment.id, on_result=self._on_refusable_result)

    # Slots --------------------------------------------------------------------------------------

    def _on_channel_group_toggled(self, button: QToolButton, checked: bool) -> None:
        if not checked:
            return
        channel = DraftChannel.PUBLIC_REPLY if button is self._public else DraftChannel.INTERNAL_NOTE
        if channel is self._channel:
            return
        self._autosave.flush()
        self._current.text = self._editor.toPlainText()
        self._channel = channel
        self._autosave.set_channel(channel)
        self._show_channel_state()

    def _on_config_loaded(self, config: WorkspaceConfig) -> None:
        self._picker.set_templates(config.templates)

    def _on_picker_template_chosen(self, template: MessageTemplate) -> None:
        self.insert_template(template)

    def _on_picker_dismissed(self) -> None:
        self._editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_keep_stage_clicked(self) -> None:
        self._current.moves_to_stage = None
        self._show_stage_move()
        self._autosave.mark_dirty()

    def _on_attach_button_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Attach files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(lambda names: self.add_files([Path(name) for name in names]))
        dialog.open()  # never exec(): the app runs on a qasync loop

    def _on_file_stored(
        self, where: tuple[int, DraftChannel], path: Path, future: Future[StoredFile]
    ) -> None:
        case_id, channel = where
        error = future.exception()
        if error is not None:
            self._set_status(str(error) if isinstance(error, AttachmentError) else describe_error(error))
            return
        if case_id != self._case_id:
            return  # another case is open now; the stored file is simply not registered
        self._data.write(
            attempt,
            attach_to_draft,
            case_id,
            self._author_id,
            channel,
            future.result(),
            path.name,
            guess_content_type(path),
            self._now(),
            on_result=lambda outcome: self._on_attachment_registered(case_id, channel, outcome),
        )

    def _on_attachment_registered(self, case_id: int, channel: DraftChannel, outcome: object) -> None:
        if isinstance(outcome, Refusal):
            self._set_status(outcome.message)
            return
        if not isinstance(outcome, Attachment) or case_id != self._case_id:
            return
        self._drafts[channel].attachments.append(outcome)
        self._set_status(self.tr("Attached “{0}”.").format(outcome.filename))
        if channel is self._channel:
            self._show_attachments()
        self.attachments_changed.emit()

    def _on_send_finished(self, message: OutgoingMessage, outcome: object) -> None:
        self._sending = False
        self._editor.setReadOnly(False)
        self._send.setEnabled(True)
        if isinstance(outcome, Refusal):
            self._set_status(outcome.message)
            return
        if message.case_id == self._case_id:
            self._drafts[message.channel] = _ChannelDraft()
            if message.channel is self._channel:
                self._autosave.forget()
                self._show_channel_state()
        self._set_status(self.tr("Sent. It shows as pending until the helpdesk has it."))
        self.message_sent.emit(message.case_id)

    def _on_refusable_result(self, outcome: object) -> None:
        if isinstance(outcome, Refusal):
            self._set_status(outcome.message)
        self.attachments_changed.emit()

    # Helpers ------------------------------------------------------------------------------------

    def _announce_file_stored(
        self, where: tuple[int, DraftChannel], path: Path, future: Future[StoredFile]
    ) -> None:
        # Runs on the helper executor's thread; the queued signal hops to the UI thread.
        with contextlib.suppress(RuntimeError):  # the composer was destroyed meanwhile
            self._file_stored.emit(where, path, future)

    def _stage_move_refusal(self, stage: Stage) -> str:
        header = self._header
        if header is None or header.id != self._case_id or header.stage is stage:
            return ""
        try:
            check_transition(header.stage, stage)
        except IllegalTransitionError as error:
            return self.tr("{0} The message will be sent without changing the stage.").format(error)
        return ""

    @property
    def _current(self) -> _ChannelDraft:
        return self._drafts.setdefault(self._channel, _ChannelDraft())

    def _draft_meta(self) -> Mapping[str, object]:
        stage = self._current.moves_to_stage
        return {_MOVES_TO_STAGE: stage.value} if stage is not None else {}

    def _placeholder_values(self) -> dict[str, str]:
        header = self._header
        if header is None or header.id != self._case_id:
            return {}
        values = {
            "customer_name": header.customer_name,
            "contact_name": header.contact_name,
            "case_number": f"#{header.number}",
            "specialist": header.assignee_name,
            "subject": header.subject,
        }
        return {name: value for name, value in values.items() if value}

    def _show_channel_state(self) -> None:
        state = self._current
        with self._autosave.quietly():
            if self._editor.toPlainText() != state.text:
                self._editor.setPlainText(state.text)
                self._editor.moveCursor(QTextCursor.MoveOperation.End)
        public = self._channel is DraftChannel.PUBLIC_REPLY
        self._editor.setPlaceholderText(
            self.tr(
                "Write a reply to the customer in Markdown (**bold**, *italic*, - lists, [links](https://…))"
            )
            if public
            else self.tr("Write an internal note for the team in Markdown")
        )
        self._send.setText(self.tr("Send reply") if public else self.tr("Add note"))
        self._show_waiting_drafts()
        self._show_stage_move()
        self._show_attachments()

    def _show_waiting_drafts(self) -> None:
        """Mark the other channel's button while it holds unsent text, so no draft goes unnoticed."""
        for channel, button, text in (
            (DraftChannel.PUBLIC_REPLY, self._public, self.tr("&Public reply")),
            (DraftChannel.INTERNAL_NOTE, self._internal, self.tr("Internal not&e")),
        ):
            state = self._drafts.get(channel)
            waiting = channel is not self._channel and state is not None and bool(state.text.strip())
            button.setText(f"{text} •" if waiting else text)
            button.setAccessibleDescription(self.tr("Has an unsent draft") if waiting else "")

    def _show_stage_move(self) -> None:
        stage = self._current.moves_to_stage
        if stage is None:
            self._stage_label.hide()
            self._keep_stage.hide()
            return
        self._stage_label.setText(self.tr("Sending moves the case to {0}.").format(stage_label(stage)))
        self._stage_label.show()
        self._keep_stage.show()

    def _show_attachments(self) -> None:
        self._attachment_model.clear()
        for attachment in self._current.attachments:
            item = QStandardItem(f"{attachment.filename} ({format_file_size(attachment.size_bytes)})")
            item.setData(attachment, _ATTACHMENT_ROLE)
            self._attachment_model.appendRow(item)
        self._attachment_list.setVisible(bool(self._current.attachments))

    def _set_status(self, text: str) -> None:
        if self._status.text() != text:
            self._status.setText(text)
            self.status_changed.emit(text)

    def _channel_button(self, text: str, tooltip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tooltip)
        button.setAccessibleName(text.replace("&", ""))
        button.setCheckable(True)
        return button

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self._public)
        bar.addWidget(self._internal)
        bar.addStretch(1)
        bar.addWidget(self._templates_button)
        bar.addWidget(self._attach_button)
        stage_row = QHBoxLayout()
        stage_row.setContentsMargins(0, 0, 0, 0)
        stage_row.addWidget(self._stage_label, 1)
        stage_row.addWidget(self._keep_stage)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self._status, 1)
        bottom.addWidget(self._send)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self._picker)
        layout.addWidget(self._editor, 1)
        layout.addLayout(stage_row)
        layout.addWidget(self._attachment_list)
        layout.addLayout(bottom)


def _stage_or_none(value: object) -> Stage | None:
    if not value:
        return None
    try:
        return Stage(str(value))
    except ValueError:
        return None  # a stage of a newer version: not applied
