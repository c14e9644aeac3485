"""``handoff bench``'s sync figure: an initial sync of many tickets from the sandbox Zendesk.

``sync_tickets_per_s``: tickets per second of a first sync of ``tickets`` tickets with all their
comments, end to end: pulled over HTTPS from the sandbox (``handoff sandbox zendesk``, in its
own process so it never shares this interpreter), mapped by the Zendesk connector, merged into
a fresh workspace on the DB thread (cases, contacts, people, teams, comments, full-text index,
SLA deadlines at commit) with the cursor of the last page of each group merged together. Where
the time goes: the DB thread's seconds by stage (:class:`SyncBench`); the rest is waiting on the
network (the sandbox's answers, HTTP, TLS, decoding and mapping; pages are pulled while the
ones before them are merged).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.remote import merge
from core.remote.connections import save_connection
from core.remote.dtos import Connection
from core.sla import write_hook
from core.workspace import open_workspace
from desktop.sandbox_process import running_sandbox
from sync.connectors.base import Connector
from sync.engine import SyncEngine
from sync.factory import build_connector
from sync.http import Credentials, RateLimits

SYNC_BENCH_TICKETS = 100_000


@dataclass(frozen=True)
class SyncBench:
    """An initial sync: how many tickets and comments, how long, and where the DB thread's time went.

    ``stages``: seconds of the DB thread by stage: ``merge`` (pages merged: cases, contacts,
    comments, each group's full-text index), of which ``full_text_index`` (the statements
    writing the index); ``sla_deadlines`` (the touched cases' deadlines, at commit);
    ``db_thread_busy`` (every unit of work, commits included); the rest of the run the DB thread
    waited for pages (the sandbox's answers, HTTP, TLS, decoding and mapping).
    """

    tickets: int
    comments: int
    seconds: float
    merge_seconds: float
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def tickets_per_s(self) -> float:
        return self.tickets / self.seconds if self.seconds else 0.0


class _StageClock:
    """Adds up the time the DB thread spends per stage (see :class:`SyncBench`)."""

    def __init__(self, engine: Engine) -> None:
        self.seconds: dict[str, float] = {
            "merge": 0.0,
            "full_text_index": 0.0,
            "sla_deadlines": 0.0,
            "db_thread_busy": 0.0,
        }
        self._engine = engine
        self._patched: list[tuple[object, str, Any]] = []
        self._started: dict[int, float] = {}

    def __enter__(self) -> _StageClock:
        self._patch(merge, "apply_pages", "merge")
        self._patch(write_hook, "_refresh", "sla_deadlines")
        self._patch(DbRunner, "_run", "db_thread_busy")
        event.listen(self._engine, "before_cursor_execute", self._before)
        event.listen(self._engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *_: object) -> None:
        for owner, name, original in reversed(self._patched):
            setattr(owner, name, original)
        event.remove(self._engine, "before_cursor_execute", self._before)
        event.remove(self._engine, "after_cursor_execute", self._after)

    def _patch(self, owner: object, name: str, stage: str) -> None:
        original = getattr(owner, name)
        seconds = self.seconds

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[stage] += time.perf_counter() - started

        self._patched.append((owner, name, original))
        setattr(owner, name, timed)

    def _before(self, _conn: object, cursor: object, statement: str, *_: object) -> None:
        if "case_fts" in statement and not statement.lstrip().upper().startswith(("CREATE", "DROP")):
            self._started[id(cursor)] = time.perf_counter()

    def _after(self, _conn: object, cursor: object, *_: object) -> None:
        started = self._started.pop(id(cursor), None)
        if started is not None:
            self.seconds["full_text_index"] += time.perf_counter() - started


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
            with _StageClock(engine) as clock:
                started = time.perf_counter()
                report = asyncio.run(_run_once(sync))
                seconds = time.perf_counter() - started
            if not report.ok:
                raise RuntimeError(f"the benchmark sync failed: {report}")
            comments = db.read(_count_comments).result()
            pulled = sum(connection.tickets_pulled for connection in report.connections)
            stages = {stage: round(value, 1) for stage, value in clock.seconds.items()}
            return SyncBench(pulled, comments, seconds, clock.seconds["merge"], stages)
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
    print("DB thread, seconds by stage:", result.stages)
