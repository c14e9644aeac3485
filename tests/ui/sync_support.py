"""Helpers for the sync UI tests: Zendesk cases pulled by the real merge, outbox entries made by the
real use cases and moved by the real delivery functions, and a fake sync status source (the
desktop's seam)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.communication.messages import OutgoingMessage, send_message
from core.db.models import CaseRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.enums import DraftChannel, Stage
from core.outbox import pending_entries
from core.remote.connections import ConnectionDraft
from core.remote.delivery import mark_conflict, mark_failed, mark_retry, mark_sending
from core.remote.dtos import Conflict, FieldConflict
from core.remote.merge import apply_page
from core.remote.status import SyncStatus
from core.settings import ME_PERSON_ID, set_setting
from core.workflow.transitions import change_stage
from tests.core.remote.builders import T0, add_zendesk, page, ticket
from ui.sync_status import ConnectionTestResult

REFUSED = "Zendesk refused the change: Comment body is too long (65,536 characters at most)."


@dataclass(frozen=True)
class ZendeskCases:
    """Two cases pulled from Zendesk (tickets 1001 and 1002) and the agent working them (me)."""

    first: int
    second: int
    author: int


def zendesk_cases(db: DbRunner) -> ZendeskCases:
    """Two Zendesk cases merged from a pulled page; the workspace's person is their agent."""
    connection = db.write(add_zendesk).result()
    db.write(
        apply_page,
        connection,
        page(ticket("1001"), ticket("1002", subject="Export fails on large accounts")),
        T0,
    ).result()

    def ids(session: Session) -> ZendeskCases:
        rows = list(session.scalars(select(CaseRow).order_by(CaseRow.remote_id)))
        author = rows[0].assignee_id
        assert author is not None
        set_setting(session, ME_PERSON_ID, str(author))
        return ZendeskCases(rows[0].id, rows[1].id, author)

    return db.write(ids).result()


def reply(db: DbRunner, case_id: int, author: int, text: str) -> int:
    """Send a public reply (the real use case); the id of its outbox entry."""
    db.write(send_message, OutgoingMessage(case_id, author, DraftChannel.PUBLIC_REPLY, text), T0).result()
    return _newest_entry(db, case_id)


def move_stage(db: DbRunner, case_id: int, author: int, stage: Stage) -> int:
    """Change the case's stage (the real use case); the id of its outbox entry."""
    db.write(change_stage, case_id, stage, author, "", T0).result()
    return _newest_entry(db, case_id)


def fail(db: DbRunner, entry_id: int, message: str = REFUSED) -> None:
    """The helpdesk refused the entry (422)."""
    db.write(mark_sending, entry_id, T0).result()
    db.write(mark_failed, entry_id, message).result()


def wait_to_retry(db: DbRunner, entry_id: int, message: str) -> None:
    """A retryable failure: pending again, later."""
    db.write(mark_sending, entry_id, T0).result()
    db.write(mark_retry, entry_id, message, T0 + timedelta(minutes=5)).result()


CONFLICT = Conflict(
    fields=(
        FieldConflict("stage", "awaiting_customer", "awaiting_engineering"),
        FieldConflict("priority", "normal", "urgent"),
    ),
    remote_author="Sam Ortiz",
    remote_changed_at=T0 + timedelta(minutes=3),
    remote_version="2026-11-02T09:03:00Z",
)


def conflict(db: DbRunner, entry_id: int, found: Conflict = CONFLICT) -> None:
    """The helpdesk answered 409: the ticket changed meanwhile."""
    db.write(mark_sending, entry_id, T0).result()
    db.write(mark_conflict, entry_id, found).result()


def timeline_texts(db: DbRunner, case_id: int) -> list[str]:
    """The case's timeline texts, oldest first."""

    def read(session: Session) -> list[str]:
        rows = session.scalars(
            select(TimelineEventRow.body_text)
            .where(TimelineEventRow.case_id == case_id)
            .order_by(TimelineEventRow.id)
        )
        return [text or "" for text in rows]

    return db.read(read).result()


def case_fields(db: DbRunner, case_id: int) -> tuple[str, str]:
    """The case's (stage, priority)."""

    def read(session: Session) -> tuple[str, str]:
        case = session.get_one(CaseRow, case_id)
        return case.stage, case.priority

    return db.read(read).result()


def _newest_entry(db: DbRunner, case_id: int) -> int:
    return db.read(lambda s: max(entry.id for entry in pending_entries(s, case_id))).result()


@dataclass
class FakeSyncSource:
    """The desktop's seam as a test drives it: a settable snapshot, recorded calls."""

    snapshot: SyncStatus = field(default_factory=SyncStatus)
    sync_calls: int = 0
    tests: list[tuple[ConnectionDraft, str | None]] = field(default_factory=list)
    answers: list[Callable[[ConnectionTestResult], None]] = field(default_factory=list)

    def status(self) -> SyncStatus:
        return self.snapshot

    def sync_now(self) -> None:
        self.sync_calls += 1

    def test_connection(
        self, draft: ConnectionDraft, secret: str | None, on_done: Callable[[ConnectionTestResult], None]
    ) -> None:
        self.tests.append((draft, secret))
        self.answers.append(on_done)


@dataclass
class FakeSecrets:
    """The keychain seam: remembers what it was given (tests check the secret went only here)."""

    saved: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)

    def save(self, name: str, secret: str) -> None:
        self.saved[name] = secret

    def delete(self, name: str) -> None:
        self.deleted.append(name)
        self.saved.pop(name, None)

    def rename(self, old_name: str, new_name: str) -> None:
        if old_name in self.saved:
            self.saved[new_name] = self.saved.pop(old_name)
