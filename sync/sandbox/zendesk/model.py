"""The records of the sandbox Zendesk account, kept compact so 100,000 tickets with comments fit in memory.

Times are whole Unix seconds (Zendesk shows seconds). Comments and audits
are tuples; their ids are derived from the ticket id and their position,
so they need no storage of their own. JSON is built per request
(:mod:`sync.sandbox.zendesk.shapes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

STATUSES = ("new", "open", "pending", "hold", "solved", "closed")
DELETED = "deleted"
PRIORITIES = ("urgent", "high", "normal", "low")
TICKET_TYPES = ("problem", "incident", "question", "task")
MAX_COMMENTS_PER_TICKET = 5000

# Zendesk ids of users, organizations, comments and audits exceed 2**32; so do the sandbox's.
USER_ID_BASE = 360_000_000_000
END_USER_ID_BASE = 361_000_000_000
ORGANIZATION_ID_BASE = 362_000_000_000
GROUP_ID_BASE = 363_000_000_000
FIELD_ID_BASE = 364_000_000_000
COMMENT_ID_BASE = 370_000_000_000
AUDIT_ID_BASE = 380_000_000_000
EVENT_ID_BASE = 390_000_000_000
ATTACHMENT_ID_BASE = 395_000_000_000
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # Zendesk's limit for one file
_PER_TICKET = 10_000  # room for MAX_COMMENTS_PER_TICKET comments (and as many audits) per ticket


def comment_id(ticket_id: int, index: int) -> int:
    """The id of the ``index``-th comment of a ticket."""
    return COMMENT_ID_BASE + ticket_id * _PER_TICKET + index


def audit_id(ticket_id: int, index: int) -> int:
    """The id of the ``index``-th audit of a ticket."""
    return AUDIT_ID_BASE + ticket_id * _PER_TICKET + index


def event_id(ticket_id: int, audit_index: int, position: int) -> int:
    """The id of an audit event (audits hold few events: 100 per audit is plenty)."""
    return EVENT_ID_BASE + (ticket_id * _PER_TICKET + audit_index) * 100 + position


class Upload(NamedTuple):
    """A file sent to ``POST /uploads.json``: its attachment record, its bytes and its token.

    ``base`` is the server's URL when it was uploaded (for ``content_url``).
    """

    id: int
    token: str
    file_name: str
    content_type: str
    content: bytes
    base: str


class Comment(NamedTuple):
    """One comment; ``html_body`` is None when it was written as plain text through the API (it is
    rendered when shown); seeded comments carry theirs, rendered once as Zendesk stores it."""

    author_id: int
    body: str
    html_body: str | None
    public: bool
    created_at: int
    audit_index: int
    channel: str  # "email", "web" or "api"
    attachments: tuple[Upload, ...] = ()


class Change(NamedTuple):
    """A field change inside an audit (also used for the ``Create`` events of a new ticket)."""

    field_name: str
    value: object
    previous_value: object
    kind: str = "Change"


class CommentAdded(NamedTuple):
    """The comment an audit added, by its position in the ticket's comments."""

    comment_index: int


AuditEvent = Change | CommentAdded


class Audit(NamedTuple):
    """A change set made through the API or by the store (seeded comments get synthesized audits).

    ``custom`` is the ``metadata.custom`` the client sent with the change
    (``{"ticket": {"metadata": {"custom": {...}}}}``); its comment shows it too.
    """

    number: int
    author_id: int
    created_at: int
    events: tuple[AuditEvent, ...]
    channel: str
    custom: Mapping[str, object] | None = None


@dataclass(slots=True)
class User:
    """An agent, admin or end-user."""

    id: int
    name: str
    email: str
    role: str  # "end-user", "agent" or "admin"
    organization_id: int | None
    created_at: int
    default_group_id: int | None = None
    time_zone: str = "Europe/Berlin"


@dataclass(slots=True)
class Organization:
    """A customer company."""

    id: int
    name: str
    domain_names: tuple[str, ...]
    tags: tuple[str, ...]
    created_at: int
    notes: str | None = None


@dataclass(slots=True)
class Group:
    """An agent group (a support team)."""

    id: int
    name: str
    description: str
    created_at: int
    default: bool = False


@dataclass(slots=True)
class TicketField:
    """A ticket field definition: a system field or a custom one (with options for taggers)."""

    id: int
    type: str
    title: str
    description: str
    position: int
    system: bool
    options: tuple[str, ...] = ()
    created_at: int = 0


@dataclass(slots=True)
class Ticket:
    """A ticket with its comments and the audits of changes made after seeding."""

    id: int
    subject: str
    description: str
    status: str
    priority: str | None
    type: str | None
    requester_id: int
    submitter_id: int
    assignee_id: int | None
    organization_id: int | None
    group_id: int | None
    tags: tuple[str, ...]
    custom_fields: dict[int, object]
    created_at: int
    updated_at: int
    comments: list[Comment] = field(default_factory=list)
    audits: list[Audit] = field(default_factory=list)
    seeded_audits: int = 0
    """Audits 0..seeded_audits-1 are synthesized from the seeded comments (one each)."""
    channel: str = "email"
    sla_due_at: int | None = None
    """When the ticket's next SLA target is breached (``include=slas``), with its Zendesk metric name."""
    sla_metric: str | None = None

    @property
    def audit_count(self) -> int:
        """How many audits the ticket has (seeded and recorded)."""
        return self.seeded_audits + len(self.audits)

    def audit(self, number: int) -> Audit:
        """Audit ``number``: synthesized for a seeded comment, else as recorded."""
        if number < self.seeded_audits:
            comment = self.comments[number]
            return Audit(
                number, comment.author_id, comment.created_at, (CommentAdded(number),), comment.channel
            )
        return self.audits[number - self.seeded_audits]

    def audit_custom(self, number: int) -> dict[str, object]:
        """The ``metadata.custom`` of audit ``number`` (empty for seeded ones)."""
        if number < self.seeded_audits:
            return {}
        return dict(self.audits[number - self.seeded_audits].custom or {})
