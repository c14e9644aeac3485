"""The records a connector pulls, in Handoff's words (vendor field names never pass the connector).

CONTRACT shared by the sync helpers: add fields with defaults, never rename or remove.

A connector maps one page of the helpdesk's changes to a :class:`RemotePage`; core merges it
(:func:`core.remote.merge.apply_page`) in one transaction together with the page's cursor.
Moments are timezone-aware UTC datetimes. Ids are the helpdesk's ids as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.sla.vendor import VendorSlaTarget


class ConnectionStatus(StrEnum):
    """Where a connection stands, as the sync status area shows it."""

    NEVER_SYNCED = "never_synced"
    CONNECTED = "connected"
    OFFLINE = "offline"  # the host cannot be reached; the outbox waits
    SIGN_IN_NEEDED = "sign_in_needed"  # credentials refused or missing: the engine stopped
    ERROR = "error"  # something else; ``status_message`` says what


class AuthMethod(StrEnum):
    """How a connection signs in (the secret itself is in the OS keychain)."""

    API_TOKEN = "api_token"  # Zendesk: email + API token (Basic "email/token:TOKEN")
    OAUTH = "oauth"  # a Bearer access token


@dataclass(frozen=True)
class ConnectionScope:
    """Which tickets are escalations to pull: any of these groups, tags or a custom field value.

    Empty everywhere: every ticket.
    """

    group_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    custom_field_id: str | None = None
    custom_field_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldMapping:
    """How Handoff's fields map to the helpdesk's (defaults per vendor; editable, validated).

    - ``stage_statuses``: Handoff stage → the helpdesk status it is pushed as;
    - ``status_stages``: helpdesk status → the Handoff stage a pulled ticket takes, unless its
      current stage already maps to that status (a triaged case stays triaged while "open");
    - ``team_groups``: Handoff team key → helpdesk group id (lane moves push the group);
    - ``tier_field_id`` / ``product_area_field_id``: the custom fields holding tier and area
      (None: not synced); ``priority_values``: Handoff priority → helpdesk priority.
    """

    stage_statuses: tuple[tuple[str, str], ...] = ()
    status_stages: tuple[tuple[str, str], ...] = ()
    team_groups: tuple[tuple[str, str], ...] = ()
    tier_field_id: str | None = None
    product_area_field_id: str | None = None
    priority_values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Connection:
    """A helpdesk connection as the engine and Settings see it (no secret)."""

    id: int
    name: str
    kind: str  # a SourceSystem value ("zendesk")
    base_url: str  # "https://acme.zendesk.com"
    auth_method: AuthMethod
    account_email: str | None
    ca_bundle: str | None  # an extra CA bundle file for TLS-inspecting proxies (verification stays on)
    scope: ConnectionScope
    mapping: FieldMapping
    enabled: bool
    status: ConnectionStatus
    status_message: str | None
    last_synced_at: datetime | None


@dataclass(frozen=True)
class RemoteUser:
    """A helpdesk user: an agent (a person of the organisation) or an end user (a customer contact)."""

    remote_id: str
    name: str
    email: str | None
    is_agent: bool
    organization_id: str | None = None


@dataclass(frozen=True)
class RemoteOrganization:
    """A helpdesk organization (a customer account)."""

    remote_id: str
    name: str
    domain: str | None = None


@dataclass(frozen=True)
class RemoteGroup:
    """A helpdesk group (a team lane)."""

    remote_id: str
    name: str


@dataclass(frozen=True)
class RemoteComment:
    """A comment of a ticket: public (a reply or the customer's message) or internal (a note)."""

    remote_id: str
    ticket_id: str
    author_id: str
    public: bool
    body_text: str
    body_html: str | None
    created_at: datetime
    marker: str | None = None  # Handoff's idempotency marker found in the comment (it sent it)


@dataclass(frozen=True)
class RemoteTicket:
    """A ticket's fields in Handoff's terms (stage and priority already mapped by the connector).

    ``version`` is what optimistic concurrency compares (Zendesk: ``updated_at`` sent back as
    ``updated_stamp``); ``url`` opens the ticket in the browser.
    """

    remote_id: str
    subject: str
    description: str
    stage: str  # a Stage value (mapped from the status)
    status: str  # the helpdesk's own status, kept for the mapping
    priority: str  # a Priority value
    requester_id: str | None
    organization_id: str | None
    group_id: str | None
    assignee_id: str | None
    tags: tuple[str, ...]
    tier: int | None
    product_area: str | None
    created_at: datetime
    updated_at: datetime
    version: str
    url: str
    vendor_sla: tuple[VendorSlaTarget, ...] = ()


@dataclass(frozen=True)
class RemotePage:
    """One page of changes and the cursor that follows it (saved in the same transaction)."""

    resource: str  # what the cursor is for ("tickets")
    cursor: str  # where the next pull starts
    end_of_stream: bool
    tickets: tuple[RemoteTicket, ...] = ()
    comments: tuple[RemoteComment, ...] = ()
    users: tuple[RemoteUser, ...] = ()
    organizations: tuple[RemoteOrganization, ...] = ()
    groups: tuple[RemoteGroup, ...] = ()
    deleted_ticket_ids: tuple[str, ...] = ()
    left_scope_ticket_ids: tuple[str, ...] = ()
    """Tickets that changed and no longer match the connection's scope: their cases stay (with a
    timeline note, :mod:`core.remote.scope_exits`) but are not updated from the helpdesk any more."""


@dataclass(frozen=True)
class FieldConflict:
    """One field both sides changed: Handoff's pending value and the helpdesk's."""

    field: str
    local: str | None
    remote: str | None


@dataclass(frozen=True)
class Conflict:
    """A push the helpdesk refused because the ticket changed meanwhile (Zendesk 409, Salesforce 412)."""

    fields: tuple[FieldConflict, ...]
    remote_author: str | None
    remote_changed_at: datetime | None
    remote_version: str | None


@dataclass(frozen=True)
class PushResult:
    """What the helpdesk answered to a delivered outbox entry."""

    remote_ids: dict[str, str] = field(default_factory=dict)  # e.g. {"comment": "123", "audit": "456"}
    ticket_version: str | None = None  # the ticket's version after the change
