"""Fixtures for communication tests: one case, its specialist, and a clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import (
    AttachmentRow,
    DraftRow,
    InvestigationNoteRow,
    OutboxRow,
    StageTransitionRow,
    TimelineEventRow,
)
from core.db.runner import DbRunner
from core.domain.enums import Stage
from core.settings import ME_PERSON_ID, set_setting
from tests.factories import add_case, add_customer, add_person, add_team

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)


@dataclass(frozen=True)
class CaseOnDesk:
    """A case under investigation and the specialist working it ("me")."""

    case_id: int
    me: int


@pytest.fixture
def desk(db: DbRunner) -> CaseOnDesk:
    def build(session: Session) -> CaseOnDesk:
        team = add_team(session)
        me = add_person(session, "Priya Raman", team)
        set_setting(session, ME_PERSON_ID, str(me.id))
        case = add_case(
            session, 1001, "Okta login loop", customer=add_customer(session), team=team, assignee=me
        )
        return CaseOnDesk(case_id=case.id, me=me.id)

    return db.write(build).result()


@pytest.fixture
def closed_desk(db: DbRunner) -> CaseOnDesk:
    """A closed case, to see refused stage moves."""

    def build(session: Session) -> CaseOnDesk:
        me = add_person(session, "Priya Raman")
        case = add_case(session, 2002, "Closed long ago", stage=Stage.CLOSED)
        return CaseOnDesk(case_id=case.id, me=me.id)

    return db.write(build).result()


ROW_TYPES = (TimelineEventRow, OutboxRow, InvestigationNoteRow, DraftRow, AttachmentRow, StageTransitionRow)


def row_counts(db: DbRunner) -> dict[str, int]:
    """How many rows each table a communication step writes holds."""

    def count(session: Session) -> dict[str, int]:
        return {
            row_type.__tablename__: session.scalar(select(func.count()).select_from(row_type)) or 0
            for row_type in ROW_TYPES
        }

    return db.read(count).result()
