"""Builders for workflow tests: an organisation, cases placed in any stage, counts of what was written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import (
    CaseRow,
    EscalationRow,
    OutboxRow,
    ResolutionProposalRow,
    StageTransitionRow,
    TimelineEventRow,
)
from core.domain.enums import ReasonCode, Stage
from tests.factories import add_case, add_customer, add_person, add_team

# A Wednesday morning, so business-day reminders are easy to read.
NOW = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)
TAXONOMY = ("Configuration", "Product defect", "Documentation gap", "Third-party outage")


@dataclass(frozen=True)
class Org:
    """Ids of the people and teams the workflow tests act with."""

    sso_team: int
    platform_team: int
    specialist: int
    lead: int
    manager: int


def build_org(session: Session) -> Org:
    """Two teams, a specialist, a lead and a manager."""
    sso = add_team(session, "Identity & SSO")
    platform = add_team(session, "Platform engineering")
    platform.tier = 3
    specialist = add_person(session, "Priya Raman", sso)
    lead = add_person(session, "Marco Bellini", sso)
    lead.role = "lead"
    manager = add_person(session, "Grace Okafor")
    manager.role = "manager"
    session.flush()
    return Org(sso.id, platform.id, specialist.id, lead.id, manager.id)


def place_case(session: Session, stage: Stage, number: int = 4711, team_id: int | None = None) -> CaseRow:
    """A case in ``stage`` with what the stage implies (open escalation, open proposal, resolution time)."""
    escalated = stage is not Stage.NEW
    case = add_case(
        session,
        number,
        "Okta SSO login loops back to the sign-in page",
        customer=add_customer(session),
        stage=stage,
        tier=2 if escalated else 1,
    )
    case.team_id = team_id
    earlier = NOW - timedelta(days=1)
    if escalated:
        session.add(
            EscalationRow(
                case_id=case.id,
                tier=2,
                reason_code=ReasonCode.TECHNICAL_EXPERTISE.value,
                justification="Needs an SSO specialist.",
                stage=stage.value,
                team_id=team_id,
                requested_at=earlier,
                closed_at=earlier if stage is Stage.CLOSED else None,
            )
        )
    if stage is Stage.RESOLUTION_PROPOSED:
        session.add(ResolutionProposalRow(case_id=case.id, proposed_at=earlier))
    if stage in (Stage.RESOLVED, Stage.CLOSED):
        case.resolved_at = earlier
    session.flush()
    return case


@dataclass(frozen=True)
class Written:
    """How many audit, timeline and outbox rows a case has."""

    transitions: int
    events: int
    outbox: int


def written(session: Session, case_id: int) -> Written:
    """Count what the workflow wrote for ``case_id``."""

    def count(model: type[StageTransitionRow] | type[TimelineEventRow] | type[OutboxRow]) -> int:
        return session.scalar(select(func.count()).select_from(model).where(model.case_id == case_id)) or 0

    return Written(count(StageTransitionRow), count(TimelineEventRow), count(OutboxRow))


NOTHING_WRITTEN = Written(transitions=0, events=0, outbox=0)
