"""A small organisation for the routing UI tests: three lanes, their specialists, a morning's queue.

SSO Specialists (Priya, me and the lead; Marco), API Specialists (Jonas, who barely knows
SSO) and Billing Specialists (Ana). Three escalations wait in ``requested`` (two SSO, one
billing); one SSO case is being investigated by Priya.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import (
    CaseRouteRow,
    CaseRow,
    EscalationRow,
    OutboxRow,
    PersonRow,
    PersonSkillRow,
    ProductAreaRow,
)
from core.db.runner import DbRunner
from core.db.types import utc_now
from core.domain.enums import Priority, ReasonCode, Stage
from core.settings import ME_PERSON_ID, set_setting
from tests.factories import add_case, add_customer, add_team

INVESTIGATING_NUMBER = 5010
QUEUE_NUMBERS = (5001, 5002, 5003)  # urgent SSO, high SSO, normal billing: the queue's order


@dataclass(frozen=True)
class Org:
    """Ids of the routing workspace: teams, people and cases (by number)."""

    sso: int
    api: int
    billing: int
    priya: int
    marco: int
    jonas: int
    ana: int
    cases: dict[int, int]

    def case(self, number: int) -> int:
        return self.cases[number]


def _member(
    session: Session, name: str, team_id: int, skills: dict[str, int], role: str = "specialist"
) -> int:
    person = PersonRow(name=name, role=role, team_id=team_id, capacity=6, presence="available")
    session.add(person)
    session.flush()
    for skill, level in {**skills, "lang:en": 9}.items():
        session.add(PersonSkillRow(person_id=person.id, skill=skill, level=level))
    return person.id


def build_org(session: Session) -> Org:
    """The organisation and the cases (see the module docstring)."""
    sso_area = ProductAreaRow(key="sso", name="Single sign-on")
    billing_area = ProductAreaRow(key="billing", name="Billing")
    session.add_all([sso_area, billing_area])
    session.flush()
    sso = add_team(session, "SSO Specialists", key="sso")
    sso.product_area_id = sso_area.id
    api = add_team(session, "API Specialists", key="api")
    billing = add_team(session, "Billing Specialists", key="billing")
    billing.product_area_id = billing_area.id
    priya = _member(session, "Priya Raman", sso.id, {"area:sso": 8}, role="lead")
    marco = _member(session, "Marco Bellini", sso.id, {"area:sso": 6})
    jonas = _member(session, "Jonas Weber", api.id, {"area:sso": 2, "area:api": 8})
    ana = _member(session, "Ana Costa", billing.id, {"area:billing": 7})
    set_setting(session, ME_PERSON_ID, str(priya))
    customer = add_customer(session, "Contoso", "strategic")
    now = utc_now()
    cases: dict[int, int] = {}
    specs = (
        (5001, "SSO login fails for every user after the upgrade", Priority.URGENT, sso_area, 3),
        (5002, "SAML assertion rejected after certificate rotation", Priority.HIGH, sso_area, 5),
        (5003, "Invoice shows duplicate line items", Priority.NORMAL, billing_area, 8),
        (INVESTIGATING_NUMBER, "Okta group push does not remove users", Priority.NORMAL, sso_area, 30),
    )
    for number, subject, priority, area, hours in specs:
        investigating = number == INVESTIGATING_NUMBER
        case = add_case(
            session,
            number,
            subject,
            customer=customer,
            stage=Stage.INVESTIGATING if investigating else Stage.REQUESTED,
            priority=priority,
            updated_at=now - timedelta(hours=1),
        )
        case.product_area_id = area.id
        if investigating:
            case.team_id = sso.id
            case.assignee_id = priya
        session.add(
            EscalationRow(
                case_id=case.id,
                tier=2,
                reason_code=ReasonCode.TECHNICAL_EXPERTISE.value,
                justification="Needs a specialist.",
                stage=case.stage,
                team_id=case.team_id,
                requested_by_id=priya,
                requested_at=now - timedelta(hours=hours),
            )
        )
        cases[number] = case.id
    session.flush()
    return Org(sso.id, api.id, billing.id, priya, marco, jonas, ana, cases)


@pytest.fixture
def org(db: DbRunner) -> Org:
    """The routing workspace (see the module docstring)."""
    return db.write(build_org).result()


@dataclass(frozen=True)
class Placement:
    """Where a case is, as a lead sees it on the board."""

    team_id: int | None
    assignee_id: int | None
    stage: Stage


def placement(db: DbRunner, case_id: int) -> Placement:
    """The case's team, assignee and stage, read on the DB thread."""

    def _read(session: Session) -> Placement:
        case = session.get_one(CaseRow, case_id)
        return Placement(case.team_id, case.assignee_id, Stage(case.stage))

    return db.read(_read).result()


def routes_of(db: DbRunner, case_id: int) -> list[CaseRouteRow]:
    """The case's route records, oldest first (detached copies)."""

    def _read(session: Session) -> list[CaseRouteRow]:
        rows = list(
            session.scalars(
                select(CaseRouteRow).where(CaseRouteRow.case_id == case_id).order_by(CaseRouteRow.id)
            )
        )
        session.expunge_all()
        return rows

    return db.read(_read).result()


def outbox_operations(db: DbRunner, case_id: int) -> list[tuple[str, str]]:
    """(operation, state) of the case's outbox entries, oldest first."""

    def _read(session: Session) -> list[tuple[str, str]]:
        rows = session.scalars(select(OutboxRow).where(OutboxRow.case_id == case_id).order_by(OutboxRow.id))
        return [(row.operation, row.state) for row in rows]

    return db.read(_read).result()


def mark_outbox_sent(db: DbRunner, case_id: int) -> None:
    """Sync took the case's outbox entries: they are no longer pending."""

    def _write(session: Session) -> None:
        for row in session.scalars(select(OutboxRow).where(OutboxRow.case_id == case_id)):
            row.state = "done"

    db.write(_write).result()
