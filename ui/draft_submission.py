"""DraftSubmission: a write of what an editor holds, its draft saved first, the editor locked meanwhile.

The composer sends messages and the note editor saves notes the same way: the text is written as a
draft before the write starts (if the process dies during it, the text is still there), the editor
and its button are locked until the answer, and a failed write comes back as a :class:`Refusal`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QPlainTextEdit

from core.communication.refusals import Refusal, attempt
from ui.data_access import DataAccess, describe_error
from ui.draft_autosave import DraftAutosave


class DraftSubmission:
    """Runs one refusable write at a time for an editor with an autosaved draft."""

    def __init__(
        self, data: DataAccess, editor: QPlainTextEdit, autosave: DraftAutosave, button: QAbstractButton
    ) -> None:
        self._data = data
        self._editor = editor
        self._autosave = autosave
        self._button = button
        self._busy = False

    @property
    def busy(self) -> bool:
        """Whether a write is under way (the editor is read-only until it answers)."""
        return self._busy

    def submit(self, fn: Callable[..., Any], *args: Any, on_finished: Callable[[object], None]) -> None:
        """Save the draft, lock the editor and run ``attempt(fn, *args)``; ``on_finished`` gets the outcome.

        The outcome is what ``fn`` returned or a :class:`Refusal`; an unexpected error becomes a
        Refusal that describes it. The editor is unlocked before ``on_finished`` runs.
        """
        self._autosave.mark_dirty()
        self._autosave.flush()
        self._busy = True
        self._editor.setReadOnly(True)
        self._button.setEnabled(False)
        self._data.write(
            attempt,
            fn,
            *args,
            on_result=lambda outcome: self._finish(on_finished, outcome),
            on_error=lambda error: self._finish(on_finished, Refusal(describe_error(error))),
        )

    def _finish(self, on_finished: Callable[[object], None], outcome: object) -> None:
        self._busy = False
        self._editor.setReadOnly(False)
        self._button.setEnabled(True)
        on_finished(outcome)
