"""The building blocks of a generated case's story: topics, beats, escalation episodes, the story itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.domain.enums import EventKind, Priority, ReasonCode, Stage
from core.generator.customers import Contact
from core.generator.organisation import Person, Team


class Topic(StrEnum):
    """What a beat says or does; each topic belongs to one event kind."""

    INITIAL = "initial"
    PROVIDES_INFO = "provides_info"
    CHASES = "chases"
    NOT_FIXED = "not_fixed"
    CONFIRMS = "confirms"
    REOPENS = "reopens"
    ACKNOWLEDGES = "acknowledges"
    REQUESTS_INFO = "requests_info"
    REMINDS = "reminds"
    UPDATES = "updates"
    ANNOUNCES_ESCALATION = "announces_escalation"
    PROPOSES = "proposes"
    CLOSES = "closes"
    ESCALATION = "escalation"
    TRIAGE = "triage"
    SUMMARY = "summary"
    ACCOUNT = "account"
    ENGINEERING_HANDOFF = "engineering_handoff"
    ENGINEERING_UPDATE = "engineering_update"
    APPROVAL_REQUEST = "approval_request"
    APPROVAL_DECISION = "approval_decision"
    NOTE = "note"
    TIER1_STEP = "tier1_step"
    STEP = "step"
    LOG = "log"
    FIELD_CHANGE = "field_change"
    CUSTOMER_FILE = "customer_file"
    SPECIALIST_FILE = "specialist_file"


_KIND_TOPICS: dict[EventKind, tuple[Topic, ...]] = {
    EventKind.CUSTOMER_MESSAGE: (
        Topic.INITIAL, Topic.PROVIDES_INFO, Topic.CHASES, Topic.NOT_FIXED, Topic.CONFIRMS, Topic.REOPENS,
    ),
    EventKind.AGENT_REPLY: (
        Topic.ACKNOWLEDGES, Topic.REQUESTS_INFO, Topic.REMINDS, Topic.UPDATES, Topic.ANNOUNCES_ESCALATION,
        Topic.PROPOSES, Topic.CLOSES,
    ),
    EventKind.INTERNAL_NOTE: (
        Topic.ESCALATION, Topic.TRIAGE, Topic.SUMMARY, Topic.ACCOUNT, Topic.ENGINEERING_HANDOFF,
        Topic.ENGINEERING_UPDATE, Topic.APPROVAL_REQUEST, Topic.APPROVAL_DECISION, Topic.NOTE,
    ),
    EventKind.TROUBLESHOOTING_STEP: (Topic.TIER1_STEP, Topic.STEP),
    EventKind.SYSTEM_LOG: (Topic.LOG,),
    EventKind.FIELD_CHANGE: (Topic.FIELD_CHANGE,),
    EventKind.ATTACHMENT: (Topic.CUSTOMER_FILE, Topic.SPECIALIST_FILE),
}  # fmt: skip
TOPIC_KIND: dict[Topic, EventKind] = {
    topic: kind for kind, topics in _KIND_TOPICS.items() for topic in topics
}
"""The event kind of every topic."""

Actor = Person | Contact | None
"""Who a beat is by: a person of the organisation, the customer's contact, or the system (None)."""


@dataclass(slots=True, eq=False)
class EscalationPlan:
    """One escalation episode: requested at ``opened``, superseded or resolved at ``closed``."""

    tier: int
    reason: ReasonCode
    team: Team
    requested_by: Person
    override: bool
    opened: Beat
    stage: Stage = Stage.REQUESTED
    closed: Beat | None = None


@dataclass(slots=True, eq=False)
class Beat:
    """One timeline event of the story, optionally moving the case to another stage.

    ``wait`` scales the random pause before the beat (customers answer in hours
    or days, a log excerpt follows its troubleshooting step within seconds);
    ``at`` is set when the story is put on the clock.
    """

    topic: Topic
    actor: Actor
    wait: float
    from_stage: Stage | None = None
    to_stage: Stage | None = None
    reason: str = ""
    escalation: EscalationPlan | None = None
    change: tuple[str, str, str] | None = None
    at: int = 0


@dataclass(slots=True)
class Story:
    """The finished story of a case, with its state after the last beat."""

    beats: list[Beat]
    escalations: list[EscalationPlan]
    stage: Stage
    tier: int
    team: Team
    assignee: Person | None
    priority: Priority
    reopen_count: int
    linked_defect: bool
    resolved: Beat | None
    investigation_start: Beat | None
