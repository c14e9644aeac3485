"""The case summary: problem, environment facts, what was tried, open questions, all traceable to events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from core.db.models import CustomerRow
from core.db.runner import DbRunner
from core.domain.enums import EventKind, Stage
from core.intelligence import CaseSummary, FactKind, SummaryLine, summarize_case
from tests.core.intelligence.builders import add_escalation, set_account
from tests.factories import add_case, add_customer, add_event

Ids = dict[str, int]


@pytest.fixture
def summarized(db: DbRunner) -> tuple[CaseSummary, Ids]:
    """An SSO case with a full conversation, summarized three hours after the last customer message."""
    ids: Ids = {}

    def work(session: Session) -> CaseSummary:
        customer: CustomerRow = add_customer(session, "Northwind Traders")
        set_account(customer, tier="enterprise", arr=120_000, renewal=date(2026, 12, 31))
        case = add_case(
            session,
            9001,
            "SSO login fails with ERR_SSO_0041 after certificate rotation",
            description="Customer reports that nobody can sign in through Okta. We run 4.12.3 on-premises.",
            customer=customer,
            stage=Stage.INVESTIGATING,
        )
        ids["first"] = add_event(
            session,
            case,
            EventKind.CUSTOMER_MESSAGE,
            "Hello support team,\nSince Monday none of our users can sign in. The login page shows "
            "ERR_SSO_0041. We tried Chrome 126 and Edge 125 on Windows 11 23H2. Is there a workaround?",
            minutes_after=10,
        ).id
        ids["answer"] = add_event(
            session,
            case,
            EventKind.AGENT_REPLY,
            "Hi Dana, no workaround yet. I cleared the SSO session cache and re-tested: still fails. "
            "Which identity provider tenant do you use?",
            author="Ravi Menon",
            minutes_after=60,
        ).id
        ids["log"] = add_event(
            session,
            case,
            EventKind.SYSTEM_LOG,
            "ERROR [sso.saml] SAML response rejected: ERR_SSO_0041 certificate not trusted, request id "
            "req_3fa2b1c0d9e8; upstream returned HTTP 502",
            minutes_after=70,
        ).id
        ids["step"] = add_event(
            session,
            case,
            EventKind.TROUBLESHOOTING_STEP,
            "Compared IdP metadata with our SP configuration: certificate fingerprint mismatch",
            minutes_after=80,
        ).id
        ids["test"] = add_event(
            session,
            case,
            EventKind.INTERNAL_NOTE,
            "Uploaded the new certificate in a staging tenant: login works",
            minutes_after=90,
            meta={"note_kind": "test"},
        ).id
        ids["hypothesis"] = add_event(
            session,
            case,
            EventKind.INTERNAL_NOTE,
            "Maybe the certificate was never uploaded?",
            minutes_after=95,
            meta={"note_kind": "hypothesis"},
        ).id
        ids["last"] = add_event(
            session,
            case,
            EventKind.CUSTOMER_MESSAGE,
            "We use the tenant northwind-prod, job job_1234567 failed too. When can we expect a fix?\n"
            "> Which identity provider tenant do you use?",
            minutes_after=120,
        ).id
        add_escalation(
            session, case, tier=2, reason="technical_expertise", justification="SAML expertise needed"
        )
        now = case.created_at + timedelta(minutes=120, hours=3)
        return summarize_case(session, case.id, now)

    return db.write(work).result(), ids


def test_the_problem_statement_comes_from_subject_description_and_first_message(
    summarized: tuple[CaseSummary, Ids],
) -> None:
    summary, ids = summarized

    assert summary.problem == (
        SummaryLine("Subject", "SSO login fails with ERR_SSO_0041 after certificate rotation", None),
        SummaryLine(
            "Description",
            "Customer reports that nobody can sign in through Okta. We run 4.12.3 on-premises.",
            None,
        ),
        SummaryLine(
            "First message",
            "Since Monday none of our users can sign in. The login page shows ERR_SSO_0041.",
            ids["first"],
        ),
    )


def test_environment_facts_name_the_event_they_were_first_found_in(
    summarized: tuple[CaseSummary, Ids],
) -> None:
    summary, ids = summarized

    facts = [(fact.kind, fact.value, fact.event_id) for fact in summary.environment]

    assert facts == [
        (FactKind.PRODUCT_VERSION, "4.12.3", None),
        (FactKind.OS, "Windows 11 23H2", ids["first"]),
        (FactKind.BROWSER, "Chrome 126", ids["first"]),
        (FactKind.BROWSER, "Edge 125", ids["first"]),
        (FactKind.ERROR_CODE, "ERR_SSO_0041", None),
        (FactKind.ERROR_CODE, "HTTP 502", ids["log"]),
        (FactKind.IDENTIFIER, "req_3fa2b1c0d9e8", ids["log"]),
        (FactKind.IDENTIFIER, "job_1234567", ids["last"]),
    ]
    assert summary.environment[0].label == "Product version"


def test_what_was_tried_comes_from_steps_structured_notes_and_attempts_in_messages(
    summarized: tuple[CaseSummary, Ids],
) -> None:
    summary, ids = summarized

    assert summary.tried == (
        SummaryLine("Customer", "We tried Chrome 126 and Edge 125 on Windows 11 23H2.", ids["first"]),
        SummaryLine("Reply", "I cleared the SSO session cache and re-tested: still fails.", ids["answer"]),
        SummaryLine(
            "Step",
            "Compared IdP metadata with our SP configuration: certificate fingerprint mismatch",
            ids["step"],
        ),
        SummaryLine("Test", "Uploaded the new certificate in a staging tenant: login works", ids["test"]),
    )


def test_only_questions_the_other_side_has_not_answered_stay_open(
    summarized: tuple[CaseSummary, Ids],
) -> None:
    summary, ids = summarized

    # "Is there a workaround?" was answered by the reply; the reply's question by the last message,
    # whose quoted copy of it is not a new question.
    assert summary.open_questions == (
        SummaryLine("Dana Whitfield", "When can we expect a fix?", ids["last"]),
    )


def test_the_last_customer_message_and_how_long_ago(summarized: tuple[CaseSummary, Ids]) -> None:
    summary, ids = summarized

    assert summary.last_customer_message == SummaryLine(
        "Dana Whitfield",
        "We use the tenant northwind-prod, job job_1234567 failed too. When can we expect a fix?",
        ids["last"],
    )
    assert summary.last_customer_message_age == timedelta(hours=3)


def test_escalation_history_and_account_context_are_header_facts(summarized: tuple[CaseSummary, Ids]) -> None:
    summary, _ids = summarized

    assert summary.escalation_history == (
        SummaryLine("Tier 2", "Technical expertise on 2026-10-31: SAML expertise needed", None),
    )
    assert summary.account == (
        SummaryLine("Account", "Northwind Traders (enterprise)", None),
        SummaryLine("ARR", "120,000", None),
        SummaryLine("Renewal", "2026-12-31 (in 61 days)", None),
        SummaryLine("Contact", "Dana Whitfield <dana@northwind.example>", None),
    )


def test_a_case_without_a_conversation_still_summarizes(db: DbRunner) -> None:
    def work(session: Session) -> CaseSummary:
        case = add_case(session, 9002, "Mobile app crashes on iPhone 15 (iOS 17.5.1)")
        return summarize_case(session, case.id, case.created_at)

    summary = db.write(work).result()

    assert [line.label for line in summary.problem] == ["Subject"]
    assert [(fact.kind, fact.value) for fact in summary.environment] == [(FactKind.OS, "iOS 17.5.1")]
    assert summary.last_customer_message is None
    assert summary.last_customer_message_age is None
    assert summary.tried == summary.open_questions == summary.account == ()
