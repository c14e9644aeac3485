"""Similar past cases: the truly similar resolved case first, open cases and the case itself never."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.domain.enums import EventKind, Stage
from core.intelligence import SimilarCase, similar_resolved_cases
from tests.factories import add_case, add_event


def _seed(session: Session) -> int:
    current = add_case(session, 100, "Okta SAML assertion rejected after signing certificate rotation")
    add_event(
        session,
        current,
        EventKind.CUSTOMER_MESSAGE,
        "Since we rotated the signing certificate in Okta, every SAML assertion is rejected (ERR_SSO_0041).",
    )
    same_problem = add_case(
        session,
        101,
        "SAML assertions rejected since the IdP signing certificate rotation",
        description="Okta rotated its signing certificate; now every assertion fails with ERR_SSO_0041.",
        stage=Stage.CLOSED,
    )
    same_problem.resolution = "Added the new signing certificate to the SSO configuration."
    same_problem.root_cause = "configuration: certificate not uploaded"
    okta_only = add_case(
        session,
        102,
        "Okta tile missing from the dashboard",
        description="The Okta app tile is gone.",
        stage=Stage.RESOLVED,
    )
    okta_only.resolution = "Re-enabled the tile."
    add_case(
        session,
        103,
        "SAML assertion rejected after Okta signing certificate rotation",
        description="Same error ERR_SSO_0041 after a certificate rotation.",
        stage=Stage.INVESTIGATING,
    )
    add_case(session, 104, "Invoice shows the wrong currency", stage=Stage.CLOSED)
    add_case(session, 105, "CSV import drops rows with umlauts", stage=Stage.RESOLVED)
    return current.id


def test_the_truly_similar_resolved_case_comes_first_and_open_cases_are_left_out(db: DbRunner) -> None:
    def work(session: Session) -> list[SimilarCase]:
        return similar_resolved_cases(session, _seed(session))

    similar = db.write(work).result()

    assert [case.number for case in similar] == [101, 102]
    best = similar[0]
    assert best.subject == "SAML assertions rejected since the IdP signing certificate rotation"
    assert best.resolution == "Added the new signing certificate to the SSO configuration."
    assert best.root_cause == "configuration: certificate not uploaded"
    assert best.score > similar[1].score > 0


def test_the_limit_is_respected(db: DbRunner) -> None:
    def work(session: Session) -> list[SimilarCase]:
        return similar_resolved_cases(session, _seed(session), limit=1)

    assert [case.number for case in db.write(work).result()] == [101]


def test_a_case_sharing_no_word_with_any_other_has_no_similar_cases(db: DbRunner) -> None:
    def work(session: Session) -> list[SimilarCase]:
        _seed(session)
        lonely = add_case(session, 200, "Zebra printer firmware quirk")
        return similar_resolved_cases(session, lonely.id)

    assert db.write(work).result() == []


def test_words_match_across_accents_as_in_search(db: DbRunner) -> None:
    def work(session: Session) -> list[SimilarCase]:
        current = add_case(session, 300, "Umlaut names like Müller vanish from the CSV import")
        add_case(session, 301, "Rows for Muller and Strauss vanish on import", stage=Stage.RESOLVED)
        add_case(session, 302, "Invoice PDF has the wrong logo", stage=Stage.RESOLVED)
        return similar_resolved_cases(session, current.id)

    assert [case.number for case in db.write(work).result()] == [301]
