""":class:`SyncEngine`: for each enabled connection, pull every page of changes, then deliver the outbox.

A run of one connection:

1. build (or reuse) its connector; no secret → SIGN_IN_NEEDED;
2. pull from the saved cursor until ``end_of_stream``; the pages that arrive while earlier ones
   are merged are merged together on the DB thread, in one transaction with the last one's
   cursor (:mod:`sync.engine.pages`);
3. deliver the deliverable outbox entries (see :mod:`sync.engine.push`) until none is left
   or the host is in trouble;
4. record the outcome: CONNECTED with the sync time; OFFLINE when the host cannot be reached
   (the outbox waits; the next run is the probe that finds it back); SIGN_IN_NEEDED on an auth
   failure (the connection is not tried again until :meth:`SyncEngine.resume` or a new engine);
   ERROR with the failure's sentence otherwise.

:meth:`SyncEngine.run_forever` repeats runs every ``interval`` seconds (sooner after
:meth:`SyncEngine.nudge`, later while a connection keeps failing).
"""

from __future__ import annotations

import asyncio
import logging
import random as random_module
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from core.db.runner import DbRunner
from core.db.types import utc_now
from core.policy.hosts import permitted_connections
from core.remote.dtos import Connection, ConnectionStatus, RemotePage
from core.remote.status import ConnectionSyncStatus, SyncStatus
from sync.connectors.base import Connector
from sync.credentials import CredentialStoreUnavailable
from sync.engine.collection import PullCollection, collector_held_back
from sync.engine.errors import ConnectorUnavailable, NoSuchConnection, SignInRequired
from sync.engine.pages import FIRST_PULL, GroupSize, PageFeed
from sync.engine.push import Clock, Outcome, deliver
from sync.engine.report import ConnectionReport, SyncReport
from sync.engine.schedule import Waker, connection_retry_delay
from sync.engine.status import StatusBoard
from sync.engine.store import ChangeListener, SyncStore
from sync.http import AuthFailed, RateLimited, SyncHttpError, Unreachable

log = logging.getLogger("handoff.sync.engine")

ConnectorFactory = Callable[[Connection], Connector]
Sleep = Callable[[float], Awaitable[None]]
ProgressListener = Callable[[ConnectionSyncStatus], None]

# How many times one run waits out a 429 on a pull before giving up until the next run.
MAX_PULL_RATE_LIMITS = 5


@dataclass
class _Tally:
    """What one connection's run did so far."""

    delivered: int = 0
    failed: int = 0
    conflicts: int = 0
    retrying: int = 0
    problem: str | None = None  # why entries wait for a retry (the host's trouble), for the status


@dataclass
class _Live:
    """A connection's connector and the settings it was built from."""

    connector: Connector
    settings: tuple[object, ...]


class _RunEnded(Exception):
    """A connection's run stops early; the report is already decided."""

    def __init__(self, state: ConnectionStatus, message: str) -> None:
        super().__init__(message)
        self.state = state
        self.message = message


class SyncEngine:
    """Pulls and pushes every enabled connection; see the module docstring.

    ``connector_for`` builds a connection's connector (it may read the keychain, so it runs on
    a helper thread); ``clock``, ``sleep`` and ``random`` are injectable for tests;
    ``on_changes`` receives every write's change set (the GUI publishes them to its views);
    ``on_progress`` hears about each pulled page and delivered entry (the terminal prints it).
    """

    def __init__(
        self,
        db: DbRunner,
        connector_for: ConnectorFactory,
        *,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        random: Callable[[], float] = random_module.random,
        on_changes: ChangeListener | None = None,
        on_progress: ProgressListener | None = None,
    ) -> None:
        self._store = SyncStore(db, on_changes)
        self._connector_for = connector_for
        self._clock = clock
        self._sleep = sleep
        self._random = random
        self._on_progress = on_progress
        self._board = StatusBoard()
        self._waker = Waker()
        self._live: dict[int, _Live] = {}
        self._signed_out: set[int] = set()
        self._stale: set[int] = set()  # connectors to build again (the user signed in again)
        self._failures: dict[int, int] = {}  # failed runs in a row, per connection
        self._stopping = False
        self._forever = False
        self._one_run_at_a_time = asyncio.Lock()
        self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handoff-sync-keychain")

    # -- what the UI and the CLI call ------------------------------------------------------------

    def status(self) -> SyncStatus:
        """The current status (never touches the database or the network)."""
        return self._board.snapshot()

    def nudge(self) -> None:
        """Sync soon: after a local change, or when the user asks for "Sync now"."""
        self._waker.nudge()

    def stop(self) -> None:
        """Ask :meth:`run_forever` to return after the page or entry it is working on (the cursor
        and the outbox are saved as they go, so the next run carries on from there). To quit at
        once, cancel the task instead: every write is one transaction, so nothing is half done."""
        self._stopping = True
        self._waker.nudge()

    def resume(self, connection_id: int) -> None:
        """The user signed in again: sync the connection on the next run (with the new secret)."""
        self._signed_out.discard(connection_id)
        self._stale.add(connection_id)  # rebuilt with the new secret on the next run
        self.nudge()

    async def aclose(self) -> None:
        """Close every connector's HTTP client and the keychain helper thread."""
        lives, self._live = list(self._live.values()), {}
        for live in lives:
            await live.connector.aclose()
        self._helper.shutdown(wait=False)

    async def run_once(self, connection_name: str | None = None) -> SyncReport:
        """One run of every enabled connection (or only ``connection_name``): pull, then push.

        Runs never overlap: a second caller waits for the run going on to finish.
        """
        if not self._forever:
            self._stopping = False  # a stop() meant for an earlier background loop
        return await self._run(connection_name)

    async def _run(self, connection_name: str | None = None) -> SyncReport:
        async with self._one_run_at_a_time:
            self._board.set_running(True)
            try:
                connections = await self._connections(connection_name)
                reports = [await self._run_connection(connection) for connection in connections]
                self._board.counts(await self._store.outbox_counts())
                return SyncReport(tuple(reports))
            finally:
                self._board.set_running(self._forever)

    async def run_forever(self, interval: float) -> None:
        """Run every ``interval`` seconds until :meth:`stop` (sooner when nudged, later while failing)."""
        self._stopping = False
        self._forever = True
        self._board.set_running(True)
        try:
            while not self._stopping:
                wait = interval
                try:
                    report = await self._run()
                    wait = min(wait, self._next_wait(report, interval))
                except asyncio.CancelledError:
                    raise
                except Exception:  # a bug must not end background sync; log it and carry on
                    log.exception("sync run failed")
                if self._stopping:
                    break
                await self._waker.wait(wait)
        finally:
            self._forever = False
            self._board.set_running(False)

    # -- one connection --------------------------------------------------------------------------

    async def _connections(self, name: str | None) -> list[Connection]:
        every = permitted_connections(await self._store.connections())  # hosts the IT policy allows
        self._board.know(every)
        for removed in set(self._live) - {c.id for c in every}:
            await self._forget(removed)
        if name is None:
            return [c for c in every if c.enabled and c.id not in self._signed_out]
        chosen = [c for c in every if c.name == name]
        if not chosen:
            raise NoSuchConnection(name, [c.name for c in every])
        self._signed_out.discard(chosen[0].id)  # asked for by name: try it
        return chosen

    async def _run_connection(self, connection: Connection) -> ConnectionReport:
        board = self._board
        board.begin_run(connection.id)
        tally = _Tally()
        error: str | None
        try:
            connector = await self._connector(connection)
            await self._pull(connection, connector)
            await self._index_search_backlog(connection)
            await self._push(connection, connector, tally)
        except _RunEnded as ended:
            state, error = ended.state, ended.message
            await self._store.set_status(connection, state, error)
            board.state(connection.id, state, error)
            if state == ConnectionStatus.SIGN_IN_NEEDED:
                self._signed_out.add(connection.id)
                await self._forget(connection.id)
            self._failures[connection.id] = self._failures.get(connection.id, 0) + 1
        else:
            state, error = ConnectionStatus.CONNECTED, None
            now = None if self._stopping else self._clock()  # a run cut short is no full sync
            await self._store.set_status(connection, state, tally.problem, synced_at=now)
            board.state(connection.id, state, tally.problem, synced_at=now)
            self._failures.pop(connection.id, None)
        finally:
            board.activity(connection.id, None)
        progress = board.connection(connection.id)
        pulled = progress.progress if progress is not None else None
        return ConnectionReport(
            name=connection.name,
            state=state,
            tickets_pulled=pulled.tickets_pulled if pulled else 0,
            pages_pulled=pulled.pages_pulled if pulled else 0,
            delivered=tally.delivered,
            failed=tally.failed,
            conflicts=tally.conflicts,
            retrying=tally.retrying,
            error=error,
        )

    async def _connector(self, connection: Connection) -> Connector:
        settings = (
            connection.kind,
            connection.base_url,
            connection.auth_method,
            connection.account_email,
            connection.ca_bundle,
            connection.scope,
            connection.mapping,
        )
        live = self._live.get(connection.id)
        if live is not None and live.settings == settings and connection.id not in self._stale:
            return live.connector
        await self._forget(connection.id)
        self._stale.discard(connection.id)
        loop = asyncio.get_running_loop()
        try:
            connector = await loop.run_in_executor(self._helper, self._connector_for, connection)
        except SignInRequired as missing:
            raise _RunEnded(ConnectionStatus.SIGN_IN_NEEDED, missing.user_message) from missing
        except (ConnectorUnavailable, CredentialStoreUnavailable) as unavailable:
            raise _RunEnded(ConnectionStatus.ERROR, unavailable.user_message) from unavailable
        except SyncHttpError as unusable:  # an unreadable CA bundle
            raise _RunEnded(ConnectionStatus.ERROR, unusable.user_message) from unusable
        self._live[connection.id] = _Live(connector, settings)
        return connector

    async def _forget(self, connection_id: int) -> None:
        live = self._live.pop(connection_id, None)
        if live is not None:
            await live.connector.aclose()

    async def _pull(self, connection: Connection, connector: Connector) -> None:
        board = self._board
        cursor = await self._store.cursor(connection)
        board.activity(connection.id, f"{connection.name}: pulling changes")
        first = await self._store.first_pull(connection)
        feed = PageFeed(
            lambda after: self._pull_page(connection, connector, after),
            cursor,
            stopping=lambda: self._stopping,
            size=FIRST_PULL if first else GroupSize(),
        )
        try:
            with collector_held_back() as collection:
                await self._pull_groups(connection, feed, collection)
        finally:
            await feed.settle()

    async def _pull_groups(self, connection: Connection, feed: PageFeed, collection: PullCollection) -> None:
        board = self._board
        while True:
            pages = await feed.group()  # every page pulled while the last group was merged
            if not pages:
                return
            await self._store.apply_pages(connection, pages, self._clock())
            collection.group_merged()
            for page in pages:
                total = board.pulled(connection.id, len(page.tickets))
            board.activity(connection.id, f"{connection.name}: pulled {total:,} tickets")
            self._report_progress(connection)
            if pages[-1].end_of_stream or self._stopping:
                return

    async def _index_search_backlog(self, connection: Connection) -> None:
        """After a first pull: its cases' timelines indexed for search, a few thousand per transaction."""
        indexed = 0
        while not self._stopping:
            count = await self._store.index_search_backlog(connection, self._clock())
            if not count:
                return
            indexed += count
            self._board.activity(connection.id, f"{connection.name}: {indexed:,} cases indexed for search")
            self._report_progress(connection)

    async def _pull_page(
        self, connection: Connection, connector: Connector, cursor: str | None
    ) -> RemotePage:
        """The page after ``cursor``, rate limits waited out; raises what ends the run."""
        waits = 0
        while True:
            try:
                return await connector.pull(cursor)
            except RateLimited as limited:
                waits += 1
                if waits > MAX_PULL_RATE_LIMITS:
                    raise self._ended(connection, limited) from limited
                log.info("%s: %s", connection.name, limited.user_message)
                await self._sleep(limited.retry_after)
            except SyncHttpError as failure:
                raise self._ended(connection, failure) from failure

    async def _push(self, connection: Connection, connector: Connector, tally: _Tally) -> None:
        board = self._board
        board.activity(connection.id, f"{connection.name}: sending changes")
        tried: set[int] = set()  # an entry rescheduled in this run is not taken again in it
        while True:
            batch = [
                (entry, target)
                for entry, target in await self._store.deliverable(connection.kind, self._clock())
                if entry.id not in tried and target.remote_id is not None
            ]
            if not batch:
                return
            for entry, target in batch:
                if self._stopping:
                    return
                tried.add(entry.id)
                try:
                    delivery = await deliver(
                        self._store, connector, entry, target, clock=self._clock, random=self._random
                    )
                except SyncHttpError as stop:  # AuthFailed, TlsFailure
                    raise self._ended(connection, stop) from stop
                if delivery.outcome == Outcome.DELIVERED:
                    tally.delivered += 1
                    board.delivered(connection.id)
                    self._report_progress(connection)
                elif delivery.outcome == Outcome.FAILED:
                    tally.failed += 1
                elif delivery.outcome == Outcome.CONFLICT:
                    tally.conflicts += 1
                else:
                    tally.retrying += 1
                    if isinstance(delivery.error, Unreachable):
                        raise self._ended(connection, delivery.error)
                    tally.problem = delivery.error.user_message if delivery.error else None
                    return  # the host is in trouble: the rest waits for the next run

    def _ended(self, connection: Connection, failure: SyncHttpError) -> _RunEnded:
        """The state a connection ends its run in after ``failure``."""
        log.info("%s: %s", connection.name, failure.user_message)
        if isinstance(failure, AuthFailed):
            return _RunEnded(ConnectionStatus.SIGN_IN_NEEDED, failure.user_message)
        if isinstance(failure, Unreachable):
            return _RunEnded(ConnectionStatus.OFFLINE, failure.user_message)
        return _RunEnded(ConnectionStatus.ERROR, failure.user_message)

    def _report_progress(self, connection: Connection) -> None:
        if self._on_progress is not None:
            current = self._board.connection(connection.id)
            if current is not None:
                self._on_progress(current)

    def _next_wait(self, report: SyncReport, interval: float) -> float:
        """Sooner than ``interval`` when a connection failed (probe again) — never hammering."""
        failing = [self._failures.get(c.connection_id, 0) for c in self.status().connections]
        worst = max((count for count in failing if count), default=0)
        if worst and any(not r.ok for r in report.connections):
            return max(1.0, connection_retry_delay(worst, self._random))
        return interval
