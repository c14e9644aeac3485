"""Inbox queries: saved views, sort orders and search, on a real workspace file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.db.types import utc_now
from core.domain.dtos import InboxQuery, SortKey
from core.domain.enums import EventKind, Priority, SavedView, Stage
from core.queries.inbox import inbox_case_ids, inbox_rows, view_counts
from core.settings import ME_PERSON_ID, set_setting
from tests.factories import add_case, add_customer, add_event, add_person, add_team


@pytest.fixture
def inbox_db(db: DbRunner) -> DbRunner:
    def build(session: Session) -> None:
        acme = add_customer(session, "Acme Logistics", "business")
        zeta = add_customer(session, "Zeta Health", "strategic")
        sso = add_team(session, "Identity & SSO")
        billing = add_team(session, "Billing Specialists")
        me = add_person(session, "Priya Raman", team=sso)
        colleague = add_person(session, "Marco Rossi", team=sso)
        other = add_person(session, "Lena Vogel", team=billing)
        set_setting(session, ME_PERSON_ID, str(me.id))
        now = utc_now()
        add_case(
            session,
            101,
            "SAML login loops",
            customer=acme,
            team=sso,
            assignee=me,
            priority=Priority.URGENT,
            updated_at=now - timedelta(hours=1),
        )
        add_case(
            session,
            102,
            "SCIM provisioning drops groups",
            customer=zeta,
            team=sso,
            assignee=colleague,
            stage=Stage.AWAITING_CUSTOMER,
            updated_at=now - timedelta(hours=2),
        )
        invoice = add_case(
            session,
            103,
            "Invoice charged twice",
            customer=zeta,
            team=billing,
            assignee=other,
            priority=Priority.LOW,
            updated_at=now - timedelta(hours=3),
        )
        add_event(
            session,
            invoice,
            EventKind.CUSTOMER_MESSAGE,
            "Our finance team saw a duplicate charge after the Okta migration",
        )
        add_case(
            session,
            104,
            "Refund for the duplicate charge",
            customer=acme,
            team=billing,
            stage=Stage.RESOLVED,
            updated_at=now - timedelta(days=1),
            resolved_at=now - timedelta(days=1),
        )
        add_case(
            session,
            106,
            "Password reset mail not arriving",
            customer=acme,
            team=sso,
            assignee=me,
            stage=Stage.NEW,
            tier=1,
            updated_at=now - timedelta(days=3),
        )
        add_case(
            session,
            105,
            "Old SSO outage",
            customer=acme,
            team=sso,
            stage=Stage.CLOSED,
            updated_at=now - timedelta(days=90),
            resolved_at=now - timedelta(days=90),
        )

    db.write(build).result()
    return db


def _numbers(db: DbRunner, query: InboxQuery) -> list[int]:
    ids = db.read(inbox_case_ids, query).result()
    return [row.number for row in db.read(inbox_rows, list(ids)).result()]


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (SavedView.MY_CASES, [101, 106]),
        (SavedView.MY_TEAM, [101, 102]),
        (SavedView.ALL_OPEN, [101, 102, 103]),
        (SavedView.AWAITING_CUSTOMER, [102]),
        (SavedView.RECENTLY_RESOLVED, [104]),
        (SavedView.ALL, [101, 102, 103, 104, 106, 105]),
    ],
)
def test_saved_views_show_the_right_cases_newest_first(
    inbox_db: DbRunner, view: SavedView, expected: list[int]
) -> None:
    assert _numbers(inbox_db, InboxQuery(view=view)) == expected


def test_open_escalation_views_leave_out_cases_nobody_escalated(inbox_db: DbRunner) -> None:
    assert 106 not in _numbers(inbox_db, InboxQuery(view=SavedView.ALL_OPEN))
    assert 106 not in _numbers(inbox_db, InboxQuery(view=SavedView.MY_TEAM))


def test_view_counts_match_the_views(inbox_db: DbRunner) -> None:
    counts = inbox_db.read(view_counts).result()

    assert counts[SavedView.ALL_OPEN] == 3
    assert counts[SavedView.MY_CASES] == 2
    assert counts[SavedView.ALL] == 6


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        (SortKey.PRIORITY, True, [101, 102, 103]),
        (SortKey.CUSTOMER, True, [103, 102, 101]),
        (SortKey.NUMBER, False, [101, 102, 103]),
        (SortKey.ASSIGNEE, False, [103, 102, 101]),
        (SortKey.SUBJECT, False, [103, 101, 102]),
    ],
)
def test_sorting_happens_in_the_database(
    inbox_db: DbRunner, sort: SortKey, descending: bool, expected: list[int]
) -> None:
    assert (
        _numbers(inbox_db, InboxQuery(view=SavedView.ALL_OPEN, sort=sort, descending=descending)) == expected
    )


def test_search_matches_timeline_text_within_the_view(inbox_db: DbRunner) -> None:
    all_hits = _numbers(
        inbox_db, InboxQuery(view=SavedView.ALL, search="duplicate charge", sort=SortKey.RELEVANCE)
    )
    open_hits = _numbers(
        inbox_db, InboxQuery(view=SavedView.ALL_OPEN, search="duplicate charge", sort=SortKey.RELEVANCE)
    )

    assert set(all_hits) == {103, 104}
    assert open_hits == [103]


def test_search_while_typing_matches_prefixes(inbox_db: DbRunner) -> None:
    assert _numbers(inbox_db, InboxQuery(view=SavedView.ALL, search="provisio", sort=SortKey.RELEVANCE)) == [
        102
    ]


def test_search_of_only_punctuation_finds_nothing_and_does_not_fail(inbox_db: DbRunner) -> None:
    assert _numbers(inbox_db, InboxQuery(view=SavedView.ALL, search='"" * - (', sort=SortKey.RELEVANCE)) == []


def test_relevance_order_without_a_search_lists_the_newest_first(inbox_db: DbRunner) -> None:
    query = InboxQuery(view=SavedView.ALL_OPEN, sort=SortKey.RELEVANCE, descending=False)

    assert _numbers(inbox_db, query) == [101, 102, 103]
