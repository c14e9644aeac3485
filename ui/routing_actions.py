"""RoutingActions: moving cases between teams and people from any view (board, triage, case).

CONTRACT (signatures fixed; the triage-UI helper implements the bodies).

It checks a move on the DB thread (:func:`core.routing.checks.check_moves`), asks
the lead to confirm when the move breaks a rule, writes it
(:func:`core.routing.moves.move_cases` / :func:`accept_routes`), and keeps the
batches it wrote on an undo stack (:func:`core.routing.moves.undo_move`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from core.routing.moves import TriageDecision
from ui.data_access import DataAccess


class RoutingActions(QObject):
    """Move, triage and undo, shared by the board, the triage queue and the main window.

    Signals:
        moved(str, int): a batch was written; its key and how many cases it moved.
        undone(str): the batch with this key was undone.
        undo_available_changed(bool): whether :meth:`undo` has something to undo.
        problem_occurred(str): a move or undo was refused; the message says why.
    """

    moved = Signal(str, int)
    undone = Signal(str)
    undo_available_changed = Signal(bool)
    problem_occurred = Signal(str)

    def __init__(self, data: DataAccess, parent: QWidget) -> None:
        super().__init__(parent)
        self._data = data
        self._window = parent

    def move(self, case_ids: Sequence[int], team_id: int, person_id: int | None, *, reason: str = "") -> None:
        """Check, confirm if a rule breaks, then write the move (asynchronously)."""
        raise NotImplementedError

    def choose_and_move(self, case_ids: Sequence[int]) -> None:
        """Open "Move to…" for the cases; the chosen team or person gets them through :meth:`move`."""
        raise NotImplementedError

    def accept(self, decisions: Sequence[TriageDecision]) -> None:
        """Triage the cases with the given routes (requested → triaged), as one undoable batch."""
        raise NotImplementedError

    def undo(self) -> None:
        """Undo the last batch written from this window, if it has not been synced."""
        raise NotImplementedError

    @property
    def can_undo(self) -> bool:
        """Whether there is a batch to undo."""
        return False
