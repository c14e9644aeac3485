"""Frozen data transfer objects: what leaves the DB thread instead of ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from core.domain.enums import DraftChannel, EventKind, Priority, SavedView, Stage, Visibility
from core.sla.types import Risk, deadline_risk


class SortKey(StrEnum):
    """Columns the inbox can be sorted by (RELEVANCE only while searching)."""

    NUMBER = "number"
    CUSTOMER = "customer"
    SUBJECT = "subject"
    PRIORITY = "priority"
    TIER = "tier"
    STAGE = "stage"
    TEAM = "team"
    ASSIGNEE = "assignee"
    UPDATED = "updated"
    SLA = "sla"  # the next SLA deadline, soonest first; cases without a running clock last
    RELEVANCE = "relevance"


@dataclass(frozen=True)
class InboxQuery:
    """What the inbox shows: a saved view, an optional search, an order."""

    view: SavedView = SavedView.ALL_OPEN
    search: str = ""
    sort: SortKey = SortKey.UPDATED
    descending: bool = True
    limit: int | None = None


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox."""

    id: int
    number: int
    subject: str
    customer_name: str
    customer_tier: str
    priority: Priority
    tier: int
    stage: Stage
    team_name: str
    assignee_name: str
    updated_at: datetime
    sla_due_at: datetime | None = None
    """The deadline of the case's soonest running SLA clock (None: no clock running)."""
    sla_warning_at: datetime | None = None
    """When that clock enters its warning window."""
    sla_metric: str = ""
    """What that clock measures (a :class:`core.sla.types.Metric` value), or ""."""

    def sla_risk(self, now: datetime) -> Risk:
        """How the next SLA deadline looks at ``now``: none, ok, warning or breached."""
        return deadline_risk(self.sla_due_at, self.sla_warning_at, now)

    def sla_seconds_left(self, now: datetime) -> float | None:
        """Seconds until the next SLA deadline (negative once overdue), or None without a running clock."""
        return None if self.sla_due_at is None else (self.sla_due_at - now).total_seconds()


@dataclass(frozen=True)
class TimelineEvent:
    """One event of a case's context timeline. ``body_html`` is raw: sanitize before display."""

    id: int
    kind: EventKind
    visibility: Visibility
    occurred_at: datetime
    author_name: str
    body_text: str
    body_html: str | None = None
    meta: dict[str, str] = field(default_factory=dict, hash=False, compare=True)
    pending: bool = False
    """Whether the event waits in the outbox to be delivered to the remote system."""


@dataclass(frozen=True)
class Escalation:
    """One escalation episode of a case."""

    id: int
    tier: int
    reason_code: str
    stage: Stage
    team_name: str
    requested_by: str
    requested_at: datetime
    justification: str
    override_reason: str | None
    closed_at: datetime | None


@dataclass(frozen=True)
class InvestigationNote:
    """A specialist's note on a case."""

    id: int
    kind: str
    body: str
    author_name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CaseHeader:
    """Everything the case view's header shows."""

    id: int
    number: int
    subject: str
    description: str
    priority: Priority
    tier: int
    stage: Stage
    customer_name: str
    customer_tier: str
    arr_cents: int
    renewal_date: date | None
    contact_name: str
    contact_email: str
    product_area: str
    team_name: str
    assignee_name: str
    created_at: datetime
    updated_at: datetime
    resolution: str | None
    root_cause: str | None
    source_system: str
    remote_id: str | None
    reroute_count: int = 0  # how many times the case went to another team (undone moves not counted)


@dataclass(frozen=True)
class CaseDetail:
    """A case with its whole context, as the case view needs it."""

    header: CaseHeader
    timeline: tuple[TimelineEvent, ...]
    escalations: tuple[Escalation, ...]
    notes: tuple[InvestigationNote, ...]


@dataclass(frozen=True)
class SearchHit:
    """A case found by full-text search, best first."""

    case_id: int
    number: int
    subject: str
    stage: Stage
    customer_name: str
    snippet: str
    score: float


@dataclass(frozen=True)
class Attachment:
    """A file stored in the workspace, attached to a draft (until it is sent) or to a timeline event."""

    id: int
    case_id: int
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    stored_name: str


@dataclass(frozen=True)
class Draft:
    """An unsent message or note, as it was last saved while typing."""

    id: int
    case_id: int
    author_id: int | None
    channel: DraftChannel
    body: str
    updated_at: datetime
    meta: dict[str, object] = field(default_factory=dict, hash=False, compare=True)
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class CaseDrafts:
    """The drafts of one author on one case, by channel, and who that author is."""

    case_id: int
    author_id: int | None
    drafts: dict[DraftChannel, Draft] = field(default_factory=dict, hash=False, compare=True)
