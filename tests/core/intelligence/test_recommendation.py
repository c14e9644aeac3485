"""The escalation recommendation on crafted cases: each signal fires when it should and only then."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from core.config import TierThreshold, WorkspaceConfig, default_config
from core.db.models import CaseRow, CustomerRow, PersonSkillRow
from core.db.runner import DbRunner
from core.domain.enums import EventKind, Stage
from core.intelligence import DEFAULT_EVALUATORS, Recommendation, Signal, SignalInputs, recommend_escalation
from tests.core.intelligence.builders import add_area, add_tier_team, file_under, set_account
from tests.factories import add_case, add_customer, add_event, add_person

Seed = Callable[[Session], CaseRow]


def _recommend(
    db: DbRunner,
    seed: Seed,
    *,
    config: WorkspaceConfig | None = None,
    days_after_creation: float = 1,
    evaluators: Sequence[Callable[[SignalInputs], Sequence[Signal]]] = DEFAULT_EVALUATORS,
) -> Recommendation:
    def work(session: Session) -> Recommendation:
        case = seed(session)
        now = case.created_at + timedelta(days=days_after_creation)
        return recommend_escalation(session, case.id, config or default_config(), now, evaluators)

    return db.write(work).result()


def _signal(recommendation: Recommendation, key: str) -> Signal:
    return next(signal for signal in recommendation.signals if signal.key == key)


def _plain_case(session: Session, subject: str = "Dashboard widgets load slowly") -> CaseRow:
    customer = add_customer(session, "Small Shop", tier="starter")
    set_account(customer, tier="starter", arr=5_000, renewal=None)
    return add_case(session, 5001, subject, customer=customer, stage=Stage.NEW, tier=1)


def test_a_customer_asking_for_a_manager_fires_with_the_phrase_and_the_message(db: DbRunner) -> None:
    event_ids: list[int] = []

    def seed(session: Session) -> CaseRow:
        case = _plain_case(session)
        add_event(session, case, EventKind.CUSTOMER_MESSAGE, "Hello, the widgets are slow.", minutes_after=1)
        message = add_event(
            session,
            case,
            EventKind.CUSTOMER_MESSAGE,
            "This is now the third week. Frankly this is unacceptable and I want to talk to your manager.",
            author="Dana Whitfield",
            minutes_after=2,
        )
        event_ids.append(message.id)
        return case

    signal = _signal(_recommend(db, seed), "customer_request")

    assert signal.fired
    assert signal.evidence_event_id == event_ids[0]
    assert signal.weight == 3.0
    assert signal.explanation.startswith('Dana Whitfield wrote "')
    assert "unacceptable" in signal.explanation
    assert signal.explanation.endswith('(phrase "unacceptable")')


def test_escalation_words_outside_the_customers_own_words_do_not_fire(db: DbRunner) -> None:
    def seed(session: Session) -> CaseRow:
        case = _plain_case(session)
        add_event(
            session, case, EventKind.AGENT_REPLY, "I have escalated this to our specialists.", author="Ravi"
        )
        add_event(
            session,
            case,
            EventKind.CUSTOMER_MESSAGE,
            "Thanks. We have a management review on Friday.\n> I have escalated this to our specialists.",
        )
        add_event(session, case, EventKind.INTERNAL_NOTE, "Customer may ask for a supervisor.", author="Ravi")
        return case

    signal = _signal(_recommend(db, seed), "customer_request")

    assert not signal.fired
    assert signal.evidence_event_id is None
    assert signal.explanation == "No customer message asks to escalate."


@pytest.mark.parametrize(
    ("reopens", "touches", "logs", "area_key", "days", "fired"),
    [
        (2, 6, 2, "sso", 7, {"reopens", "agent_touches", "logs", "product_area", "age"}),
        (1, 5, 1, "billing", 6.9, set()),
    ],
)
def test_complexity_factors_fire_from_their_thresholds(
    db: DbRunner, reopens: int, touches: int, logs: int, area_key: str, days: float, fired: set[str]
) -> None:
    def seed(session: Session) -> CaseRow:
        case = _plain_case(session)
        file_under(case, add_area(session, area_key, area_key.upper()), reopen_count=reopens)
        for index in range(touches):
            kind = EventKind.AGENT_REPLY if index % 2 else EventKind.INTERNAL_NOTE
            add_event(session, case, kind, f"Looking into it ({index}).", minutes_after=index)
        for index in range(logs):
            kind = EventKind.SYSTEM_LOG if index % 2 else EventKind.ATTACHMENT
            add_event(session, case, kind, f"trace_{index}.json", minutes_after=100 + index)
        return case

    recommendation = _recommend(db, seed, days_after_creation=days)

    complexity = {s.key.split(".")[1]: s for s in recommendation.signals if s.key.startswith("complexity.")}
    assert {key for key, signal in complexity.items() if signal.fired} == fired
    assert complexity["reopens"].explanation.startswith(f"Reopened {reopens if reopens > 1 else 'once'}")
    assert complexity["agent_touches"].explanation == (
        f"{touches} agent replies and internal notes (counts from 6)."
    )
    assert complexity["age"].explanation == f"Open for {int(days)} days (counts from 7)."
    assert (complexity["logs"].evidence_event_id is not None) == ("logs" in fired)


@pytest.mark.parametrize(
    ("tier", "arr", "renewal_in_days", "fired"),
    [
        ("enterprise", 100_000, 90, {"account.tier", "account.arr", "account.renewal"}),
        ("business", 99_999, 91, set()),
        ("strategic", 0, -3, {"account.tier"}),
    ],
)
def test_account_value_signals(
    db: DbRunner, tier: str, arr: int, renewal_in_days: int, fired: set[str]
) -> None:
    def seed(session: Session) -> CaseRow:
        case = _plain_case(session)
        customer = session.get(CustomerRow, case.customer_id)
        assert customer is not None
        renewal = (case.created_at + timedelta(days=1)).date() + timedelta(days=renewal_in_days)
        set_account(customer, tier=tier, arr=arr, renewal=renewal)
        return case

    recommendation = _recommend(db, seed)

    account = [signal for signal in recommendation.signals if signal.key.startswith("account.")]
    assert {signal.key for signal in account if signal.fired} == fired
    assert _signal(recommendation, "account.arr").explanation == f"ARR {arr:,} (counts from 100,000)."


def _defect_workspace(session: Session, *, defect_stage: Stage, defect_key: str | None) -> CaseRow:
    customer = add_customer(session)
    case = add_case(
        session,
        7001,
        "Okta SAML assertion rejected after signing certificate rotation",
        customer=customer,
        stage=Stage.NEW,
        tier=1,
    )
    add_event(
        session,
        case,
        EventKind.CUSTOMER_MESSAGE,
        "Since the Okta signing certificate rotation every SAML assertion is rejected with ERR_SSO_0041.",
    )
    other = add_case(
        session,
        7002,
        "SAML assertion rejected: Okta certificate rotation breaks sign-in",
        description="After rotating the signing certificate in Okta, assertions fail with ERR_SSO_0041.",
        stage=defect_stage,
    )
    other.defect_key = defect_key
    add_case(session, 7003, "Invoice shows the wrong currency", description="Euro instead of pounds.")
    add_case(session, 7004, "CSV import skips rows with umlauts", description="Müller is dropped.")
    add_case(session, 7005, "Webhook retries flood our endpoint", description="Retries every second.")
    return case


def test_a_case_like_an_open_defect_case_fires_naming_the_defect_and_the_case(db: DbRunner) -> None:
    signal = _signal(
        _recommend(
            db,
            lambda session: _defect_workspace(
                session, defect_stage=Stage.AWAITING_ENGINEERING, defect_key="ENG-4411"
            ),
        ),
        "known_defect",
    )

    assert signal.fired
    assert signal.explanation.startswith(
        "Case 7002 (SAML assertion rejected: Okta certificate rotation breaks sign-in) is linked to defect "
        "ENG-4411 and shares 100% of this case's distinctive words ("
    )
    assert "okta" in signal.explanation
    assert signal.explanation.endswith("counts from 50%.")


@pytest.mark.parametrize(
    ("stage", "defect_key"),
    [(Stage.RESOLVED, "ENG-4411"), (Stage.INVESTIGATING, None)],
    ids=["the defect case is resolved", "the similar case has no defect"],
)
def test_no_known_defect_without_a_similar_open_case_linked_to_a_defect(
    db: DbRunner, stage: Stage, defect_key: str | None
) -> None:
    signal = _signal(
        _recommend(db, lambda session: _defect_workspace(session, defect_stage=stage, defect_key=defect_key)),
        "known_defect",
    )

    assert not signal.fired
    assert signal.explanation == "No open case linked to a defect is similar."


def test_a_defect_case_sharing_too_little_does_not_fire(db: DbRunner) -> None:
    config = default_config()
    strict = dataclasses.replace(
        config,
        escalation=dataclasses.replace(
            config.escalation,
            known_defect=dataclasses.replace(config.escalation.known_defect, similarity_threshold=1.0),
        ),
    )

    def seed(session: Session) -> CaseRow:
        case = _defect_workspace(session, defect_stage=Stage.INVESTIGATING, defect_key="ENG-4411")
        add_event(session, case, EventKind.AGENT_REPLY, "Is this about the webhook retries flood as well?")
        return case

    signal = _signal(_recommend(db, seed, config=strict), "known_defect")

    assert not signal.fired
    assert "counts only from 100%." in signal.explanation


def test_the_score_is_the_sum_of_the_fired_weights_and_sets_tier_and_team(db: DbRunner) -> None:
    config = default_config()
    criteria = config.escalation
    weighted = dataclasses.replace(
        config,
        escalation=dataclasses.replace(
            criteria,
            customer_request=dataclasses.replace(criteria.customer_request, weight=4.5),
            account_value=dataclasses.replace(criteria.account_value, tier_weight=1.25),
            tiers=(TierThreshold(2, 0.0), TierThreshold(3, 5.75)),
        ),
    )
    teams: dict[int, int] = {}

    def seed(session: Session) -> CaseRow:
        area = add_area(session, "sso", "SSO & Identity")
        teams[2] = add_tier_team(session, "sso-2", area, 2).id
        teams[3] = add_tier_team(session, "sso-3", area, 3).id
        case = _plain_case(session)
        file_under(case, area)
        customer = session.get(CustomerRow, case.customer_id)
        assert customer is not None
        set_account(customer, tier="enterprise", arr=10, renewal=None)
        add_event(session, case, EventKind.CUSTOMER_MESSAGE, "Please escalate this.")
        return case

    recommendation = _recommend(db, seed, config=weighted)

    assert {signal.key for signal in recommendation.fired} == {
        "customer_request",
        "complexity.product_area",
        "account.tier",
    }
    assert recommendation.score == 4.5 + 1.0 + 1.25
    assert (recommendation.tier, recommendation.team_id) == (3, teams[3])
    assert recommendation.team_name == "SSO & Identity tier 3"


def test_a_quiet_case_goes_one_tier_up_to_the_team_of_its_area(db: DbRunner) -> None:
    teams: dict[int, int] = {}

    def seed(session: Session) -> CaseRow:
        area = add_area(session, "billing", "Billing")
        teams[2] = add_tier_team(session, "billing-2", area, 2).id
        add_tier_team(session, "billing-3", area, 3)
        case = _plain_case(session)
        file_under(case, area)
        return case

    recommendation = _recommend(db, seed)

    assert recommendation.score == 0
    assert recommendation.fired == ()
    assert (recommendation.tier, recommendation.team_id) == (2, teams[2])
    assert len(recommendation.signals) == 11  # every signal is shown, fired or not


def test_a_full_area_team_sends_the_recommendation_to_its_overflow_team(db: DbRunner) -> None:
    teams: dict[str, int] = {}

    def seed(session: Session) -> CaseRow:
        billing = add_area(session, "billing", "Billing")
        reporting = add_area(session, "reporting", "Reporting")
        full = add_tier_team(session, "billing-2", billing, 2)
        overflow = add_tier_team(session, "reporting-2", reporting, 2)
        full.secondary_team_id = overflow.id
        teams.update(full=full.id, overflow=overflow.id)
        busy = add_person(session, "Busy Billing", team=full)
        free = add_person(session, "Free Reporting", team=overflow)
        for person, level in ((busy, 9), (free, 7)):
            session.add(PersonSkillRow(person_id=person.id, skill="area:billing", level=level))
        for number in (1, 2, 3):  # three normal cases of weight 2 fill a capacity of 6
            add_case(session, 9000 + number, f"Busy {number}", team=full, assignee=busy, tier=2)
        case = _plain_case(session)
        file_under(case, billing)
        return case

    recommendation = _recommend(db, seed)

    assert (recommendation.tier, recommendation.team_id) == (2, teams["overflow"])
    assert "Free Reporting" in recommendation.route_summary


def test_another_evaluator_plugs_in_without_touching_the_others(db: DbRunner) -> None:
    def sla_risk(inputs: SignalInputs) -> Sequence[Signal]:
        return [
            Signal("sla_risk", "SLA at risk", 7.0, True, f"Case {inputs.case.header.number} breaches soon.")
        ]

    recommendation = _recommend(db, _plain_case, evaluators=(*DEFAULT_EVALUATORS, sla_risk))

    assert recommendation.signals[-1] == Signal(
        "sla_risk", "SLA at risk", 7.0, True, "Case 5001 breaches soon."
    )
    assert (recommendation.score, recommendation.tier) == (7.0, 3)


def test_the_renewal_date_counts_from_the_given_time(db: DbRunner) -> None:
    def seed(session: Session) -> CaseRow:
        case = _plain_case(session)
        customer = session.get(CustomerRow, case.customer_id)
        assert customer is not None
        set_account(customer, tier="starter", arr=0, renewal=date(2026, 12, 1))
        return case

    signal = _signal(_recommend(db, seed), "account.renewal")

    assert signal.fired
    assert signal.explanation == "Renewal on 2026-12-01, in 30 days (counts within 90 days)."


def test_recommendations_are_deterministic(db: DbRunner) -> None:
    def work(session: Session) -> tuple[Recommendation, Recommendation]:
        case = _defect_workspace(session, defect_stage=Stage.INVESTIGATING, defect_key="ENG-1")
        now = datetime(2026, 11, 20, tzinfo=case.created_at.tzinfo)
        return (
            recommend_escalation(session, case.id, default_config(), now),
            recommend_escalation(session, case.id, default_config(), now),
        )

    first, second = db.write(work).result()

    assert first == second


def test_a_manager_in_the_customers_signature_is_not_a_request(db: DbRunner) -> None:
    def seed(session: Session) -> CaseRow:
        case = _plain_case(session)
        add_event(
            session,
            case,
            EventKind.CUSTOMER_MESSAGE,
            "Good morning,\nthe weekly report did not arrive.\nThank you, Lucas\n--\n"
            "Lucas Kowalski\nFinance Manager",
        )
        return case

    assert not _signal(_recommend(db, seed), "customer_request").fired
