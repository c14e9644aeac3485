"""A small organisation in a workspace's tables: product areas, teams, people with skills, one case."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import PersonRow, PersonSkillRow, ProductAreaRow, TeamRow
from tests.factories import add_case


@dataclass(frozen=True)
class SeededOrganisation:
    """Ids of what :func:`seed_organisation` wrote."""

    sso_team: int
    billing_team: int
    frontline_team: int
    spare_team: int
    priya: int
    nameless: int


def seed_organisation(session: Session) -> SeededOrganisation:
    """Areas sso and billing; four teams (one unused); four people (one without e-mail); a case in sso-t2."""
    session.add_all(
        [ProductAreaRow(key="sso", name="Identity & SSO"), ProductAreaRow(key="billing", name="Billing")]
    )
    session.flush()
    areas = {key: area_id for area_id, key in session.execute(select(ProductAreaRow.id, ProductAreaRow.key))}
    billing = TeamRow(key="billing-t2", name="Billing Specialists", tier=2, product_area_id=areas["billing"])
    frontline = TeamRow(key="frontline", name="Frontline Support", tier=1)
    spare = TeamRow(key="spare", name="Spare Lane", tier=3)
    session.add_all([billing, frontline, spare])
    session.flush()
    sso = TeamRow(
        key="sso-t2",
        name="SSO Specialists",
        tier=2,
        product_area_id=areas["sso"],
        wip_limit=8,
        secondary_team_id=billing.id,
    )
    session.add(sso)
    session.flush()
    priya = _person(
        session, "Priya Raman", "priya@acme.example", "specialist", sso, 6, "area:sso=8", "lang:de=7"
    )
    _person(session, "Ana Lindqvist", "ana@acme.example", "lead", sso, 3)
    _person(session, "Tom Berg", "tom@acme.example", "specialist", billing, 6, "area:billing=9")
    nameless = _person(session, "Nils Nameless", None, "agent", frontline, 8, "lang:en=9")
    add_case(session, 10001, "SAML login loops", team=sso, assignee=priya)
    return SeededOrganisation(sso.id, billing.id, frontline.id, spare.id, priya.id, nameless.id)


def _person(
    session: Session,
    name: str,
    email: str | None,
    role: str,
    team: TeamRow,
    capacity: int,
    *skills: str,
) -> PersonRow:
    person = PersonRow(name=name, email=email, role=role, team_id=team.id, capacity=capacity)
    session.add(person)
    session.flush()
    for text in skills:
        skill, level = text.split("=")
        session.add(PersonSkillRow(person_id=person.id, skill=skill, level=int(level)))
    session.flush()
    return person
