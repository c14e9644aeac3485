"""Builders for routing tests: engine inputs built directly (pure) and organisation rows in a workspace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.config.defaults import DEFAULT_ROUTING
from core.db.models import (
    CaseRow,
    EscalationRow,
    OutboxRow,
    PersonRow,
    PersonSkillRow,
    ProductAreaRow,
    TeamRow,
)
from core.domain.enums import Priority, ReasonCode, Stage
from core.routing.types import CaseProfile, MemberState, Presence, RoutingSnapshot, TeamState
from tests.factories import add_team

NOW = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)
RULES = DEFAULT_ROUTING


# --- Pure engine inputs -------------------------------------------------------------------------


def member(
    person_id: int,
    name: str,
    *,
    skills: dict[str, int] | None = None,
    capacity: int = 6,
    load: int = 0,
    presence: Presence = Presence.AVAILABLE,
    last_assigned_at: datetime | None = None,
    role: str = "specialist",
) -> MemberState:
    """A member who knows SSO well and speaks English unless ``skills`` says otherwise."""
    return MemberState(
        person_id=person_id,
        name=name,
        role=role,
        capacity=capacity,
        presence=presence,
        skills={"area:sso": 8, "lang:en": 9} if skills is None else skills,
        load=load,
        open_cases=load // 2,
        last_assigned_at=last_assigned_at,
    )


def team(
    team_id: int,
    name: str,
    members: tuple[MemberState, ...] = (),
    *,
    tier: int = 2,
    product_area: str | None = "sso",
    wip_limit: int | None = None,
    secondary_team_id: int | None = None,
    open_cases: int | None = None,
) -> TeamState:
    """A team whose load is its members' load and whose card count follows from it unless given."""
    load = sum(m.load for m in members)
    return TeamState(
        team_id=team_id,
        key=name.lower().replace(" ", "-"),
        name=name,
        tier=tier,
        product_area=product_area,
        wip_limit=wip_limit,
        secondary_team_id=secondary_team_id,
        members=members,
        load=load,
        open_cases=sum(m.open_cases for m in members) if open_cases is None else open_cases,
    )


def snapshot(*teams: TeamState) -> RoutingSnapshot:
    """The organisation of ``teams`` at :data:`NOW`."""
    return RoutingSnapshot(teams=teams, taken_at=NOW)


def profile(
    case_id: int = 1,
    *,
    priority: Priority = Priority.NORMAL,
    tier: int = 2,
    stage: Stage = Stage.REQUESTED,
    product_area: str | None = "sso",
    language: str | None = None,
    issue_type: str | None = None,
    team_id: int | None = None,
    assignee_id: int | None = None,
) -> CaseProfile:
    """An SSO escalation waiting for triage."""
    return CaseProfile(
        case_id=case_id,
        number=4700 + case_id,
        subject="Okta SSO login loops back to the sign-in page",
        priority=priority,
        tier=tier,
        stage=stage,
        product_area=product_area,
        language=language,
        issue_type=issue_type,
        team_id=team_id,
        assignee_id=assignee_id,
        waiting_since=NOW - timedelta(hours=case_id),
    )


# --- Organisation rows ----------------------------------------------------------------------------


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on a fresh workspace file (import this fixture into a test module to use it)."""
    with Session(engine) as opened:
        yield opened


def add_area(session: Session, key: str = "sso", name: str = "Single sign-on") -> ProductAreaRow:
    """A product area."""
    area = ProductAreaRow(key=key, name=name)
    session.add(area)
    session.flush()
    return area


def add_routing_team(
    session: Session,
    name: str,
    *,
    tier: int = 2,
    area: ProductAreaRow | None = None,
    wip_limit: int | None = None,
    secondary: TeamRow | None = None,
) -> TeamRow:
    """A team (lane) with its routing settings."""
    row = add_team(session, name)
    row.tier = tier
    row.product_area_id = area.id if area else None
    row.wip_limit = wip_limit
    row.secondary_team_id = secondary.id if secondary else None
    session.flush()
    return row


def add_member(
    session: Session,
    name: str,
    team_row: TeamRow | None,
    *,
    skills: dict[str, int] | None = None,
    capacity: int = 6,
    role: str = "specialist",
    presence: str = "available",
    last_assigned_at: datetime | None = None,
    active: bool = True,
) -> PersonRow:
    """A person in ``team_row`` with ``skills`` (default: SSO level 8)."""
    person = PersonRow(
        name=name,
        role=role,
        team_id=team_row.id if team_row else None,
        capacity=capacity,
        presence=presence,
        last_assigned_at=last_assigned_at,
        active=active,
    )
    session.add(person)
    session.flush()
    for skill, level in ({"area:sso": 8} if skills is None else skills).items():
        session.add(PersonSkillRow(person_id=person.id, skill=skill, level=level))
    session.flush()
    return person


def add_escalation(session: Session, case: CaseRow, requested_at: datetime, *, closed: bool = False) -> None:
    """An escalation episode of ``case`` requested at ``requested_at`` (open unless ``closed``)."""
    session.add(
        EscalationRow(
            case_id=case.id,
            tier=case.tier,
            reason_code=ReasonCode.TECHNICAL_EXPERTISE.value,
            stage=case.stage,
            team_id=case.team_id,
            requested_at=requested_at,
            closed_at=requested_at + timedelta(hours=1) if closed else None,
        )
    )
    session.flush()


def add_outbox_entry(session: Session, case: CaseRow, state: str, key: str) -> None:
    """An outbox entry of ``case`` in ``state``."""
    session.add(
        OutboxRow(idempotency_key=key, case_id=case.id, operation="assign", payload_json="{}", state=state)
    )
    session.flush()
