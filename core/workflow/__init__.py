"""The escalation workflow: stages and transitions as data, and the use cases that move a case.

Every use case is a unit of work ``fn(session, ..., now) -> ChangeSet`` for the
DB thread. It validates first (raising a :class:`WorkflowError` whose message
is written for the user, and writing nothing), then writes the new state, the
audit trail (``stage_transitions``), the timeline events and exactly one
outbox entry in the caller's transaction.
"""

from core.workflow.approvals import ApprovalRequest, decide_approval, request_approval
from core.workflow.closure import ClosureForm, FollowUp, close_case
from core.workflow.errors import (
    ClosureIncompleteError,
    IllegalTransitionError,
    NotALeadError,
    NothingToDecideError,
    ReadinessOverrideRequiredError,
    WorkflowError,
)
from core.workflow.escalation import EscalationRequest, escalate_case
from core.workflow.reminders import ConfirmationTracker, send_confirmation_reminder, track_confirmation
from core.workflow.resolution import propose_resolution, record_confirmation
from core.workflow.stages import ALLOWED_TRANSITIONS, allowed_next, check_transition, stage_name
from core.workflow.state import (
    OpenEscalation,
    OpenProposal,
    PendingApproval,
    WorkflowState,
    load_workflow_state,
)
from core.workflow.transitions import change_stage, plain_moves, return_to_investigation

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ApprovalRequest",
    "ClosureForm",
    "ClosureIncompleteError",
    "ConfirmationTracker",
    "EscalationRequest",
    "FollowUp",
    "IllegalTransitionError",
    "NotALeadError",
    "NothingToDecideError",
    "OpenEscalation",
    "OpenProposal",
    "PendingApproval",
    "ReadinessOverrideRequiredError",
    "WorkflowError",
    "WorkflowState",
    "allowed_next",
    "change_stage",
    "check_transition",
    "close_case",
    "decide_approval",
    "escalate_case",
    "load_workflow_state",
    "plain_moves",
    "propose_resolution",
    "record_confirmation",
    "request_approval",
    "return_to_investigation",
    "send_confirmation_reminder",
    "stage_name",
    "track_confirmation",
]
