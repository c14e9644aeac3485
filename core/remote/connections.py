"""Helpdesk connections: add, edit, remove, list; their scope, field mapping, status and cursors.

CONTRACT (signatures fixed; the core-sync helper implements the bodies). The secret is never
stored here (``sync.credentials`` keeps it in the OS keychain under the connection's name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.remote.dtos import AuthMethod, Connection, ConnectionScope, ConnectionStatus, FieldMapping


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
    raise NotImplementedError


def save_connection(session: Session, draft: ConnectionDraft, connection_id: int | None = None) -> Connection:
    """Add (``connection_id`` None) or update a connection; raises :class:`ConnectionProblem`.

    Checks: a unique non-empty name, a known kind, an ``https://`` URL (``http://`` only for
    127.0.0.1/localhost, the sandbox), an e-mail for API-token auth, a readable CA bundle file.
    """
    raise NotImplementedError


def remove_connection(session: Session, connection_id: int) -> ChangeSet:
    """Remove a connection and its cursors; its cases, events and outbox entries stay (nothing lost)."""
    raise NotImplementedError


def list_connections(session: Session) -> list[Connection]:
    """Every connection, by name."""
    raise NotImplementedError


def connection_named(session: Session, name: str) -> Connection | None:
    """The connection called ``name``, if any."""
    raise NotImplementedError


def set_status(
    session: Session,
    connection_id: int,
    status: ConnectionStatus,
    message: str | None = None,
    synced_at: datetime | None = None,
) -> None:
    """Record where the connection stands (and when it last synced successfully)."""
    raise NotImplementedError


def cursor_of(session: Session, connection: Connection, resource: str) -> str | None:
    """Where the next pull of ``resource`` starts (None: never pulled)."""
    raise NotImplementedError
