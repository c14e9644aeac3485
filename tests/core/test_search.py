"""Full-text search as a user meets it: ranking, typing, phrases, odd input, and freshness after edits."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.db.models import CaseRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.enums import EventKind
from core.search import search_cases
from tests.factories import add_case, add_customer, add_event


def _numbers(db: DbRunner, text: str) -> list[int]:
    """The case numbers a search for ``text`` lists, best first."""
    return db.read(lambda session: [hit.number for hit in search_cases(session, text)]).result()


@pytest.fixture
def cases(db: DbRunner) -> None:
    """Four cases: Okta in a subject, Okta only deep in a timeline, a phrase pair, and noise."""

    def seed(session: Session) -> None:
        customer = add_customer(session)
        add_case(session, 101, "Okta sign-in fails for every user", customer=customer)
        invoice = add_case(session, 102, "Invoice shows the wrong currency", customer=customer)
        add_event(session, invoice, EventKind.CUSTOMER_MESSAGE, "Unrelated, but our okta tile also moved.")
        add_case(session, 103, "Login loop after password reset")
        add_case(session, 104, "Password policy blocks the reset of an admin login")

    db.write(seed).result()


@pytest.mark.usefixtures("cases")
def test_a_subject_match_outranks_a_timeline_only_match(db: DbRunner) -> None:
    assert _numbers(db, "okta") == [101, 102]


@pytest.mark.usefixtures("cases")
def test_a_word_being_typed_matches_as_a_prefix(db: DbRunner) -> None:
    assert _numbers(db, "okt") == [101, 102]
    assert _numbers(db, "invo") == [102]


@pytest.mark.usefixtures("cases")
def test_a_finished_word_does_not_match_longer_words(db: DbRunner) -> None:
    assert _numbers(db, "okt ") == []


@pytest.mark.usefixtures("cases")
def test_a_quoted_phrase_matches_only_those_words_in_that_order(db: DbRunner) -> None:
    assert sorted(_numbers(db, "password reset")) == [103, 104]
    assert _numbers(db, '"password reset"') == [103]
    assert _numbers(db, '"login loop" password') == [103]


@pytest.mark.usefixtures("cases")
@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '""',
        "AND",
        "OR okta",
        "okta NOT",
        "*",
        "okta*",
        "NEAR(",
        "NEAR(okta login",
        "-",
        "-okta",
        "(",
        ")",
        "^okta",
        "subject:okta",
        "okta AND (",
        "'",
        "\\",
        "{",
        "+",
        "…",
        "  ",
        "",
    ],
)
def test_hostile_input_never_raises(db: DbRunner, hostile: str) -> None:
    assert isinstance(_numbers(db, hostile), list)


@pytest.mark.usefixtures("cases")
@pytest.mark.parametrize("decorated", ['okta"', "-okta", "okta*", "(okta)", "okta,", "OKTA"])
def test_punctuation_around_a_word_still_finds_it(db: DbRunner, decorated: str) -> None:
    assert 101 in _numbers(db, decorated)


def test_search_stays_current_as_events_are_added_edited_and_deleted(db: DbRunner) -> None:
    case_id = db.write(lambda session: add_case(session, 201, "Export stalls at 99 percent").id).result()
    assert _numbers(db, "zeppelin") == []

    event_id = db.write(
        lambda session: (
            add_event(
                session,
                session.get_one(CaseRow, case_id),
                EventKind.INTERNAL_NOTE,
                "The zeppelin job holds a lock.",
            ).id
        )
    ).result()
    assert _numbers(db, "zeppelin") == [201]

    def edit(session: Session) -> None:
        session.execute(
            update(TimelineEventRow)
            .where(TimelineEventRow.id == event_id)
            .values(body_text="The blimp job holds a lock.")
        )

    db.write(edit).result()
    assert _numbers(db, "zeppelin") == []
    assert _numbers(db, "blimp") == [201]

    db.write(
        lambda session: session.execute(delete(TimelineEventRow).where(TimelineEventRow.id == event_id))
    ).result()
    assert _numbers(db, "blimp") == []
    assert _numbers(db, "stalls") == [201]


def test_search_follows_a_changed_subject(db: DbRunner) -> None:
    db.write(lambda session: add_case(session, 301, "Printer offline")).result()

    def rename(session: Session) -> None:
        case = session.scalars(select(CaseRow).where(CaseRow.number == 301)).one()
        case.subject = "Scanner offline"

    db.write(rename).result()
    assert _numbers(db, "printer") == []
    assert _numbers(db, "scanner") == [301]


def test_a_deleted_case_is_no_longer_found(db: DbRunner) -> None:
    db.write(lambda session: add_case(session, 401, "Quarantined mailbox")).result()
    db.write(lambda session: session.execute(delete(CaseRow).where(CaseRow.number == 401))).result()
    assert _numbers(db, "quarantined") == []
