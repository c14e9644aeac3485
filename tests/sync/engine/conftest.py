"""Engine test fixtures: a workspace with a Zendesk connection, a synced case, a clock and a sleep
that only record."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.db.runner import DbRunner
from core.db.types import utc_now
from core.domain.enums import OutboxOperation
from core.outbox import enqueue
from core.remote.connections import ConnectionDraft, save_connection
from core.remote.dtos import AuthMethod, Connection
from sync.connectors.base import Connector
from sync.engine import SyncEngine
from tests.factories import add_case
from tests.sync.engine.fakes import FakeConnector


class FakeClock:
    """Now, moved on only by the test."""

    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class RecordingSleep:
    """Remembers each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def connection(db: DbRunner) -> Connection:
    """A saved Zendesk connection called "Acme Zendesk"."""
    draft = ConnectionDraft(
        name="Acme Zendesk",
        kind="zendesk",
        base_url="https://acme.zendesk.com",
        auth_method=AuthMethod.API_TOKEN,
        account_email="agent@acme.example",
    )
    return db.write(save_connection, draft).result()


def add_zendesk_case(db: DbRunner, number: int, ticket_id: str) -> int:
    """A case pulled from Zendesk ticket ``ticket_id``; returns its id."""

    def write(session: Session) -> int:
        case = add_case(session, number, f"Ticket {ticket_id}")
        case.source_system = "zendesk"
        case.remote_id = ticket_id
        return case.id

    return db.write(write).result()


def add_notes(db: DbRunner, case_id: int, count: int) -> list[str]:
    """``count`` internal notes waiting in the outbox for ``case_id``; returns their idempotency keys."""

    def write(session: Session) -> list[str]:
        case = session.get_one(CaseRow, case_id)
        note = OutboxOperation.ADD_INTERNAL_NOTE
        return [enqueue(session, case, note, {"body": f"note {n}"}).idempotency_key for n in range(count)]

    return db.write(write).result()


@pytest.fixture
def fake() -> FakeConnector:
    return FakeConnector()


@pytest_asyncio.fixture
async def make_engine(
    db: DbRunner, clock: FakeClock, sleep: RecordingSleep
) -> AsyncIterator[Callable[[Connector], SyncEngine]]:
    """Builds engines over ``db`` whose connector is the one given; closes them afterwards."""
    engines: list[SyncEngine] = []

    def build(connector: Connector) -> SyncEngine:
        engine = SyncEngine(db, lambda _connection: connector, clock=clock, sleep=sleep, random=lambda: 0.5)
        engines.append(engine)
        return engine

    yield build
    for engine in engines:
        await engine.aclose()
