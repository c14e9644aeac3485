"""The readiness check: each required item found or missing, with the event and words it was found in."""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from core.config import ReadinessProfile, default_config
from core.db.models import CaseRow
from core.db.runner import DbRunner
from core.domain.enums import EventKind
from core.intelligence import Readiness, check_readiness
from tests.core.intelligence.builders import add_area, add_tier_team, file_under
from tests.factories import add_case, add_customer, add_event


def _by_key(readiness: Readiness) -> dict[str, tuple[bool, int | None, str]]:
    return {
        item.key: (item.present, item.evidence_event_id, item.evidence_excerpt) for item in readiness.items
    }


def test_items_are_found_in_the_description_and_the_timeline_with_their_evidence(db: DbRunner) -> None:
    ids: dict[str, int] = {}

    def work(session: Session) -> Readiness:
        case = add_case(
            session,
            8001,
            "Export to CSV fails",
            description="Since the upgrade to 4.12.3 every export of more than 10k rows fails.",
            customer=add_customer(session),
        )
        file_under(case, add_area(session, "data", "Data & Import"))
        ids["steps"] = add_event(
            session,
            case,
            EventKind.CUSTOMER_MESSAGE,
            "Hi,\nsteps to reproduce: open Reports, choose Export, pick CSV. It stops at 80%.",
            minutes_after=5,
        ).id
        ids["log"] = add_event(
            session, case, EventKind.ATTACHMENT, "Attached console_log.txt (12 KB)", minutes_after=9
        ).id
        add_event(session, case, EventKind.SYSTEM_LOG, "export worker crashed", minutes_after=10)
        return check_readiness(session, case.id, default_config(), None)

    readiness = db.write(work).result()

    assert [item.key for item in readiness.items] == [
        "product_version",
        "logs_attached",
        "steps_to_reproduce",
        "customer_impact",
    ]
    found = _by_key(readiness)
    assert found["product_version"][:2] == (True, None)
    assert "4.12.3" in found["product_version"][2]
    assert found["logs_attached"] == (True, ids["log"], "Attached console_log.txt (12 KB)")
    assert found["steps_to_reproduce"][:2] == (True, ids["steps"])
    assert "steps to reproduce: open Reports" in found["steps_to_reproduce"][2]
    assert [item.key for item in readiness.missing] == ["customer_impact"]
    assert readiness.missing[0].label == "Customer impact"
    assert not readiness.ready


def test_numbered_steps_and_user_counts_are_recognized(db: DbRunner) -> None:
    ids: dict[str, int] = {}

    def work(session: Session) -> Readiness:
        case = add_case(session, 8002, "Reports are empty")
        add_event(session, case, EventKind.AGENT_REPLY, "Could you tell us how many users are affected?")
        ids["reply"] = add_event(
            session,
            case,
            EventKind.CUSTOMER_MESSAGE,
            "It affects about 240 users.\n1. Open the weekly report\n2. Pick last month\n3. Nothing shows",
            minutes_after=3,
        ).id
        return check_readiness(session, case.id, default_config(), None)

    found = _by_key(db.write(work).result())

    assert found["customer_impact"][:2] == (True, ids["reply"])
    assert found["customer_impact"][2].startswith("It affects about 240 users")
    assert found["steps_to_reproduce"][:2] == (True, ids["reply"])


def test_an_ip_address_or_a_question_about_logs_is_not_evidence(db: DbRunner) -> None:
    def work(session: Session) -> Readiness:
        case = add_case(session, 8003, "Webhook deliveries time out")
        add_event(
            session, case, EventKind.CUSTOMER_MESSAGE, "Our endpoint 203.0.113.42 gets nothing since Monday."
        )
        add_event(session, case, EventKind.AGENT_REPLY, "Could you send us the logs of your endpoint?")
        return check_readiness(session, case.id, default_config(), None)

    readiness = db.write(work).result()

    assert {item.key for item in readiness.missing} == {
        "product_version",
        "logs_attached",
        "steps_to_reproduce",
        "customer_impact",
    }
    assert all(item.evidence_event_id is None and item.evidence_excerpt == "" for item in readiness.missing)


def test_the_product_area_and_the_target_team_choose_what_is_required(db: DbRunner) -> None:
    config = default_config()
    with_team_profile = dataclasses.replace(
        config,
        readiness=dataclasses.replace(
            config.readiness,
            profiles=(
                ReadinessProfile(team="sso-3", product_area="", required=("logs_attached",)),
                *config.readiness.profiles,
            ),
        ),
    )

    def work(session: Session) -> tuple[Readiness, Readiness, Readiness]:
        area = add_area(session, "sso", "SSO & Identity")
        tier2 = add_tier_team(session, "sso-2", area, 2)
        tier3 = add_tier_team(session, "sso-3", area, 3)
        case: CaseRow = add_case(session, 8004, "Okta login loop")
        file_under(case, area)
        add_event(session, case, EventKind.CUSTOMER_MESSAGE, "It happens in Chrome 126 on Windows 11.")
        return (
            check_readiness(session, case.id, with_team_profile, tier2.id),
            check_readiness(session, case.id, with_team_profile, tier3.id),
            check_readiness(session, case.id, with_team_profile, None),
        )

    for_tier2, for_tier3, without_team = db.write(work).result()

    assert [item.key for item in for_tier2.items] == [
        "environment",
        "logs_attached",
        "steps_to_reproduce",
        "customer_impact",
    ]
    assert for_tier2.items[0].present
    assert [item.key for item in for_tier3.items] == ["logs_attached"]
    assert without_team.items == for_tier2.items


def test_a_failed_attempt_to_reproduce_is_not_steps_to_reproduce(db: DbRunner) -> None:
    def work(session: Session) -> Readiness:
        case = add_case(session, 8005, "Import creates duplicates")
        add_event(
            session, case, EventKind.TROUBLESHOOTING_STEP, "Tried to reproduce with a test user: could not."
        )
        add_event(session, case, EventKind.ATTACHMENT, "Attached invoice_2026.pdf (107 KB)")
        return check_readiness(session, case.id, default_config(), None)

    found = _by_key(db.write(work).result())

    assert not found["steps_to_reproduce"][0]
    assert not found["logs_attached"][0]  # an invoice is an attachment, but not a log
