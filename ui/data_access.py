"""DataAccess: the UI's one way to the database, delivering results on the Qt main thread.

Every unit of work runs on the DB thread of a :class:`core.db.runner.DbRunner`;
its result (or error) comes back to the main thread through a queued signal,
so callbacks may touch widgets and models. Nothing here ever waits on a future.

Loads driven by selection or typing are *preemptive*: a request made with a
``key`` supersedes the previous request with the same key, which is cancelled
if it has not started and whose result is dropped if it finishes late.

Writes return a :class:`core.domain.changes.ChangeSet`; DataAccess publishes
it, merging the change sets of ~100 ms into one ``changes_applied`` signal.
"""

from __future__ import annotations

import logging
import sys
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from sqlalchemy.exc import DBAPIError, OperationalError

from core.communication.errors import CommunicationError
from core.config.errors import ConfigError
from core.db.migrate import DatabaseError
from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.queries.case_detail import CaseNotFoundError
from core.workflow.errors import WorkflowError
from ui.qt_lifetime import receiver_alive

log = logging.getLogger("handoff.ui")

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]

DEFAULT_COALESCE_MS = 100
KNOWN_ERRORS: tuple[type[BaseException], ...] = (
    CaseNotFoundError,
    WorkflowError,
    CommunicationError,
    ConfigError,
    DatabaseError,
    OperationalError,
    OSError,
)
"""Errors a user can cause or meet (a step the workflow refuses, a message, note or attachment that
cannot be accepted, an invalid configuration, a missing record; a database that is locked, full,
unreadable or too new; a disk problem), shown to the user. Anything else (KeyError, IntegrityError,
a SQL syntax error, …) is a bug and goes to the excepthook."""


class Ticket:
    """A scheduled request. ``cancel()`` drops its result (and stops it if it has not started)."""

    __slots__ = ("_cancelled", "_future", "key", "on_error", "on_result")

    def __init__(
        self,
        future: Future[Any],
        key: str | None,
        on_result: ResultCallback | None,
        on_error: ErrorCallback | None,
    ) -> None:
        self.key = key
        self.on_result = on_result
        self.on_error = on_error
        self._future = future
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        """Whether the result will be dropped."""
        return self._cancelled

    @property
    def done(self) -> bool:
        """Whether the unit of work has finished (or was cancelled before it started)."""
        return self._future.done()

    def cancel(self) -> None:
        """Drop the result; the unit of work is stopped only if it has not started yet."""
        self._cancelled = True
        self._future.cancel()


class DataAccess(QObject):
    """Runs units of work on the DB thread and calls back on the main thread.

    Signals:
        changes_applied(ChangeSet): the merged changes of the last ~100 ms, emitted once.
        error_occurred(str): a known error (offline, locked, missing record…) that no
            caller handled, as a message for the user.
    """

    changes_applied = Signal(object)
    error_occurred = Signal(str)
    # Emitted on the DB thread when a future finishes; queued to the main thread.
    _future_finished = Signal(object, object)

    def __init__(
        self,
        runner: DbRunner,
        *,
        coalesce_ms: int = DEFAULT_COALESCE_MS,
        known_errors: tuple[type[BaseException], ...] = KNOWN_ERRORS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._known_errors = known_errors
        self._latest: dict[str, Ticket] = {}
        # Tickets (and through them the callbacks and their widgets) are held here, on the main
        # thread, never by the futures: the DB thread must not drop the last reference to a QObject.
        self._tickets: dict[int, Ticket] = {}
        self._next_ticket = 0
        self._pending_changes: ChangeSet | None = None
        self._closed = False
        self._publish_timer = QTimer(self)
        self._publish_timer.setSingleShot(True)
        self._publish_timer.setInterval(coalesce_ms)
        self._publish_timer.timeout.connect(self._on_publish_timer_timeout)
        self._future_finished.connect(self._on_future_finished, Qt.ConnectionType.QueuedConnection)

    def read(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_result: ResultCallback,
        on_error: ErrorCallback | None = None,
        key: str | None = None,
    ) -> Ticket:
        """Run ``fn(session, *args)`` read-only; ``on_result(value)`` is called on the main thread.

        With a ``key``, the previous request with the same key is superseded.
        """
        ticket = self._track(self._runner.read(fn, *args), key, on_result, on_error)
        if key is not None:
            previous = self._latest.get(key)
            if previous is not None:
                previous.cancel()
            self._latest[key] = ticket
        return ticket

    def write(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
    ) -> Ticket:
        """Run ``fn(session, *args)`` in a write transaction; a returned ChangeSet is published."""
        return self._track(self._runner.write(fn, *args), None, on_result, on_error)

    def publish(self, changes: ChangeSet) -> None:
        """Announce ``changes``; the change sets of ~100 ms are merged into one ``changes_applied``."""
        if changes.is_empty or self._closed:
            return
        pending = self._pending_changes
        self._pending_changes = changes if pending is None else pending.merge(changes)
        if not self._publish_timer.isActive():
            self._publish_timer.start()

    def close(self) -> None:
        """Stop delivering: pending results are dropped and pending changes discarded."""
        self._closed = True
        self._publish_timer.stop()
        self._pending_changes = None
        for ticket in self._tickets.values():
            ticket.cancel()
        self._tickets.clear()
        self._latest.clear()

    def _track(
        self,
        future: Future[Any],
        key: str | None,
        on_result: ResultCallback | None,
        on_error: ErrorCallback | None,
    ) -> Ticket:
        ticket = Ticket(future, key, on_result, on_error)
        self._next_ticket += 1
        ticket_id = self._next_ticket
        self._tickets[ticket_id] = ticket
        owner = weakref.ref(self)

        def _on_done(finished: Future[Any]) -> None:
            # Runs on the DB thread (or here, if already done); the queued signal hops to the main thread.
            access = owner()
            if access is not None:
                access._future_finished.emit(ticket_id, finished)

        future.add_done_callback(_on_done)
        return ticket

    def _on_future_finished(self, ticket_id: int, future: Future[Any]) -> None:
        ticket = self._tickets.pop(ticket_id, None)
        if ticket is None:
            return
        if ticket.key is not None and self._latest.get(ticket.key) is ticket:
            del self._latest[ticket.key]
        if ticket.cancelled or self._closed or future.cancelled():
            return
        error = future.exception()
        if error is not None:
            self._deliver_error(ticket, error)
            return
        result = future.result()  # already finished: never blocks
        if isinstance(result, ChangeSet):
            self.publish(result)
        if ticket.on_result is not None and receiver_alive(ticket.on_result):
            ticket.on_result(result)

    def _deliver_error(self, ticket: Ticket, error: BaseException) -> None:
        if not isinstance(error, self._known_errors):
            # A bug: the one global excepthook logs it and shows the crash dialog.
            sys.excepthook(type(error), error, error.__traceback__)
            return
        if ticket.on_error is not None:
            if receiver_alive(ticket.on_error):
                ticket.on_error(error)
            return
        message = describe_error(error)
        log.warning("unhandled database error: %s", message)
        self.error_occurred.emit(message)

    def _on_publish_timer_timeout(self) -> None:
        changes, self._pending_changes = self._pending_changes, None
        if changes is not None:
            self.changes_applied.emit(changes)


def describe_error(error: BaseException) -> str:
    """A message for the user: the driver's words for database errors, not the SQL statement."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        return QCoreApplication.translate("DataAccess", "The database reported a problem: {0}").format(
            error.orig
        )
    return str(error) or type(error).__name__
