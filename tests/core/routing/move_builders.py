"""Builders for the move tests: two lanes with their specialists, cases placed in them, what a case holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import CaseRouteRow, CaseRow, OutboxRow, StageTransitionRow, TimelineEventRow
from core.domain.enums import Stage
from tests.core.workflow.builders import NOW, place_case
from tests.factories import add_person, add_team

EARLIER = NOW - timedelta(days=3)


@dataclass(frozen=True)
class Lanes:
    """Ids of two teams, their specialists, a lead, someone inactive and the cases placed in the lanes."""

    sso: int
    api: int
    priya: int  # SSO specialist, assigned case 4711
    tomas: int  # SSO specialist
    jonas: int  # API specialist
    lead: int  # SSO lead
    retired: int  # an inactive API specialist
    case: int  # 4711: investigating, SSO, Priya
    other_case: int  # 4712: triaged, SSO, unassigned


def build_lanes(session: Session) -> Lanes:
    """SSO Specialists (Priya, Tomas, the lead) and API Specialists (Jonas, one inactive), two SSO cases."""
    sso = add_team(session, "SSO Specialists", key="sso")
    api = add_team(session, "API Specialists", key="api")
    api.remote_id = "zd-group-77"
    priya = add_person(session, "Priya Raman", sso)
    priya.email = "priya@example.com"
    priya.last_assigned_at = EARLIER
    tomas = add_person(session, "Tomas Novak", sso)
    jonas = add_person(session, "Jonas Weber", api)
    jonas.email = "jonas@example.com"
    jonas.remote_id = "zd-user-9"
    jonas.last_assigned_at = EARLIER
    lead = add_person(session, "Marco Bellini", sso)
    lead.role = "lead"
    retired = add_person(session, "Old Timer", api)
    retired.active = False
    case = place_case(session, Stage.INVESTIGATING, 4711, sso.id)
    case.assignee_id = priya.id
    other = place_case(session, Stage.TRIAGED, 4712, sso.id)
    session.flush()
    return Lanes(sso.id, api.id, priya.id, tomas.id, jonas.id, lead.id, retired.id, case.id, other.id)


def add_placed_case(session: Session, stage: Stage, number: int, team_id: int | None) -> int:
    """Another case of the lanes' customer, in ``stage``, in team ``team_id``; its id."""
    return place_case(session, stage, number, team_id).id


@dataclass(frozen=True)
class Holdings:
    """What a case holds that a move writes: where it is and how many records of each kind."""

    team_id: int | None
    assignee_id: int | None
    stage: str
    updated_at: datetime
    routes: int
    outbox: int
    events: int
    transitions: int


def holdings(session: Session, case_id: int) -> Holdings:
    """The case's place and its record counts."""

    def count(model: type[CaseRouteRow | OutboxRow | TimelineEventRow | StageTransitionRow]) -> int:
        return session.scalar(select(func.count()).select_from(model).where(model.case_id == case_id)) or 0

    case = session.get(CaseRow, case_id)
    assert case is not None
    return Holdings(
        case.team_id,
        case.assignee_id,
        case.stage,
        case.updated_at,
        count(CaseRouteRow),
        count(OutboxRow),
        count(TimelineEventRow),
        count(StageTransitionRow),
    )
