"""A workspace linked to the sandbox made from it: the first sync matches every ticket, user and
comment (no copies), and what changes on the helpdesk afterwards arrives once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, ContactRow, PersonRow, TeamRow, TimelineEventRow
from core.db.runner import DbRunner
from core.generator.workspace import generate_workspace
from core.remote.connections import ConnectionDraft, save_connection
from core.remote.dtos import AuthMethod, Connection
from sync.engine import SyncEngine
from sync.factory import build_connector
from sync.http import Credentials, RateLimits
from sync.sandbox.zendesk.server import ZendeskSandbox
from sync.sandbox.zendesk.workspace_link import link_workspace, seed_from_workspace

NAME = "Demo Zendesk"
pytestmark = pytest.mark.asyncio


@pytest.fixture
def linked(engine: Engine, workspace_dir: Path) -> Iterator[ZendeskSandbox]:
    """A generated workspace, a sandbox seeded from it, the workspace linked and connected."""
    generate_workspace(
        engine, cases=40, seed=3, anchor=datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    )
    seed = seed_from_workspace(workspace_dir)
    with ZendeskSandbox(seed_data=seed) as sandbox:
        assert link_workspace(engine, NAME) == 40
        draft = ConnectionDraft(
            name=NAME,
            kind="zendesk",
            base_url=sandbox.base_url,
            auth_method=AuthMethod.API_TOKEN,
            account_email=sandbox.email,
            ca_bundle=str(sandbox.ca_bundle),
        )
        with Session(engine) as session, session.begin():
            save_connection(session, draft)
        yield sandbox


def _engine(db: DbRunner, sandbox: ZendeskSandbox) -> SyncEngine:
    credentials = Credentials.api_token(sandbox.email, sandbox.token)

    def connector_for(connection: Connection) -> object:
        return build_connector(connection, credentials, rate_limits=RateLimits(requests_per_minute=100_000))

    return SyncEngine(db, connector_for)  # type: ignore[arg-type]


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(table)) or 0
        for table in (CaseRow, TimelineEventRow, PersonRow, ContactRow, TeamRow)
    )


async def test_the_first_sync_of_a_linked_workspace_copies_nothing(
    engine: Engine, db: DbRunner, linked: ZendeskSandbox
) -> None:
    before = db.read(_counts).result()
    sync = _engine(db, linked)
    try:
        report = await sync.run_once()
    finally:
        await sync.aclose()

    assert report.ok, report
    assert report.connections[0].tickets_pulled >= 40
    cases, events, people, contacts, teams = db.read(_counts).result()
    assert (cases, people, contacts, teams) == (before[0], before[2], before[3], before[4])
    assert events == before[1]  # every comment matched its event: no copy, no "changed" note


async def test_a_customer_reply_on_the_helpdesk_arrives_once(
    engine: Engine, db: DbRunner, linked: ZendeskSandbox
) -> None:
    sync = _engine(db, linked)
    try:
        assert (await sync.run_once()).ok
        ticket = next(
            t for t in linked.store.ticket_ids if linked.store.ticket(t)["status"] in ("open", "pending")
        )
        linked.store.add_customer_reply(ticket, "Any news on this? The export still stops at 10,000 rows.")
        assert (await sync.run_once()).ok
        assert (await sync.run_once()).ok
    finally:
        await sync.aclose()

    def replies(session: Session) -> list[str]:
        return list(
            session.scalars(
                select(TimelineEventRow.body_text)
                .join(CaseRow, CaseRow.id == TimelineEventRow.case_id)
                .where(CaseRow.number == ticket, TimelineEventRow.body_text.like("Any news on this?%"))
            )
        )

    assert db.read(replies).result() == ["Any news on this? The export still stops at 10,000 rows."]
