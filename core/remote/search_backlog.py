"""A first sync indexes its cases' timelines for search, and computes their SLA deadlines, once
after the pull instead of with every group.

The search index keeps one document per case, and a first sync's comments arrive spread over
many pages in time order: indexing each touched case's whole timeline after every group did
the same work several times over (40 of a 100,000-ticket first sync's 138 s), and so did the
SLA deadlines (15 s). During a connection's first pull the groups are merged without indexing
timelines or refreshing deadlines (new cases get no search entry at all), and a durable marker
in ``sync_cursors`` says so; when the pull reaches the end of the stream the marker becomes a
position: the first step refreshes every open case's deadlines (worker processes in a large
workspace), then the connection's cases are indexed whole (subject, description, timeline) in
small transactions in id order, the position saved with each, until none is left and the
marker goes. While the backlog is indexed, SQLite's full-text index merges its segments less
often (``automerge`` at its maximum, back to the default with the last step): a third less
work. A kill at any point loses nothing: a pull that was cut short resumes still deferring,
and the backlog resumes from the saved position. Until then, the new cases show no SLA
deadline and search does not find them.

Marker values: ``"pulling"`` (the first pull is running: defer), a case id as text (the pull
is done: cases of the connection with a greater id still need their timelines indexed).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.bulk import FTS_AUTOMERGE_BULK, FTS_AUTOMERGE_DEFAULT, index_cases_whole, set_fts_automerge
from core.db.models import CaseRow, SyncCursorRow
from core.remote.connections import cursor_of, save_cursor
from core.remote.dtos import Connection
from core.sla.parallel import bulk_refresher
from core.sla.store import refresh_deadlines

BACKLOG = "search_backlog"  # the ``sync_cursors`` resource holding the marker
PULLING = "pulling"
CHUNK = 5_000  # cases indexed per transaction (under a second each: the window's writes wait no longer)


def defers_indexing(session: Session, connection: Connection, tickets_resource: str) -> bool:
    """Whether pulled timelines wait for the backlog: a first pull (no cursor yet), or one the
    marker says is still running (resumed after a stop or a kill)."""
    marker = cursor_of(session, connection, BACKLOG)
    if marker is not None:
        return marker == PULLING
    return cursor_of(session, connection, tickets_resource) is None


def note_pulling(session: Session, connection: Connection, end_of_stream: bool, now: datetime) -> None:
    """In a deferring group's transaction: the pull is still running, or has just ended (the
    backlog is then every case of the connection)."""
    save_cursor(session, connection, BACKLOG, "0" if end_of_stream else PULLING, now)


def backlog_position(session: Session, connection: Connection) -> int | None:
    """The case id after which timelines still need indexing (None: nothing waits, or the pull runs)."""
    marker = cursor_of(session, connection, BACKLOG)
    return None if marker is None or marker == PULLING else int(marker)


def index_backlog(session: Session, connection: Connection, now: datetime, chunk: int = CHUNK) -> int:
    """Index the next ``chunk`` waiting timelines (one transaction); how many (0: none left)."""
    position = backlog_position(session, connection)
    if position is None:
        return 0
    if position == 0:  # first step after the pull: the SLA deadlines it left for later
        with bulk_refresher(session) as bulk:
            refresh_deadlines(session, None, now, bulk=bulk)
        set_fts_automerge(session.connection(), FTS_AUTOMERGE_BULK)
    ids = list(
        session.scalars(
            select(CaseRow.id)
            .where(CaseRow.source_system == connection.kind, CaseRow.id > position)
            .order_by(CaseRow.id)
            .limit(chunk)
        )
    )
    if ids:
        index_cases_whole(session.connection(), set(ids))
    if len(ids) < chunk:
        set_fts_automerge(session.connection(), FTS_AUTOMERGE_DEFAULT)
        marker = session.get(SyncCursorRow, (connection.name, BACKLOG))
        if marker is not None:
            session.delete(marker)
    else:
        save_cursor(session, connection, BACKLOG, str(ids[-1]), now)
    session.flush()
    return len(ids)
