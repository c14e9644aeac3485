"""``handoff bench``'s sync figure: an initial sync of many tickets from the sandbox Zendesk.

``sync_tickets_per_s``: tickets per second of a first sync of ``tickets`` tickets with all their
comments, end to end: pulled over HTTPS from the sandbox (``handoff sandbox zendesk``, in its
own process so it never shares this interpreter), mapped by the Zendesk connector, merged into
a fresh workspace on the DB thread (cases, contacts, people, teams, comments, full-text index,
SLA deadlines at commit) with each page's cursor. Where the time goes: the seconds the DB
thread spent merging pages; the rest is waiting on the network (the sandbox's answers, HTTP,
TLS, decoding and mapping; the connector fetches the next page while a page is merged).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.remote import merge
from core.remote.connections import save_connection
from core.remote.dtos import Connection
from core.workspace import open_workspace
from desktop.sandbox_process import running_sandbox
from sync.connectors.base import Connector
from sync.engine import SyncEngine
from sync.factory import build_connector
from sync.http import Credentials, RateLimits

SYNC_BENCH_TICKETS = 100_000


@dataclass(frozen=True)
class SyncBench:
    """An initial sync: how many tickets and comments, how long, and how much of it was merging."""

    tickets: int
    comments: int
    seconds: float
    merge_seconds: float

    @property
    def tickets_per_s(self) -> float:
        return self.tickets / self.seconds if self.seconds else 0.0


class _MergeClock:
    """Adds up the time the DB thread spends in :func:`core.remote.merge.apply_pages`."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._original = merge.apply_pages

    def __enter__(self) -> _MergeClock:
        original = self._original

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        merge.apply_pages = timed
        return self

    def __exit__(self, *_: object) -> None:
        merge.apply_pages = self._original


def bench_initial_sync(tickets: int = SYNC_BENCH_TICKETS, seed: int = 2026) -> SyncBench:
    """Sync ``tickets`` sandbox tickets into a new workspace; the figures of that run."""
    arguments = ["--cases", str(tickets), "--seed", str(seed), "--rate-limit", "1000000"]
    with running_sandbox(arguments) as sandbox, tempfile.TemporaryDirectory() as scratch:
        engine, _report = open_workspace(Path(scratch) / "workspace")
        db = DbRunner(engine)
        try:
            draft = sandbox.connection_draft("Bench sandbox")
            db.write(save_connection, draft).result()
            credentials = Credentials.api_token(sandbox.email, sandbox.token)
            limits = RateLimits(requests_per_minute=1_000_000)

            def connector_for(connection: Connection) -> Connector:
                return build_connector(connection, credentials, rate_limits=limits)

            sync = SyncEngine(db, connector_for)
            with _MergeClock() as merging:
                started = time.perf_counter()
                report = asyncio.run(_run_once(sync))
                seconds = time.perf_counter() - started
            if not report.ok:
                raise RuntimeError(f"the benchmark sync failed: {report}")
            comments = db.read(_count_comments).result()
            pulled = sum(connection.tickets_pulled for connection in report.connections)
            return SyncBench(pulled, comments, seconds, merging.seconds)
        finally:
            db.shutdown()
            engine.dispose()


async def _run_once(sync: SyncEngine) -> Any:
    try:
        return await sync.run_once()
    finally:
        await sync.aclose()


def _count_comments(session: Session) -> int:
    return int(
        session.execute(text("SELECT count(*) FROM timeline_events WHERE remote_id IS NOT NULL")).scalar_one()
    )


if __name__ == "__main__":  # python -m desktop.bench_sync [TICKETS]
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    result = bench_initial_sync(count)
    print(
        f"{result.tickets:,} tickets, {result.comments:,} comments in {result.seconds:.1f} s: "
        f"{result.tickets_per_s:,.0f} tickets/s (merging {result.merge_seconds:.1f} s)"
    )
