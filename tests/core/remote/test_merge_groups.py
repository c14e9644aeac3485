"""Pages merged together in one transaction (a first sync's groups) give what merging them one by
one gives: every case and comment, the last page's cursor, searchable timelines, right authors."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.changes import ChangeSet
from core.remote.connections import cursor_of
from core.remote.dtos import RemoteUser
from core.remote.merge import apply_pages
from core.remote.search_backlog import index_backlog
from core.search import search_cases
from tests.core.remote.builders import T0, add_zendesk, comment, page, ticket

NEW_AGENT = RemoteUser("901", "Tomas Berg", "tomas@acme.example", is_agent=True)


def _subjects_matching(session: Session, words: str) -> list[str]:
    return sorted(hit.subject for hit in search_cases(session, words))


def _events_of(session: Session, remote_id: str) -> list[tuple[str, str, str]]:
    case_id = session.scalar(select(CaseRow.id).where(CaseRow.remote_id == remote_id))
    rows = session.scalars(
        select(TimelineEventRow).where(TimelineEventRow.case_id == case_id).order_by(TimelineEventRow.id)
    )
    return [(row.kind, row.author_name, row.body_text) for row in rows]


def test_a_group_of_pages_lands_whole_with_the_last_cursor_and_searchable_comments(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    tickets = page(ticket("1001"), ticket("1002", subject="Invoice export fails"), cursor="t1")
    first_comments = replace(
        page(comments=(comment("1", body="The SAML assertion carries a stale audience."),), cursor="e1"),
        end_of_stream=False,
    )
    more_comments = page(
        comments=(
            comment("2", body="Rotating the signing certificate fixed the audience."),
            comment("3", ticket_id="1002", body="The CSV export times out after a minute."),
        ),
        cursor="e2",
    )

    changes: ChangeSet = db.write(
        apply_pages, connection, [tickets, first_comments, more_comments], T0
    ).result()

    assert db.read(cursor_of, connection, "tickets").result() == "e2"
    assert db.read(lambda s: s.scalar(select(func.count()).select_from(CaseRow))).result() == 2
    assert len(changes.cases_added) == 2 and not changes.cases  # new cases are only "added"
    # A first pull leaves the new cases to the search backlog, indexed whole once the pull is done.
    assert db.read(_subjects_matching, "invoice").result() == []
    assert db.read(_subjects_matching, "stale audience").result() == []
    assert db.write(index_backlog, connection, T0).result() == 2
    assert db.read(_subjects_matching, "sent back").result() == ["Invoice export fails", "SSO login loops"]
    assert db.read(_subjects_matching, "invoice").result() == ["Invoice export fails"]
    assert db.read(_subjects_matching, "stale audience").result() == ["SSO login loops"]
    assert db.read(_subjects_matching, "signing certificate").result() == ["SSO login loops"]
    assert db.read(_subjects_matching, "export times").result() == ["Invoice export fails"]


def test_an_agent_a_later_page_of_the_group_brings_writes_replies_not_customer_messages(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    # Zendesk had not sent this user yet: the first comment reads as from an unknown user.
    before = page(ticket("1001"), comments=(comment("1", author_id="901", body="Any news?"),), cursor="c1")
    # The next page names a new agent (not in the workspace when the first page was merged).
    later = replace(
        page(comments=(comment("2", author_id="901", body="Looking into it now."),), cursor="c2"),
        users=(NEW_AGENT,),
    )

    after = page(comments=(comment("3", author_id="901", body="Fixed."),), cursor="c3", with_people=False)

    db.write(apply_pages, connection, [before, later, after], T0).result()

    assert db.read(_events_of, "1001").result() == [
        ("customer_message", "Zendesk user 901", "Any news?"),
        ("agent_reply", "Tomas Berg", "Looking into it now."),
        ("agent_reply", "Tomas Berg", "Fixed."),
    ]


def test_comments_of_cases_from_an_earlier_group_are_added_once(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    db.write(apply_pages, connection, [page(ticket("1001"), cursor="t1")], T0).result()
    again = page(comments=(comment("1"), comment("2", body="Still loops.")), cursor="e1")

    db.write(apply_pages, connection, [again, again], T0).result()  # the same comments twice

    assert [body for _, _, body in db.read(_events_of, "1001").result()] == [
        "It still loops.",
        "Still loops.",
    ]


def _deadline(session: Session, remote_id: str) -> object:
    return session.scalar(select(CaseRow.sla_due_at).where(CaseRow.remote_id == remote_id))


def test_pulled_messages_move_open_cases_deadlines_and_leave_closed_cases_without_one(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    tickets = page(ticket("1001"), ticket("1002", status="closed", stage="closed"), cursor="t1")
    replies = page(
        comments=(comment("1", author_id="900"), comment("2", ticket_id="1002", author_id="900")),
        cursor="e1",
    )
    db.write(apply_pages, connection, [tickets, replies], T0).result()
    answered = db.read(_deadline, "1001").result()

    news = page(
        comments=(
            comment("3", minutes=240, body="Any news?"),
            comment("4", ticket_id="1002", minutes=240, body="Thanks, all good now."),
        ),
        cursor="e2",
    )
    db.write(apply_pages, connection, [news], T0).result()

    assert db.read(_deadline, "1001").result() not in (None, answered)  # a reply is due again
    assert db.read(_deadline, "1002").result() is None  # closed: no clock runs
