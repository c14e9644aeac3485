"""A first sync indexes its timelines for search once, after the pull: never lost to a kill."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.db.bulk import FTS_AUTOMERGE_DEFAULT
from core.db.models import CaseRow
from core.db.runner import DbRunner
from core.remote.connections import cursor_of
from core.remote.dtos import Connection, RemotePage
from core.remote.merge import apply_pages
from core.remote.search_backlog import BACKLOG, PULLING, index_backlog
from core.search import search_cases
from tests.core.remote.builders import T0, add_zendesk, comment, page, ticket


def _matching(session: Session, words: str) -> list[str]:
    return sorted(hit.subject for hit in search_cases(session, words))


def _due(session: Session, remote_id: str) -> datetime | None:
    return session.scalar(select(CaseRow.sla_due_at).where(CaseRow.remote_id == remote_id))


def _fts_automerge(session: Session) -> int:
    stored = session.execute(text("SELECT v FROM case_fts_config WHERE k = 'automerge'")).scalar_one()
    return int(stored)


def _marker(db: DbRunner, connection: Connection) -> str | None:
    return db.read(cursor_of, connection, BACKLOG).result()


def _comments_page(remote_id: str, ticket_id: str, body: str, cursor: str, *, end: bool) -> RemotePage:
    found = page(comments=(comment(remote_id, ticket_id=ticket_id, body=body),), cursor=cursor)
    return replace(found, end_of_stream=end)


def test_a_first_pull_cut_short_resumes_deferring_and_every_timeline_is_indexed_once_it_ends(
    db: DbRunner,
) -> None:
    connection = db.write(add_zendesk).result()
    tickets = replace(
        page(
            ticket("1001"),
            ticket("1002", subject="Invoice export fails"),
            ticket("1003", subject="Slow"),
            cursor="t1",
        ),
        end_of_stream=False,
    )
    db.write(apply_pages, connection, [tickets], T0).result()
    assert _marker(db, connection) == PULLING  # committed with the group: a kill here loses nothing

    # The app is killed; the next run resumes from the saved cursor and still defers.
    resumed = _comments_page("1", "1001", "The SAML assertion carries a stale audience.", "e1", end=False)
    db.write(apply_pages, connection, [resumed], T0).result()
    assert db.read(_matching, "stale audience").result() == []
    last = _comments_page("2", "1002", "The CSV export times out after a minute.", "e2", end=True)
    db.write(apply_pages, connection, [last], T0).result()
    assert _marker(db, connection) == "0"  # the pull is done: every case of the connection waits
    assert db.read(_due, "1001").result() is None  # SLA deadlines wait for the pull's end too
    assert db.read(_matching, "Invoice export").result() == []  # not even by subject yet

    # Indexed in small transactions, the position saved with each (a kill resumes from it).
    assert db.write(index_backlog, connection, T0, 2).result() == 2
    assert db.read(_due, "1001").result() is not None  # every open case's, in the first step
    assert _marker(db, connection) not in (None, PULLING, "0")
    assert db.read(_matching, "stale audience").result() == ["SSO login loops"]
    assert db.write(index_backlog, connection, T0, 2).result() == 1
    assert _marker(db, connection) is None  # nothing left: later pulls index as they merge
    assert db.read(_matching, "export times").result() == ["Invoice export fails"]
    assert db.read(_matching, "Invoice").result() == ["Invoice export fails"]
    assert db.write(index_backlog, connection, T0, 2).result() == 0
    assert db.read(_fts_automerge).result() == FTS_AUTOMERGE_DEFAULT  # queries stay on few segments


def test_after_the_first_sync_pulled_comments_are_searchable_at_once(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    db.write(apply_pages, connection, [page(ticket("1001"), cursor="t1")], T0).result()
    while db.write(index_backlog, connection, T0).result():
        pass

    later = _comments_page("7", "1001", "Rotating the signing certificate fixed it.", "e9", end=True)
    db.write(apply_pages, connection, [later], T0).result()

    assert _marker(db, connection) is None
    assert db.read(_matching, "signing certificate").result() == ["SSO login loops"]
