"""DraftAutosave: what is typed in an editor is saved as a draft after a pause, and at once on focus-out.

The composer and the note editor both keep their text this way, so a crash or a kill never loses more
than the last pause in typing. A draft that cannot be written stays in the editor and is tried again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit

from core.communication.drafts import save_draft
from core.db.types import utc_now
from core.domain.enums import DraftChannel
from core.queries.case_detail import CaseNotFoundError
from ui.data_access import DataAccess, describe_error

AUTOSAVE_PAUSE_MS = 300
SAVE_RETRY_MS = 5000

Clock = Callable[[], datetime]


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
