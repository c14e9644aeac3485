"""Enumerations of the escalation domain, stored in the database by their string values."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Where a case stands in the escalation workflow (PRODUCT.md, "The escalation workflow").

    ``new`` is a tier-1 case that has not been escalated (yet).
    """

    NEW = "new"
    REQUESTED = "requested"
    TRIAGED = "triaged"
    INVESTIGATING = "investigating"
    AWAITING_CUSTOMER = "awaiting_customer"
    AWAITING_ENGINEERING = "awaiting_engineering"
    AWAITING_APPROVAL = "awaiting_approval"
    RESOLUTION_PROPOSED = "resolution_proposed"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self not in (Stage.RESOLVED, Stage.CLOSED)


OPEN_STAGES: tuple[Stage, ...] = tuple(stage for stage in Stage if stage.is_open)
DONE_STAGES: tuple[Stage, ...] = (Stage.RESOLVED, Stage.CLOSED)


class Priority(StrEnum):
    """Case priority, as the helpdesks name it."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """Higher is more urgent; used for sorting."""
        return list(Priority).index(self)


class CustomerTier(StrEnum):
    """Commercial tier of a customer account."""

    STARTER = "starter"
    BUSINESS = "business"
    ENTERPRISE = "enterprise"
    STRATEGIC = "strategic"


class EventKind(StrEnum):
    """What a timeline event is."""

    CUSTOMER_MESSAGE = "customer_message"
    AGENT_REPLY = "agent_reply"
    INTERNAL_NOTE = "internal_note"
    TROUBLESHOOTING_STEP = "troubleshooting_step"
    SYSTEM_LOG = "system_log"
    FIELD_CHANGE = "field_change"
    ATTACHMENT = "attachment"


class Visibility(StrEnum):
    """Who can see a timeline event: the customer, only the support team, or it is machine data."""

    CUSTOMER = "customer"
    INTERNAL = "internal"
    SYSTEM = "system"


DEFAULT_VISIBILITY: dict[EventKind, Visibility] = {
    EventKind.CUSTOMER_MESSAGE: Visibility.CUSTOMER,
    EventKind.AGENT_REPLY: Visibility.CUSTOMER,
    EventKind.INTERNAL_NOTE: Visibility.INTERNAL,
    EventKind.TROUBLESHOOTING_STEP: Visibility.INTERNAL,
    EventKind.SYSTEM_LOG: Visibility.SYSTEM,
    EventKind.FIELD_CHANGE: Visibility.SYSTEM,
    EventKind.ATTACHMENT: Visibility.CUSTOMER,
}


class PersonRole(StrEnum):
    """What a person does in the support organisation."""

    AGENT = "agent"
    SPECIALIST = "specialist"
    LEAD = "lead"
    ENGINEER = "engineer"
    MANAGER = "manager"


class ReasonCode(StrEnum):
    """Why a case was escalated."""

    RESOLUTION_TIME = "resolution_time"
    TECHNICAL_EXPERTISE = "technical_expertise"
    BUSINESS_IMPACT = "business_impact"
    CUSTOMER_REQUEST = "customer_request"
    KNOWN_DEFECT = "known_defect"
    POLICY_EXCEPTION = "policy_exception"


class NoteKind(StrEnum):
    """Structure of an investigation note (hypothesis → test → result)."""

    NOTE = "note"
    HYPOTHESIS = "hypothesis"
    TEST = "test"
    RESULT = "result"
    FINDING = "finding"
    TROUBLESHOOTING_STEP = "troubleshooting_step"


class DraftChannel(StrEnum):
    """Where a draft will go once sent."""

    PUBLIC_REPLY = "public_reply"
    INTERNAL_NOTE = "internal_note"
    INVESTIGATION_NOTE = "investigation_note"


class OutboxState(StrEnum):
    """Delivery state of an outbox entry (ARCHITECTURE.md, "The transactional outbox")."""

    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    DONE = "done"
    FAILED = "failed"
    CONFLICT = "conflict"


class SourceSystem(StrEnum):
    """Where a record came from."""

    LOCAL = "local"
    ZENDESK = "zendesk"
    FRESHDESK = "freshdesk"
    INTERCOM = "intercom"
    SALESFORCE = "salesforce"


class SavedView(StrEnum):
    """The inbox's built-in saved views."""

    MY_CASES = "my_cases"
    MY_TEAM = "my_team"
    ALL_OPEN = "all_open"
    AWAITING_CUSTOMER = "awaiting_customer"
    RECENTLY_RESOLVED = "recently_resolved"
    ALL = "all"
    AT_RISK = "at_risk"  # open cases whose next SLA deadline is within its warning window or past
    PROACTIVE = "proactive"  # the at-risk cases nobody has escalated yet (stage ``new``)


class TransitionKind(StrEnum):
    """What kind of stage change a recorded transition was."""

    NORMAL = "normal"
    ESCALATED = "escalated"
    RE_ESCALATED = "re_escalated"
    RETURNED = "returned"


class ApprovalKind(StrEnum):
    """What a specialist asks management to authorize."""

    CREDIT_REFUND = "credit_refund"
    POLICY_EXCEPTION = "policy_exception"
    ENGINEERING_PRIORITY = "engineering_priority"


class ApprovalDecision(StrEnum):
    """Where an approval request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"


class ConfirmationAnswer(StrEnum):
    """The customer's answer to a proposed resolution."""

    CONFIRMED = "confirmed"
    NOT_FIXED = "not_fixed"


class OutboxOperation(StrEnum):
    """What an outbox entry asks the remote system to do (connectors map each to their API)."""

    ADD_PUBLIC_REPLY = "add_public_reply"
    ADD_INTERNAL_NOTE = "add_internal_note"
    CHANGE_STAGE = "change_stage"
    ESCALATE = "escalate"
    ASSIGN = "assign"
    UPDATE_FIELDS = "update_fields"
    REQUEST_APPROVAL = "request_approval"
    DECIDE_APPROVAL = "decide_approval"
    PROPOSE_RESOLUTION = "propose_resolution"
    CLOSE_CASE = "close_case"
