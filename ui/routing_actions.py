"""RoutingActions: moving cases between teams and people from any view (board, triage, case).

It checks a move on the DB thread (:func:`core.routing.checks.check_moves`), asks
the lead to confirm when the move breaks a rule, writes it
(:func:`core.routing.moves.move_cases` / :func:`accept_routes`), and keeps the
batches it wrote on an undo stack (:func:`core.routing.moves.undo_move`).

The writers return a :class:`~core.routing.moves.MoveResult`, not a bare
ChangeSet, so DataAccess does not publish it by itself: the result handler
publishes ``result.changes`` and keeps ``result.batch_key`` for undo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget
from sqlalchemy.orm import Session

from core.db.types import utc_now
from core.domain.changes import ChangeSet
from core.routing.moves import (
    MoveRequest,
    MoveResult,
    TriageDecision,
    UndoNotPossibleError,
    accept_routes,
    move_cases,
    undo_move,
)
from core.routing.types import RouteProposal, RuleKind
from ui.data_access import DataAccess, describe_error
from ui.dialogs.acting_person import me_or_refuse
from ui.dialogs.move_preview import MovePreview, preview_move
from ui.dialogs.move_to_dialog import MoveToDialog
from ui.dialogs.route_explanation import proposal_label
from ui.dialogs.rule_confirm_dialog import RuleConfirmDialog

UNDO_KEYS = "Ctrl+Z"


def explanation_record(proposal: RouteProposal) -> dict[str, object]:
    """The explanation shown for a route, as recorded with the move (JSON-ready)."""
    return {
        "route": proposal_label(proposal),
        "summary": proposal.explanation.summary,
        "lines": proposal.explanation.lines(),
    }


def move_as_me(
    session: Session,
    case_ids: tuple[int, ...],
    team_id: int,
    person_id: int | None,
    reason: str,
    overridden: tuple[RuleKind, ...],
    explanation: Mapping[str, object] | None,
    now: datetime,
) -> MoveResult:
    """Unit of work: move the cases in the name of the workspace's person."""
    request = MoveRequest(
        case_ids=case_ids,
        team_id=team_id,
        person_id=person_id,
        actor_id=me_or_refuse(session),
        reason=reason,
        overridden_rules=overridden,
        explanation=explanation,
    )
    return move_cases(session, request, now)


def accept_as_me(session: Session, decisions: tuple[TriageDecision, ...], now: datetime) -> MoveResult:
    """Unit of work: triage the cases in the name of the workspace's person."""
    return accept_routes(session, decisions, me_or_refuse(session), now)


def undo_as_me(session: Session, batch_key: str, now: datetime) -> ChangeSet:
    """Unit of work: undo a batch in the name of the workspace's person."""
    return undo_move(session, batch_key, me_or_refuse(session), now)


@dataclass(frozen=True)
class _Batch:
    """A batch written from this window: what undo takes and what the status bar says about it."""

    key: str
    count: int


@dataclass(frozen=True)
class _Pending:
    """A move or triage on its way from "checked" to "written"."""

    case_ids: tuple[int, ...]
    team_id: int
    person_id: int | None
    reason: str
    triage: bool


def with_reason(pending: _Pending, reason: str) -> _Pending:
    """``pending`` with the reason the lead gave when confirming (joined to one given before)."""
    if not reason:
        return pending
    return replace(pending, reason=f"{pending.reason}; {reason}" if pending.reason else reason)


def _cases(count: int) -> str:
    """``"1 case"``, ``"3 cases"``."""
    if count == 1:
        return QCoreApplication.translate("RoutingActions", "1 case")
    return QCoreApplication.translate("RoutingActions", "{0} cases").format(count)


class RoutingActions(QObject):
    """Move, triage and undo, shared by the board, the triage queue and the main window.

    Signals:
        moved(str, int): a batch was written; its key and how many cases it moved.
        undone(str): the batch with this key was undone.
        undo_available_changed(bool): whether :meth:`undo` has something to undo.
        problem_occurred(str): a move or undo was refused; the message says why.
        reported(str): a sentence for the status bar after a move, triage or undo.
        dialog_opened(QObject): "Move to…" or a rule confirmation was opened (tests, screenshots).
    """

    moved = Signal(str, int)
    undone = Signal(str)
    undo_available_changed = Signal(bool)
    problem_occurred = Signal(str)
    reported = Signal(str)
    dialog_opened = Signal(object)

    def __init__(self, data: DataAccess, parent: QWidget) -> None:
        super().__init__(parent)
        self._data = data
        self._window = parent
        self._undo_stack: list[_Batch] = []

    # Public API ----------------------------------------------------------------------------------

    def move(self, case_ids: Sequence[int], team_id: int, person_id: int | None, *, reason: str = "") -> None:
        """Check, confirm if a rule breaks, then write the move (asynchronously)."""
        self._check(_Pending(tuple(case_ids), team_id, person_id, reason, triage=False))

    def choose_and_move(self, case_ids: Sequence[int]) -> None:
        """Open "Move to…" for the cases; the chosen team or person gets them through :meth:`move`."""
        self._choose(tuple(case_ids), triage=False)

    def choose_and_accept(self, case_ids: Sequence[int]) -> None:
        """Open "Route to…" for cases in ``requested``; they are triaged to the chosen team or person."""
        self._choose(tuple(case_ids), triage=True)

    def accept(self, decisions: Sequence[TriageDecision]) -> None:
        """Triage the cases with the given routes (requested → triaged), as one undoable batch."""
        if not decisions:
            return
        count = len(decisions)
        self._data.write(
            accept_as_me,
            tuple(decisions),
            utc_now(),
            on_result=partial(self._on_written, self.tr("Triaged {0}.").format(_cases(count)), count),
            on_error=self._on_error,
        )

    def undo(self) -> None:
        """Undo the last batch written from this window, if it has not been synced."""
        if not self._undo_stack:
            return
        batch = self._undo_stack.pop()
        self.undo_available_changed.emit(self.can_undo)
        self._data.write(
            undo_as_me,
            batch.key,
            utc_now(),
            on_result=partial(self._on_undone, batch),
            on_error=partial(self._on_undo_error, batch),
        )

    @property
    def can_undo(self) -> bool:
        """Whether there is a batch to undo."""
        return bool(self._undo_stack)

    # Flow ----------------------------------------------------------------------------------------

    def _choose(self, case_ids: tuple[int, ...], *, triage: bool) -> None:
        if not case_ids:
            return
        dialog = MoveToDialog(self._data, case_ids, triage=triage, parent=self._window)
        dialog.chosen.connect(partial(self._on_target_chosen, dialog, case_ids, triage))
        self._show(dialog)

    def _on_target_chosen(
        self, dialog: MoveToDialog, case_ids: tuple[int, ...], triage: bool, team_id: int, person_id: object
    ) -> None:
        person = person_id if isinstance(person_id, int) else None
        self._check(_Pending(case_ids, team_id, person, dialog.reason, triage=triage))

    def _check(self, pending: _Pending) -> None:
        if not pending.case_ids:
            return
        self._data.read(
            preview_move,
            pending.case_ids,
            pending.team_id,
            pending.person_id,
            utc_now(),
            on_result=partial(self._on_checked, pending),
            on_error=self._on_error,
        )

    def _on_checked(self, pending: _Pending, preview: MovePreview) -> None:
        if preview.ok:
            self._write(pending, preview, ())
            return
        dialog = RuleConfirmDialog(preview, triage=pending.triage, parent=self._window)
        dialog.accepted.connect(
            lambda: self._write(with_reason(pending, dialog.reason), preview, dialog.overridden_rules)
        )
        self._show(dialog)

    def _write(self, pending: _Pending, preview: MovePreview, overridden: tuple[RuleKind, ...]) -> None:
        count = len(pending.case_ids)
        target = preview.target_label
        if pending.triage:
            decisions = tuple(
                TriageDecision(
                    case_id=case_id,
                    team_id=pending.team_id,
                    person_id=pending.person_id,
                    explanation=self._explanation(preview, case_id),
                    overridden_rules=overridden,
                    reason=pending.reason,
                )
                for case_id in pending.case_ids
            )
            message = self.tr("Routed {0} to {1}.").format(_cases(count), target)
            self._data.write(
                accept_as_me,
                decisions,
                utc_now(),
                on_result=partial(self._on_written, message, count),
                on_error=self._on_error,
            )
            return
        first = pending.case_ids[0]
        message = self.tr("Moved {0} to {1}.").format(_cases(count), target)
        self._data.write(
            move_as_me,
            pending.case_ids,
            pending.team_id,
            pending.person_id,
            pending.reason,
            overridden,
            self._explanation(preview, first),
            utc_now(),
            on_result=partial(self._on_written, message, count),
            on_error=self._on_error,
        )

    @staticmethod
    def _explanation(preview: MovePreview, case_id: int) -> dict[str, object] | None:
        proposal = preview.check.proposals.get(case_id)
        return explanation_record(proposal) if proposal is not None else None

    def _show(self, dialog: QDialog) -> None:
        dialog.finished.connect(self._window.activateWindow)  # the keyboard comes back to the window
        dialog.open()  # never exec(): the app runs on a qasync loop
        self.dialog_opened.emit(dialog)

    # Results -------------------------------------------------------------------------------------

    def _on_written(self, message: str, count: int, result: MoveResult) -> None:
        self._data.publish(result.changes)
        self._undo_stack.append(_Batch(result.batch_key, count))
        self.undo_available_changed.emit(True)
        self.moved.emit(result.batch_key, count)
        self.reported.emit(self.tr("{0} {1} to undo.").format(message, UNDO_KEYS))

    def _on_undone(self, batch: _Batch, _changes: ChangeSet) -> None:
        self.undone.emit(batch.key)
        self.reported.emit(self.tr("Undid the move of {0}.").format(_cases(batch.count)))

    def _on_undo_error(self, batch: _Batch, error: BaseException) -> None:
        if not isinstance(error, UndoNotPossibleError):
            self._undo_stack.append(batch)  # a passing problem (a locked database): it may work later
            self.undo_available_changed.emit(True)
        self.problem_occurred.emit(describe_error(error))

    def _on_error(self, error: BaseException) -> None:
        self.problem_occurred.emit(describe_error(error))
