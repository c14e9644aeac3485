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

import mimetypes
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QHideEvent, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
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
from core.communication.errors import AttachmentError
from core.communication.messages import OutgoingMessage, send_message
from core.communication.refusals import Refusal, attempt
from core.config.model import MessageTemplate, WorkspaceConfig
from core.config.placeholders import render_template
from core.config.storage import load_config
from core.db.types import utc_now
from core.domain.dtos import Attachment, CaseDrafts, CaseHeader
from core.domain.enums import DraftChannel, Stage
from core.workflow.errors import IllegalTransitionError
from core.workflow.stages import check_transition
from ui.attachment_list import AttachmentList
from ui.background_io import BackgroundIo
from ui.composer_text_edit import ComposerTextEdit
from ui.data_access import DataAccess, describe_error
from ui.draft_autosave import AUTOSAVE_PAUSE_MS, Clock, DraftAutosave
from ui.draft_submission import DraftSubmission
from ui.file_drops import local_files
from ui.formatting import format_file_size
from ui.labels import stage_label
from ui.send_shortcuts import add_send_shortcuts
from ui.status_line import StatusLine
from ui.template_picker import TemplatePicker

_MOVES_TO_STAGE = "moves_to_stage"


def guess_content_type(path: Path) -> str:
    """The MIME type of a file by its name (``application/octet-stream`` when unknown)."""
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


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
        self._files = BackgroundIo(file_executor, self)
        self._templates = tuple(templates) if templates is not None else None
        self._max_bytes = max_attachment_bytes
        self._now = now
        self._case_id: int | None = None
        self._author_id: int | None = None
        self._header: CaseHeader | None = None
        self._attachments_dir: Path | None = None
        self._channel = DraftChannel.PUBLIC_REPLY
        self._drafts: dict[DraftChannel, _ChannelDraft] = {}

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

        self._stage_label = QLabel()
        self._stage_label.setWordWrap(True)
        self._keep_stage = QToolButton()
        self._keep_stage.setText(self.tr("Keep the stage"))
        self._keep_stage.setToolTip(self.tr("Send the message without changing the case's stage"))
        self._keep_stage.clicked.connect(self._on_keep_stage_clicked)
        self._attachment_list = AttachmentList()
        self._attachment_list.remove_requested.connect(self._on_attachment_list_remove_requested)
        self._status = StatusLine(self.tr("Composer status"))
        self._status.message_changed.connect(self.status_changed)
        self._autosave.failed.connect(self._status.show_message)
        self._send = QPushButton(self.tr("Send"))
        self._send.setToolTip(self.tr("Send the message (Ctrl+Enter)"))
        self._send.clicked.connect(self.send)
        add_send_shortcuts(self, self.send)
        self._submission = DraftSubmission(data, self._editor, self._autosave, self._send)
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
    def attachment_list(self) -> AttachmentList:
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
        self._status.show_message("")
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
                self._status.show_message(refusal)
            else:
                self._current.moves_to_stage = stage
                self._show_stage_move()
                self._autosave.mark_dirty()
        self._editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_files(self, paths: Sequence[Path]) -> None:
        """Attach ``paths``: each is copied into the workspace on the helper executor, then registered."""
        if self._case_id is None or self._attachments_dir is None:
            self._status.show_message(self.tr("Open a case before attaching files."))
            return
        case_id, channel, directory = self._case_id, self._channel, self._attachments_dir
        for path in paths:
            self._status.show_message(self.tr("Attaching “{0}”…").format(path.name))
            self._files.run(
                store_attachment_file,
                directory,
                path,
                self._max_bytes,
                on_result=partial(self._on_file_stored, (case_id, channel), path),
                on_error=self._on_file_store_failed,
            )

    def send(self) -> None:
        """Send the message (Ctrl+Enter); it lands in the timeline at once, marked pending."""
        if self._case_id is None or self._submission.busy:
            return
        body = self._editor.toPlainText()
        if not body.strip():
            self._status.show_message(self.tr("The message is empty. Write something before sending it."))
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
        self._status.show_message(self.tr("Sending…"))
        self._submission.submit(
            send_message,
            message,
            self._now(),
            on_finished=lambda outcome: self._on_send_finished(message, outcome),
        )

    def remove_selected_attachment(self) -> None:
        """Take the selected file off the message."""
        attachment = self._attachment_list.selected_attachment()
        if attachment is not None:
            self._remove_attachment(attachment)

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

    # Slots --------------------------------------------------------------------------------------

    def _on_attachment_list_remove_requested(self, attachment: Attachment) -> None:
        self._remove_attachment(attachment)

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

    def _on_file_store_failed(self, error: BaseException) -> None:
        self._status.show_message(str(error) if isinstance(error, AttachmentError) else describe_error(error))

    def _on_file_stored(self, where: tuple[int, DraftChannel], path: Path, stored: StoredFile) -> None:
        case_id, channel = where
        if case_id != self._case_id:
            return  # another case is open now; the stored file is simply not registered
        self._data.write(
            attempt,
            attach_to_draft,
            case_id,
            self._author_id,
            channel,
            stored,
            path.name,
            guess_content_type(path),
            self._now(),
            on_result=lambda outcome: self._on_attachment_registered(case_id, channel, outcome),
        )

    def _on_attachment_registered(self, case_id: int, channel: DraftChannel, outcome: object) -> None:
        if isinstance(outcome, Refusal):
            self._status.show_message(outcome.message)
            return
        if not isinstance(outcome, Attachment) or case_id != self._case_id:
            return
        self._drafts[channel].attachments.append(outcome)
        self._status.show_message(self.tr("Attached “{0}”.").format(outcome.filename))
        if channel is self._channel:
            self._show_attachments()
        self.attachments_changed.emit()

    def _on_send_finished(self, message: OutgoingMessage, outcome: object) -> None:
        if isinstance(outcome, Refusal):
            self._status.show_message(outcome.message)
            return
        if message.case_id == self._case_id:
            self._drafts[message.channel] = _ChannelDraft()
            if message.channel is self._channel:
                self._autosave.forget()
                self._show_channel_state()
        self._status.show_message(self.tr("Sent. It shows as pending until the helpdesk has it."))
        self.message_sent.emit(message.case_id)

    def _on_refusable_result(self, outcome: object) -> None:
        if isinstance(outcome, Refusal):
            self._status.show_message(outcome.message)
        self.attachments_changed.emit()

    # Helpers ------------------------------------------------------------------------------------

    def _remove_attachment(self, attachment: Attachment) -> None:
        self._current.attachments = [item for item in self._current.attachments if item.id != attachment.id]
        self._show_attachments()
        self._data.write(attempt, remove_draft_attachment, attachment.id, on_result=self._on_refusable_result)

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
        self._attachment_list.set_attachments(self._current.attachments)

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
