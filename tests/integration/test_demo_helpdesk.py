"""``handoff demo``'s live helpdesk: a sandbox Zendesk made from the demo workspace, in its own
process, and the workspace connected to it so the first sync copies nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, ConnectionRow, TimelineEventRow
from core.db.runner import DbRunner
from core.generator.workspace import generate_workspace
from core.remote.dtos import Connection
from desktop.demo_helpdesk import DEMO_CONNECTION, connect_demo, sandbox_arguments
from desktop.sandbox_process import running_sandbox
from sync.connectors.base import Connector
from sync.engine import SyncEngine
from sync.factory import build_connector
from sync.http import Credentials, RateLimits


def _counts(session: Session) -> tuple[int, int]:
    cases = session.scalar(select(func.count()).select_from(CaseRow)) or 0
    events = session.scalar(select(func.count()).select_from(TimelineEventRow)) or 0
    return cases, events


def test_the_demo_workspace_syncs_with_the_sandbox_made_from_it(engine: Engine, workspace_dir: Path) -> None:
    generate_workspace(
        engine, cases=60, seed=7, anchor=datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    )
    engine.dispose()

    with running_sandbox(sandbox_arguments(workspace_dir)) as sandbox:
        assert sandbox.url.startswith("https://127.0.0.1:") and sandbox.ca_bundle
        assert connect_demo(workspace_dir, sandbox) == 60
        db = DbRunner(engine)
        try:
            before = db.read(_counts).result()
            credentials = Credentials.api_token(sandbox.email, sandbox.token)

            def connector_for(connection: Connection) -> Connector:
                return build_connector(
                    connection, credentials, rate_limits=RateLimits(requests_per_minute=100_000)
                )

            sync = SyncEngine(db, connector_for)

            async def once() -> object:
                try:
                    return await sync.run_once()
                finally:
                    await sync.aclose()

            report = asyncio.run(once())
            after = db.read(_counts).result()
            saved = db.read(lambda session: session.scalar(select(ConnectionRow.base_url))).result()
        finally:
            db.shutdown()

    assert report.ok, report  # type: ignore[attr-defined]
    assert after == before  # every ticket and comment matched: nothing copied
    assert saved == sandbox.url
    assert DEMO_CONNECTION == "Zendesk sandbox (demo)"
