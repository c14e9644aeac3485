"""Helpers for engine tests against the sandbox Zendesk: its connection, an engine, what to look at."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.enums import OutboxOperation
from core.outbox import JsonValue, enqueue
from core.remote.connections import ConnectionDraft, save_connection
from core.remote.dtos import AuthMethod, Connection, ConnectionScope, FieldMapping
from sync.credentials import store_secret
from sync.engine import SyncEngine
from sync.factory import connector_factory
from sync.http import DEFAULT_RETRY, RateLimits, RetryPolicy
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.engine.conftest import FakeClock

NAME = "Sandbox Zendesk"
LIVE_STATUSES = ("new", "open", "pending", "hold")


def connect(
    db: DbRunner,
    sandbox: ZendeskSandbox,
    token: str | None = None,
    *,
    scope: ConnectionScope | None = None,
    mapping: FieldMapping | None = None,
) -> Connection:
    """A saved connection to ``sandbox`` (every ticket, default mapping unless given) with its
    token in the (test) keychain."""
    draft = ConnectionDraft(
        name=NAME,
        kind="zendesk",
        base_url=sandbox.base_url,
        auth_method=AuthMethod.API_TOKEN,
        account_email=sandbox.email,
        ca_bundle=str(sandbox.ca_bundle),
        scope=scope if scope is not None else ConnectionScope(),
        mapping=mapping,
    )
    connection = db.write(save_connection, draft).result()
    store_secret(NAME, token or sandbox.token)
    return connection


def sandbox_engine(
    db: DbRunner,
    clock: FakeClock,
    sleep: Callable[[float], object],
    retry: RetryPolicy = DEFAULT_RETRY,
) -> SyncEngine:
    """An engine whose connectors come from the keychain, pacing on their own (not the process')."""
    factory = connector_factory(retry=retry, rate_limits=RateLimits(requests_per_minute=100_000))
    return SyncEngine(db, factory, clock=clock, sleep=sleep, random=lambda: 0.5)  # type: ignore[arg-type]


def live_ticket(sandbox: ZendeskSandbox) -> int:
    """A ticket that accepts updates (not solved or closed)."""
    store = sandbox.store
    return next(t for t in store.ticket_ids if store.ticket(t)["status"] in LIVE_STATUSES)


def case_id_of(db: DbRunner, ticket_id: int) -> int:
    """The case pulled from ``ticket_id``."""

    def read(session: Session) -> int:
        ticket = CaseRow.remote_id == str(ticket_id)
        query = select(CaseRow.id).where(CaseRow.source_system == "zendesk", ticket)
        return session.scalars(query).one()

    return db.read(read).result()


def case_field(db: DbRunner, case_id: int, name: str) -> object:
    """One column of a case, as stored."""
    return db.read(lambda session: getattr(session.get_one(CaseRow, case_id), name)).result()


def zendesk_case_count(db: DbRunner) -> int:
    def read(session: Session) -> int:
        return len(session.scalars(select(CaseRow.id).where(CaseRow.source_system == "zendesk")).all())

    return db.read(read).result()


def event_texts(db: DbRunner, case_id: int) -> list[str]:
    """The timeline's texts of a case."""

    def read(session: Session) -> list[str]:
        query = select(TimelineEventRow.body_text).where(TimelineEventRow.case_id == case_id)
        return [text or "" for text in session.scalars(query)]

    return db.read(read).result()


def queue(db: DbRunner, case_id: int, operation: OutboxOperation, payload: Mapping[str, JsonValue]) -> str:
    """An outbox entry for the case, as a use case would write it; returns its idempotency key."""

    def write(session: Session) -> str:
        return enqueue(session, session.get_one(CaseRow, case_id), operation, payload).idempotency_key

    return db.write(write).result()


def comment_bodies(sandbox: ZendeskSandbox, ticket_id: int) -> list[tuple[str, bool]]:
    """The ticket's comments on the sandbox: (plain body, public)."""
    return [(str(c["body"]), bool(c["public"])) for c in sandbox.store.comments(ticket_id)]


class ClearingSleep:
    """Records each wait, clears the sandbox's faults (the storm is over), then really waits."""

    def __init__(self, sandbox: ZendeskSandbox) -> None:
        self.sandbox = sandbox
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.sandbox.set_faults(None)
        await asyncio.sleep(seconds)
