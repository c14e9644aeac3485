"""The window's seam to the sync engine: the engine on the qasync loop, its status for the UI.

:class:`SyncBridge` runs :class:`sync.engine.SyncEngine` in the background of the app coroutine
and implements what the window asks for without importing ``sync``
(:class:`ui.sync_status.SyncStatusSource`: status, "Sync now", "Test connection";
:class:`ui.dialogs.connections_dialog.SecretStore`: the OS keychain). The engine's writes are
published to every view as change sets; a local change that queued an outbox entry wakes it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping

from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.remote.connections import ConnectionDraft
from core.remote.dtos import Connection, ConnectionStatus
from core.remote.merge import SYNC_INITIATOR
from core.remote.status import SyncStatus
from sync.connectors.base import AccountCheck, Connector
from sync.credentials import delete_secret, load_secret, store_secret
from sync.engine import ConnectorUnavailable, SyncEngine
from sync.factory import (
    build_connector,
    check_sign_in,
    connector_for,
    credentials_for,
    draft_connection,
    sign_in_problem,
)
from sync.http import SyncHttpError, install_redaction
from ui.data_access import DataAccess
from ui.sync_status import ConnectionTestResult

log = logging.getLogger("handoff.sync")

SYNC_INTERVAL_S = 60.0
STOP_TIMEOUT_S = 10.0


class SyncBridge:
    """The sync engine of one open workspace, started with the window and stopped on quit."""

    def __init__(
        self,
        db: DbRunner,
        data: DataAccess,
        *,
        interval: float = SYNC_INTERVAL_S,
        session_secrets: Mapping[str, str] | None = None,
    ) -> None:
        # ``session_secrets``: connections signed in for this session only (the demo's sandbox,
        # whose throwaway token never goes to the keychain); every other secret is the keychain's.
        known = dict(session_secrets or {})

        def connector(connection: Connection) -> Connector:
            secret = known.get(connection.name)
            if secret is None:
                return connector_for(connection)
            return build_connector(connection, credentials_for(connection, secret))

        install_redaction()  # secrets the connectors register are masked in every log handler
        self._engine = SyncEngine(db, connector, on_changes=data.publish)
        self._interval = interval
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tests: set[asyncio.Task[None]] = set()  # running "Test connection" checks
        data.changes_applied.connect(self._on_changes_applied)

    def start(self) -> None:
        """Sync in the background every ``interval`` seconds (sooner after a local change)."""
        if self._task is None:
            self._loop = asyncio.get_running_loop()
            self._task = asyncio.ensure_future(self._engine.run_forever(self._interval))

    async def aclose(self) -> None:
        """Stop after the current page or entry (nothing is lost: the outbox keeps the rest)."""
        self._engine.stop()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, STOP_TIMEOUT_S)
            except (TimeoutError, asyncio.CancelledError):
                log.warning("sync did not stop within %s s; cancelled", STOP_TIMEOUT_S)
            except Exception:
                log.exception("sync ended with an error")
            self._task = None
        await self._engine.aclose()

    @property
    def engine(self) -> SyncEngine:
        """The engine itself (``run_once`` for a one-off sync, e.g. in tests and benchmarks)."""
        return self._engine

    # -- SyncStatusSource -------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        return self._engine.status()

    def sync_now(self) -> None:
        self._engine.nudge()

    def test_connection(
        self, draft: ConnectionDraft, secret: str | None, on_done: Callable[[ConnectionTestResult], None]
    ) -> None:
        task = asyncio.ensure_future(self._test(draft, secret, on_done))
        self._tests.add(task)
        task.add_done_callback(self._tests.discard)

    async def _test(
        self, draft: ConnectionDraft, secret: str | None, on_done: Callable[[ConnectionTestResult], None]
    ) -> None:
        connection = draft_connection(draft)
        try:
            if secret is None:
                secret = await asyncio.to_thread(load_secret, draft.name)
            if not secret:
                on_done(ConnectionTestResult(False, "Enter the API token (or access token) to sign in."))
                return
            outcome: AccountCheck | BaseException = await check_sign_in(connection, secret)
        except (SyncHttpError, ConnectorUnavailable) as failure:
            outcome = failure
        except Exception as error:  # the keychain, a bad CA bundle path: say it, never crash the window
            on_done(ConnectionTestResult(False, str(error) or type(error).__name__))
            return
        problem = sign_in_problem(outcome, connection)
        if problem is not None:
            on_done(ConnectionTestResult(False, problem))
        elif isinstance(outcome, AccountCheck):
            on_done(ConnectionTestResult(True, f"Signed in as {outcome.user_name} (agent)."))

    # -- SecretStore (the OS keychain; called off the UI thread) ----------------------------------

    def save(self, name: str, secret: str) -> None:
        store_secret(name, secret)
        self._resume(name)

    def delete(self, name: str) -> None:
        delete_secret(name)

    def rename(self, old_name: str, new_name: str) -> None:
        secret = load_secret(old_name)
        if secret:
            store_secret(new_name, secret)
            delete_secret(old_name)

    def _resume(self, name: str) -> None:
        """A new secret for a connection that needed signing in: sync it again (on the loop)."""
        found = self._engine.status().connection(name)
        if found is not None and found.state is ConnectionStatus.SIGN_IN_NEEDED and self._loop is not None:
            self._loop.call_soon_threadsafe(self._engine.resume, found.connection_id)

    def _on_changes_applied(self, changes: ChangeSet) -> None:
        if changes.outbox and changes.initiator != SYNC_INITIATOR:
            self._engine.nudge()  # a local change queued something to deliver
