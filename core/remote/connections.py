"""Helpdesk connections: add, edit, remove, list; their scope, field mapping, status and cursors.

CONTRACT (signatures fixed; the core-sync helper implements the bodies). The secret is never
stored here (``sync.credentials`` keeps it in the OS keychain under the connection's name).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from core.db.models import ConnectionRow, SyncCursorRow
from core.db.types import utc_now
from core.domain.changes import ChangeSet
from core.domain.enums import Priority, SourceSystem, Stage
from core.policy.hosts import connection_policy_problems
from core.remote.dtos import AuthMethod, Connection, ConnectionScope, ConnectionStatus, FieldMapping
from core.remote.mapping_json import mapping_from_json, mapping_to_json, scope_from_json, scope_to_json

# Zendesk status → the stage a pulled ticket takes (when its stage does not already map to it).
ZENDESK_STATUS_STAGES: tuple[tuple[str, str], ...] = (
    ("new", Stage.NEW.value),
    ("open", Stage.INVESTIGATING.value),
    ("pending", Stage.AWAITING_CUSTOMER.value),
    ("hold", Stage.AWAITING_ENGINEERING.value),
    ("solved", Stage.RESOLVED.value),
    ("closed", Stage.CLOSED.value),
)
# Handoff stage → the Zendesk status it is pushed as.
ZENDESK_STAGE_STATUSES: tuple[tuple[str, str], ...] = (
    (Stage.NEW.value, "new"),
    (Stage.REQUESTED.value, "open"),
    (Stage.TRIAGED.value, "open"),
    (Stage.INVESTIGATING.value, "open"),
    (Stage.AWAITING_APPROVAL.value, "hold"),  # on hold until a manager decides
    (Stage.RESOLUTION_PROPOSED.value, "pending"),  # waiting for the customer to confirm
    (Stage.AWAITING_CUSTOMER.value, "pending"),
    (Stage.AWAITING_ENGINEERING.value, "hold"),
    (Stage.RESOLVED.value, "solved"),
    (Stage.CLOSED.value, "closed"),
)
SAME_PRIORITIES: tuple[tuple[str, str], ...] = tuple((level.value, level.value) for level in Priority)
# Hosts a plain http:// URL may name: the sandbox on this machine.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
NAME_MAX_LENGTH = 100
REMOTE_KINDS: tuple[str, ...] = tuple(kind.value for kind in SourceSystem if kind is not SourceSystem.LOCAL)


class ConnectionProblem(ValueError):
    """A connection that cannot be saved; ``problems`` names each field and what is wrong with it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ConnectionDraft:
    """What the user fills in to add or edit a connection (validated by :func:`save_connection`)."""

    name: str
    kind: str
    base_url: str
    auth_method: AuthMethod
    account_email: str | None = None
    ca_bundle: str | None = None
    scope: ConnectionScope = field(default_factory=ConnectionScope)
    mapping: FieldMapping | None = None  # None: the vendor's defaults (:func:`default_mapping`)
    enabled: bool = True


def default_mapping(kind: str) -> FieldMapping:
    """The field mapping a new connection of ``kind`` starts with (Zendesk: statuses new/open/pending/
    hold/solved/closed ↔ Handoff stages, priorities low/normal/high/urgent, no custom fields)."""
    if kind == SourceSystem.ZENDESK.value:
        return FieldMapping(
            stage_statuses=ZENDESK_STAGE_STATUSES,
            status_stages=ZENDESK_STATUS_STAGES,
            priority_values=SAME_PRIORITIES,
        )
    return FieldMapping(priority_values=SAME_PRIORITIES)


def save_connection(session: Session, draft: ConnectionDraft, connection_id: int | None = None) -> Connection:
    """Add (``connection_id`` None) or update a connection; raises :class:`ConnectionProblem`.

    Checks: a unique non-empty name, a known kind, an ``https://`` URL (``http://`` only for
    127.0.0.1/localhost, the sandbox), an e-mail for API-token auth, a readable CA bundle file.
    """
    row = session.get(ConnectionRow, connection_id) if connection_id is not None else None
    if connection_id is not None and row is None:
        raise ConnectionProblem([f"Connection: there is no connection with id {connection_id} any more."])
    name = draft.name.strip()
    base_url = draft.base_url.strip().rstrip("/")
    email = (draft.account_email or "").strip() or None
    ca_bundle = (draft.ca_bundle or "").strip() or None
    mapping = draft.mapping
    if mapping is None:  # an edit keeps the mapping the user made; a new connection starts with the defaults
        same_kind = row is not None and row.kind == draft.kind
        mapping = to_connection(row).mapping if row is not None and same_kind else default_mapping(draft.kind)
    problems = [
        *_name_problems(session, name, connection_id),
        *_kind_problems(draft.kind),
        *_url_problems(base_url),
        *_email_problems(draft.auth_method, email),
        *_ca_bundle_problems(ca_bundle),
        *mapping_problems(mapping),
        *connection_policy_problems(base_url),  # a host the IT policy does not allow
    ]
    if problems:
        raise ConnectionProblem(problems)
    now = utc_now()
    if row is None:
        row = ConnectionRow(name=name, created_at=now, status=ConnectionStatus.NEVER_SYNCED.value)
        session.add(row)
    elif row.name != name:
        # Cursors are kept under the connection's name: they follow a rename.
        session.execute(
            update(SyncCursorRow).where(SyncCursorRow.connection_id == row.name).values(connection_id=name)
        )
    row.name = name
    row.kind = draft.kind
    row.base_url = base_url
    row.auth_method = draft.auth_method.value
    row.account_email = email
    row.ca_bundle = ca_bundle
    row.scope_json = scope_to_json(draft.scope)
    row.mapping_json = mapping_to_json(mapping)
    row.enabled = draft.enabled
    row.updated_at = now
    session.flush()
    return to_connection(row)


def remove_connection(session: Session, connection_id: int) -> ChangeSet:
    """Remove a connection and its cursors; its cases, events and outbox entries stay (nothing lost)."""
    row = session.get(ConnectionRow, connection_id)
    if row is None:
        return ChangeSet()
    session.execute(delete(SyncCursorRow).where(SyncCursorRow.connection_id == row.name))
    session.delete(row)
    session.flush()
    return ChangeSet(config=True)


def list_connections(session: Session) -> list[Connection]:
    """Every connection, by name."""
    rows = session.scalars(select(ConnectionRow).order_by(func.lower(ConnectionRow.name), ConnectionRow.id))
    return [to_connection(row) for row in rows]


def connection_named(session: Session, name: str) -> Connection | None:
    """The connection called ``name``, if any."""
    row = session.scalar(select(ConnectionRow).where(ConnectionRow.name == name.strip()))
    return to_connection(row) if row is not None else None


def set_status(
    session: Session,
    connection_id: int,
    status: ConnectionStatus,
    message: str | None = None,
    synced_at: datetime | None = None,
) -> None:
    """Record where the connection stands (and when it last synced successfully)."""
    row = session.get(ConnectionRow, connection_id)
    if row is None:
        return
    row.status = status.value
    row.status_message = message
    if synced_at is not None:
        row.last_synced_at = synced_at
    session.flush()


def cursor_of(session: Session, connection: Connection, resource: str) -> str | None:
    """Where the next pull of ``resource`` starts (None: never pulled)."""
    row = session.get(SyncCursorRow, (connection.name, resource))
    return row.cursor if row is not None else None


def save_cursor(session: Session, connection: Connection, resource: str, cursor: str, now: datetime) -> None:
    """Remember where the next pull of ``resource`` starts (in the caller's transaction)."""
    row = session.get(SyncCursorRow, (connection.name, resource))
    if row is None:
        row = SyncCursorRow(connection_id=connection.name, resource=resource, cursor=cursor, updated_at=now)
        session.add(row)
    elif row.cursor != cursor:
        row.cursor = cursor
        row.updated_at = now


def connection_by_id(session: Session, connection_id: int) -> Connection | None:
    """The connection ``connection_id``, if it still exists."""
    row = session.get(ConnectionRow, connection_id)
    return to_connection(row) if row is not None else None


def to_connection(row: ConnectionRow) -> Connection:
    """The DTO of a connection row."""
    return Connection(
        id=row.id,
        name=row.name,
        kind=row.kind,
        base_url=row.base_url,
        auth_method=AuthMethod(row.auth_method),
        account_email=row.account_email,
        ca_bundle=row.ca_bundle,
        scope=scope_from_json(row.scope_json),
        mapping=mapping_from_json(row.mapping_json, default_mapping(row.kind)),
        enabled=row.enabled,
        status=ConnectionStatus(row.status),
        status_message=row.status_message,
        last_synced_at=row.last_synced_at,
    )


def helpdesk_name(kind: str) -> str:
    """The helpdesk's name as messages show it ("Zendesk")."""
    return kind.capitalize() if kind else "the helpdesk"


def mapping_problems(mapping: FieldMapping) -> list[str]:
    """What is wrong with ``mapping`` (unknown stages or priorities, blank statuses), field by field."""
    stages = {stage.value for stage in Stage}
    priorities = {priority.value for priority in Priority}
    problems: list[str] = []
    for stage, status in mapping.stage_statuses:
        if stage not in stages:
            problems.append(f"Stage mapping: “{stage}” is not a Handoff stage")
        if not status.strip():
            problems.append(f"Stage mapping: the status for “{stage}” is empty")
    for status, stage in mapping.status_stages:
        if stage not in stages:
            problems.append(f"Status mapping: “{status}” maps to “{stage}”, which is not a Handoff stage")
    for priority, value in mapping.priority_values:
        if priority not in priorities:
            problems.append(f"Priority mapping: “{priority}” is not a Handoff priority")
        if not value.strip():
            problems.append(f"Priority mapping: the value for “{priority}” is empty")
    for team, group in mapping.team_groups:
        if not team.strip() or not group.strip():
            problems.append("Team mapping: every team needs a team key and a group id")
    return problems


def _name_problems(session: Session, name: str, connection_id: int | None) -> list[str]:
    if not name:
        return ["Name: required"]
    if len(name) > NAME_MAX_LENGTH:
        return [f"Name: at most {NAME_MAX_LENGTH} characters"]
    taken = session.scalar(select(ConnectionRow.id).where(ConnectionRow.name == name))
    if taken is not None and taken != connection_id:
        return [f"Name: another connection is already called “{name}”"]
    return []


def _kind_problems(kind: str) -> list[str]:
    if kind not in REMOTE_KINDS:
        return [f"Helpdesk: “{kind}” is not one Handoff can sync with ({', '.join(REMOTE_KINDS)})"]
    return []


def _url_problems(base_url: str) -> list[str]:
    if not base_url:
        return ["URL: required (for example https://yourcompany.zendesk.com)"]
    try:
        parts = urlsplit(base_url)
        host = parts.hostname or ""
    except ValueError:
        return ["URL: not a web address"]
    if parts.scheme == "http":
        if host not in LOOPBACK_HOSTS:
            return ["URL: must start with https:// (http:// is only for a sandbox on 127.0.0.1 or localhost)"]
    elif parts.scheme != "https":
        return ["URL: must start with https://"]
    if not host:
        return ["URL: names no host"]
    if parts.query or parts.fragment:
        return ["URL: give only the address of the helpdesk, without ? or #"]
    return []


def _email_problems(auth_method: AuthMethod, email: str | None) -> list[str]:
    if email is None:
        if auth_method is AuthMethod.API_TOKEN:
            return ["E-mail: required to sign in with an API token"]
        return []
    local, at, domain = email.partition("@")
    if not (local and at and domain) or " " in email:
        return [f"E-mail: “{email}” is not an e-mail address"]
    return []


def _ca_bundle_problems(ca_bundle: str | None) -> list[str]:
    if ca_bundle is None:
        return []
    if not os.path.isfile(ca_bundle):
        return [f"CA bundle: there is no file {ca_bundle}"]
    if not os.access(ca_bundle, os.R_OK):
        return [f"CA bundle: {ca_bundle} cannot be read"]
    return []
