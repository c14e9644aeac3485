"""The outbox's delivery states as the sync engine moves them, and what the Outbox view shows.

CONTRACT (signatures fixed; the core-sync helper implements the bodies).

Entries are delivered in order per case: a case's next entry waits while an earlier one is
failed or in conflict. ``in_flight`` with ``sent_at`` set means the entry may have reached the
server: before sending it again the engine asks the connector whether it landed (exactly once).
Every function runs in the caller's transaction and returns the change set the views need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.outbox import JsonValue, OutboxEntry
from core.remote.dtos import Conflict, PushResult


@dataclass(frozen=True)
class DeliveryTarget:
    """Where an entry goes: the case's ticket and the version its push must be based on."""

    case_id: int
    remote_id: str | None  # None: the case has no ticket yet (a local case: not delivered)
    version: str | None  # the ticket version last seen (safe_update's updated_stamp)


@dataclass(frozen=True)
class OutboxItem:
    """One row of the Outbox view: the entry, its case, and its error or conflict."""

    entry: OutboxEntry
    case_number: int | None
    case_subject: str
    conflict: Conflict | None
    sent_at: datetime | None


@dataclass(frozen=True)
class OutboxCounts:
    """What the sync status area counts."""

    pending: int
    failed: int
    conflict: int


def deliverable(
    session: Session, kind: str, now: datetime, limit: int = 50
) -> list[tuple[OutboxEntry, DeliveryTarget]]:
    """The next entries to push for connections of ``kind``: per case its oldest undelivered entry
    (pending and due, or in flight after an interruption), unless an earlier one of the case is
    failed or in conflict; oldest first."""
    raise NotImplementedError


def mark_sending(session: Session, entry_id: int, now: datetime) -> ChangeSet:
    """The entry is about to go on the network: ``in_flight``, ``sent_at`` = now, one more attempt."""
    raise NotImplementedError


def mark_delivered(session: Session, entry_id: int, result: PushResult, now: datetime) -> ChangeSet:
    """The helpdesk acknowledged it: ``done``; remote ids onto the local events; the case's version."""
    raise NotImplementedError


def mark_retry(session: Session, entry_id: int, message: str, next_attempt_at: datetime) -> ChangeSet:
    """A retryable failure (offline, 429, 5xx): ``pending`` again, not before ``next_attempt_at``."""
    raise NotImplementedError


def mark_failed(session: Session, entry_id: int, message: str) -> ChangeSet:
    """The helpdesk refused it (422/400): ``failed`` with its message for the user."""
    raise NotImplementedError


def mark_conflict(session: Session, entry_id: int, conflict: Conflict) -> ChangeSet:
    """The ticket changed meanwhile: ``conflict`` with both values kept until the user decides."""
    raise NotImplementedError


def retry_entry(session: Session, entry_id: int, payload: Mapping[str, JsonValue] | None = None) -> ChangeSet:
    """The user retries a failed or conflicting entry (with an edited payload): ``pending`` now."""
    raise NotImplementedError


def resolve_conflict(session: Session, entry_id: int, chosen: Mapping[str, str | None]) -> ChangeSet:
    """The user chose per field (the value to keep): local values are pushed again on the remote
    version, remote values are applied to the case; the choice is written to the timeline."""
    raise NotImplementedError


def discard_entry(session: Session, entry_id: int, actor_name: str) -> ChangeSet:
    """The user gives up an entry: it is not delivered, and a copy stays in the case's timeline."""
    raise NotImplementedError


def outbox_items(session: Session) -> list[OutboxItem]:
    """Every undelivered entry (pending, in flight, failed, conflict), oldest first."""
    raise NotImplementedError


def outbox_counts(session: Session) -> OutboxCounts:
    """How many entries are pending (or in flight), failed and in conflict."""
    raise NotImplementedError
