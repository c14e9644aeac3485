"""SLA storage: timelines read from real rows, cycles snapshotted once, deadlines stored on the case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.db.engine import writer
from core.db.models import CaseRow, EscalationRow, ProductAreaRow, StageTransitionRow
from core.domain.enums import EventKind, Priority, ReasonCode, Stage, Visibility
from core.sla.store import load_timelines
from core.sla.types import TimelineKind
from tests.factories import add_case, add_customer, add_event

# A Wednesday, 10:00 UTC (11:00 in Berlin): inside office hours.
NOW = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(writer(engine)) as session, session.begin():
        yield session


def _case(
    session: Session, number: int = 101, *, stage: Stage = Stage.INVESTIGATING, tier: str = "business"
) -> CaseRow:
    case = add_case(session, number, "Export hangs", customer=add_customer(session, tier=tier), stage=stage)
    case.created_at = NOW - timedelta(hours=1)
    session.flush()
    return case


def _escalate(session: Session, case: CaseRow, at: datetime) -> EscalationRow:
    escalation = EscalationRow(
        case_id=case.id,
        tier=2,
        reason_code=ReasonCode.TECHNICAL_EXPERTISE.value,
        justification="Needs a specialist.",
        stage=case.stage,
        requested_at=at,
    )
    session.add(escalation)
    session.flush()
    return escalation


def test_a_timeline_holds_the_facts_the_clocks_read_and_nothing_else(session: Session) -> None:
    area = ProductAreaRow(key="reporting", name="Reporting")
    session.add(area)
    session.flush()
    case = _case(session, tier="enterprise")
    case.product_area_id = area.id
    case.priority = Priority.HIGH.value
    add_event(session, case, EventKind.CUSTOMER_MESSAGE, "It hangs", minutes_after=0)
    add_event(session, case, EventKind.INTERNAL_NOTE, "Looking", minutes_after=5)
    add_event(session, case, EventKind.AGENT_REPLY, "On it", minutes_after=10)
    internal_reply = add_event(session, case, EventKind.AGENT_REPLY, "Draft to a colleague", minutes_after=12)
    internal_reply.visibility = Visibility.INTERNAL.value
    session.add(
        StageTransitionRow(
            case_id=case.id,
            from_stage="investigating",
            to_stage="awaiting_customer",
            at=case.created_at + timedelta(minutes=15),
        )
    )
    _escalate(session, case, case.created_at + timedelta(minutes=20))

    timeline = load_timelines(session, [case.id])[case.id]

    assert (timeline.priority, timeline.customer_tier, timeline.product_area) == (
        "high",
        "enterprise",
        "reporting",
    )
    assert (timeline.source, timeline.tier, timeline.stage) == ("local", case.tier, "investigating")
    kinds = [
        (fact.kind, round((fact.at - case.created_at).total_seconds() / 60), fact.stage)
        for fact in timeline.facts
    ]
    assert kinds == [
        (TimelineKind.CREATED, 0, ""),
        (TimelineKind.CUSTOMER_MESSAGE, 0, ""),
        (TimelineKind.PUBLIC_REPLY, 10, ""),
        (TimelineKind.STAGE_CHANGE, 15, "awaiting_customer"),
        (TimelineKind.ESCALATED, 20, ""),
    ]
    assert timeline.facts[0].by_agent is False
    assert all(fact.at.tzinfo is not None for fact in timeline.facts)


def test_a_case_an_agent_opened_with_a_public_comment_is_marked_agent_created(session: Session) -> None:
    case = _case(session)
    add_event(session, case, EventKind.AGENT_REPLY, "We noticed your export failing", minutes_after=0)

    created = load_timelines(session, [case.id])[case.id].facts[0]

    assert created.kind is TimelineKind.CREATED and created.by_agent is True


def test_without_ids_every_open_case_is_read_and_no_finished_one(session: Session) -> None:
    open_case = _case(session, 101)
    _case(session, 102, stage=Stage.CLOSED)
    resolved = _case(session, 103, stage=Stage.RESOLVED)

    assert set(load_timelines(session)) == {open_case.id}
    assert set(load_timelines(session, [resolved.id])) == {resolved.id}


def test_many_ids_are_read_in_chunks(session: Session) -> None:
    cases = [_case(session, 1000 + index) for index in range(1000)]

    assert len(load_timelines(session, [case.id for case in cases])) == 1000
