"""CaseWorkflowActions: the workflow commands on one case (escalate, move, approve, resolve, close).

It knows the *target* case (the open case, or the inbox's current row), keeps
its :class:`~core.workflow.WorkflowState` current (reloaded when a change set
names the case), says which commands apply now, and runs each one: simple
stage moves directly through :class:`DataAccess`, the others through their
dialog. The main window registers :meth:`CaseWorkflowActions.specs` in its
action registry, so menus, shortcuts and the palette share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TypedDict

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from core.config import WorkspaceConfig, load_config
from core.domain.changes import ChangeSet
from core.domain.enums import Stage
from core.queries.inbox import inbox_rows
from core.workflow import WorkflowState, change_stage, load_workflow_state
from ui.actions import ALL_VIEWS, ActionSpec
from ui.data_access import DataAccess, describe_error
from ui.dialogs.acting_person import me_or_refuse
from ui.dialogs.approval_dialog import ApprovalDialog, approval_kind_label
from ui.dialogs.closure_dialog import ClosureDialog
from ui.dialogs.confirmation_dialog import ConfirmationDialog
from ui.dialogs.decide_approval_dialog import DecideApprovalDialog
from ui.dialogs.escalate_dialog import EscalateDialog, EscalationInputs, load_escalation_inputs
from ui.dialogs.form_dialog import FormDialog
from ui.dialogs.reminder_dialog import ReminderDialog
from ui.dialogs.resolution_dialog import ResolutionDialog
from ui.formatting import format_money

CONTEXT_KEY = "workflow-context"
ESCALATION_KEY = "escalation-inputs"


class CommonDialogArguments(TypedDict):
    """What every workflow dialog is given: the case's first line and the window it belongs to."""

    case_label: str
    parent: QWidget


@dataclass(frozen=True)
class CaseContext:
    """What the workflow commands need to know about the target case."""

    state: WorkflowState
    number: int
    subject: str
    config: WorkspaceConfig


@dataclass(frozen=True)
class StageMove:
    """A stage change that needs nothing but the click (no form)."""

    action_id: str
    text: str
    target: Stage


def load_case_context(session: Session, case_id: int) -> CaseContext:
    """Unit of work: the case's workflow state, number, subject and the workspace configuration."""
    state = load_workflow_state(session, case_id)
    rows = inbox_rows(session, [case_id])
    number, subject = (rows[0].number, rows[0].subject) if rows else (0, "")
    return CaseContext(state=state, number=number, subject=subject, config=load_config(session))


def change_stage_as_me(session: Session, case_id: int, to_stage: Stage, now: datetime) -> ChangeSet:
    """Unit of work: move the case to ``to_stage`` in the name of the workspace's person."""
    return change_stage(session, case_id, to_stage, me_or_refuse(session), "", now)


# From these stages a move needs a dedicated action (answer the proposal, reopen with a reason).
_NO_PLAIN_MOVES = frozenset({Stage.RESOLUTION_PROPOSED, Stage.RESOLVED, Stage.CLOSED})


class CaseWorkflowActions(QObject):
    """The workflow commands on the target case, with their enabled states and dialogs.

    Signals:
        context_changed(): the target case or its workflow state changed (re-evaluate actions).
        problem_occurred(str): a command was refused; the message is for the user.
        evidence_requested(int): the user asked to see this timeline event (from the Escalate dialog).
        dialog_opened(QObject): a workflow dialog was opened (tests and screenshots use it).
    """

    context_changed = Signal()
    problem_occurred = Signal(str)
    evidence_requested = Signal(int)
    dialog_opened = Signal(object)

    def __init__(self, data: DataAccess, window: QWidget) -> None:
        super().__init__(window)
        self._data = data
        self._window = window
        self._case_id: int | None = None
        self._context: CaseContext | None = None
        data.changes_applied.connect(self._on_data_changes_applied)
        self._stage_moves = (
            StageMove("case.triage", self.tr("Mark as &Triaged"), Stage.TRIAGED),
            StageMove("case.investigate", self.tr("Start In&vestigating"), Stage.INVESTIGATING),
            StageMove("case.await_customer", self.tr("Wait for &Customer"), Stage.AWAITING_CUSTOMER),
            StageMove("case.await_engineering", self.tr("Wait for En&gineering"), Stage.AWAITING_ENGINEERING),
        )

    # Target -------------------------------------------------------------------------------------

    @property
    def case_id(self) -> int | None:
        """The target case."""
        return self._case_id

    @property
    def context(self) -> CaseContext | None:
        """The target case's loaded context (None while loading or without a target)."""
        return self._context

    def set_case(self, case_id: int | None) -> None:
        """Make ``case_id`` the target (None: no case); its context loads in the background."""
        if case_id == self._case_id:
            return
        self._case_id = case_id
        self._context = None
        self.context_changed.emit()
        self.reload()

    def reload(self) -> None:
        """Load the target's context again."""
        if self._case_id is not None:
            self._data.read(
                load_case_context,
                self._case_id,
                on_result=self._on_context_loaded,
                on_error=self._on_context_error,
                key=CONTEXT_KEY,
            )

    # Actions ------------------------------------------------------------------------------------

    def specs(self) -> list[ActionSpec]:
        """The workflow commands, for the action registry (they apply in the inbox and the case view)."""
        specs = [
            ActionSpec(
                "case.escalate", self.tr("&Escalate…"), self.escalate, "E", ALL_VIEWS, self.can_escalate
            )
        ]
        specs.extend(
            ActionSpec(
                move.action_id,
                move.text,
                partial(self.move_to, move.target),
                is_enabled=partial(self.can_move_to, move.target),
            )
            for move in self._stage_moves
        )
        specs += [
            ActionSpec(
                "case.request_approval",
                self.tr("Request &Approval…"),
                self.request_approval,
                is_enabled=self.can_request_approval,
            ),
            ActionSpec(
                "case.decide_approval",
                self.tr("&Decide Approval…"),
                self.decide_approval,
                is_enabled=self.can_decide_approval,
            ),
            ActionSpec(
                "case.propose_resolution",
                self.tr("&Propose Resolution…"),
                self.propose_resolution,
                is_enabled=lambda: self._allows(Stage.RESOLUTION_PROPOSED),
            ),
            ActionSpec(
                "case.send_reminder",
                self.tr("Send &Reminder…"),
                self.send_reminder,
                is_enabled=lambda: self._in_stage(Stage.RESOLUTION_PROPOSED),
            ),
            ActionSpec(
                "case.record_confirmation",
                self.tr("Record Customer Con&firmation…"),
                self.record_confirmation,
                is_enabled=lambda: self._in_stage(Stage.RESOLUTION_PROPOSED),
            ),
            ActionSpec(
                "case.close",
                self.tr("C&lose Case…"),
                self.close_case,
                is_enabled=lambda: self._in_stage(Stage.RESOLVED),
            ),
        ]
        return specs

    def can_escalate(self) -> bool:
        """Whether the target can be escalated (or re-escalated) now."""
        return self._allows(Stage.REQUESTED)

    def can_move_to(self, target: Stage) -> bool:
        """Whether a plain move to ``target`` is allowed now."""
        context = self._context
        return context is not None and context.state.stage not in _NO_PLAIN_MOVES and self._allows(target)

    def can_request_approval(self) -> bool:
        """Whether an approval can be requested (none is pending and the stage allows it)."""
        context = self._context
        return (
            context is not None
            and context.state.pending_approval is None
            and self._allows(Stage.AWAITING_APPROVAL)
        )

    def can_decide_approval(self) -> bool:
        """Whether an approval request is waiting for a decision."""
        return self._context is not None and self._context.state.pending_approval is not None

    def case_label(self) -> str:
        """ "Case #1001 · Subject" for the dialogs' first line."""
        context = self._context
        if context is None:
            return ""
        return self.tr("Case #{0} · {1}").format(context.number, context.subject)

    # Handlers -----------------------------------------------------------------------------------

    def escalate(self) -> None:
        """Load the recommendation and readiness, then open the Escalate dialog."""
        if self._case_id is None:
            return
        self._data.read(
            load_escalation_inputs,
            self._case_id,
            datetime.now(UTC),
            on_result=self._on_escalation_inputs_loaded,
            on_error=self._on_command_error,
            key=ESCALATION_KEY,
        )

    def move_to(self, target: Stage) -> None:
        """Move the target case to ``target`` (refusals reach ``problem_occurred``)."""
        if self._case_id is not None:
            self._data.write(
                change_stage_as_me, self._case_id, target, datetime.now(UTC), on_error=self._on_command_error
            )

    def request_approval(self) -> None:
        """Open the Request Approval dialog."""
        self._open_with_context(
            lambda context: ApprovalDialog(self._data, context.state.case_id, **self._common())
        )

    def decide_approval(self) -> None:
        """Open the Decide Approval dialog on the pending request."""

        def build(context: CaseContext) -> FormDialog | None:
            pending = context.state.pending_approval
            if pending is None:
                return None
            request = approval_kind_label(pending.kind)
            if pending.amount_cents is not None:
                request += " · " + format_money(pending.amount_cents, f"{pending.currency or ''} ").strip()
            return DecideApprovalDialog(
                self._data,
                pending.id,
                request_text=request,
                justification=pending.justification,
                requested_by=pending.requested_by or self.tr("Unknown"),
                **self._common(),
            )

        self._open_with_context(build)

    def propose_resolution(self) -> None:
        """Open the Propose Resolution dialog."""
        self._open_with_context(
            lambda context: ResolutionDialog(
                self._data, context.state.case_id, context.config.reminders, **self._common()
            )
        )

    def send_reminder(self) -> None:
        """Open the Send Reminder dialog (a resolution waits for the customer's confirmation)."""
        self._open_with_context(
            lambda context: ReminderDialog(self._data, context.state.case_id, **self._common())
        )

    def record_confirmation(self) -> None:
        """Open the Record Confirmation dialog."""

        def build(context: CaseContext) -> FormDialog:
            dialog = ConfirmationDialog(self._data, context.state.case_id, **self._common())
            dialog.re_escalation_requested.connect(self._on_confirmation_re_escalation_requested)
            return dialog

        self._open_with_context(build)

    def close_case(self) -> None:
        """Open the closure form."""
        self._open_with_context(
            lambda context: ClosureDialog(
                self._data, context.state.case_id, context.config.root_causes, **self._common()
            )
        )

    # Internals ----------------------------------------------------------------------------------

    def _allows(self, target: Stage) -> bool:
        return self._context is not None and target in self._context.state.allowed_next

    def _in_stage(self, stage: Stage) -> bool:
        return self._context is not None and self._context.state.stage is stage

    def _common(self) -> CommonDialogArguments:
        return {"case_label": self.case_label(), "parent": self._window}

    def _open_with_context(self, build: Callable[[CaseContext], FormDialog | None]) -> None:
        if self._context is None:
            return
        dialog = build(self._context)
        if dialog is not None:
            self._show(dialog)

    def _show(self, dialog: FormDialog) -> None:
        # The keyboard goes back to the window when the dialog closes, whatever the window manager does.
        dialog.finished.connect(self._window.activateWindow)
        dialog.open()  # never exec(): the app runs on a qasync loop
        self.dialog_opened.emit(dialog)

    def _on_escalation_inputs_loaded(self, inputs: EscalationInputs) -> None:
        if inputs.case_id != self._case_id:
            return
        dialog = EscalateDialog(self._data, inputs, **self._common())
        dialog.evidence_requested.connect(self.evidence_requested)
        self._show(dialog)

    def _on_confirmation_re_escalation_requested(self, case_id: int) -> None:
        if case_id == self._case_id:
            self.escalate()

    def _on_context_loaded(self, context: CaseContext) -> None:
        if context.state.case_id == self._case_id:
            self._context = context
            self.context_changed.emit()

    def _on_context_error(self, _error: BaseException) -> None:
        self._context = None
        self.context_changed.emit()

    def _on_command_error(self, error: BaseException) -> None:
        self.problem_occurred.emit(describe_error(error))

    def _on_data_changes_applied(self, changes: ChangeSet) -> None:
        if self._case_id is not None and (self._case_id in changes.cases or changes.workspace_reset):
            self.reload()
