"""SLA storage: timelines read from real rows, cycles snapshotted once, deadlines stored on the case."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.config.storage import load_config, save_config
from core.db.engine import writer
from core.db.models import CaseRow, EscalationRow, ProductAreaRow, SlaCycleRow, StageTransitionRow
from core.domain.enums import EventKind, Priority, ReasonCode, Stage, Visibility
from core.generator.workspace import generate_workspace
from core.sla.store import case_clocks, load_timelines, refresh_deadlines, warm_up
from core.sla.types import Metric, TimelineKind
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


def _cycles(session: Session, case_id: int) -> list[tuple[int | None, str]]:
    rows = session.execute(
        select(SlaCycleRow.escalation_id, SlaCycleRow.policy_key).where(SlaCycleRow.case_id == case_id)
    )
    return [(row.escalation_id, row.policy_key) for row in rows]


def _rename_standard_policy(session: Session, name: str, first_reply_minutes: int) -> None:
    config = load_config(session)
    policies = tuple(
        dataclasses.replace(
            policy,
            name=name,
            targets=tuple(
                dataclasses.replace(target, minutes=first_reply_minutes)
                if target.metric == "first_reply"
                else target
                for target in policy.targets
            ),
        )
        if policy.key == "standard"
        else policy
        for policy in config.sla.policies
    )
    save_config(session, dataclasses.replace(config, sla=dataclasses.replace(config.sla, policies=policies)))


def test_a_case_keeps_the_policy_version_its_cycle_started_with(session: Session) -> None:
    case = _case(session)
    before = case_clocks(session, case.id, NOW)

    _rename_standard_policy(session, "Standard support (faster)", 30)
    after_edit = case_clocks(session, case.id, NOW)

    assert before.policy_key == "standard" and before.policy_name == "Standard support"
    assert (after_edit.policy_name, after_edit.policy_version) == (before.policy_name, before.policy_version)
    first_reply = next(clock for clock in after_edit.clocks if clock.metric is Metric.FIRST_REPLY)
    assert first_reply.target_seconds == 8 * 3600  # the old target still applies
    assert _cycles(session, case.id) == [(None, "standard")]


def test_a_new_escalation_starts_a_cycle_under_the_edited_policy(session: Session) -> None:
    case = _case(session)
    first = case_clocks(session, case.id, NOW)
    _rename_standard_policy(session, "Standard support (faster)", 30)

    escalation = _escalate(session, case, NOW - timedelta(minutes=10))
    cycle = case_clocks(session, case.id, NOW)

    assert cycle.policy_name == "Standard support (faster)"
    assert cycle.policy_version != first.policy_version
    assert cycle.cycle_started_at == NOW - timedelta(minutes=10)
    assert _cycles(session, case.id) == [(None, "standard"), (escalation.id, "standard")]


def test_refresh_stores_each_case_soonest_deadline_and_names_only_what_changed(session: Session) -> None:
    waiting = _case(session, 101)
    closed = _case(session, 102)

    changes = refresh_deadlines(session, None, NOW)
    again = refresh_deadlines(session, None, NOW)

    session.refresh(waiting)
    # Standard policy, normal priority: first reply within 8 office hours of Wednesday 10:00 Berlin.
    assert (waiting.sla_metric, waiting.sla_due_at) == (
        "first_reply",
        datetime(2026, 11, 5, 9, 0, tzinfo=UTC),
    )
    assert waiting.sla_warning_at is not None and waiting.sla_warning_at < waiting.sla_due_at
    assert changes.cases == {waiting.id, closed.id} and again.is_empty

    closed.stage = Stage.CLOSED.value
    session.flush()
    cleared = refresh_deadlines(session, None, NOW)
    session.refresh(closed)
    assert cleared.cases == {closed.id} and closed.sla_due_at is None and closed.sla_metric is None


def test_refresh_snapshots_every_new_cycle_in_bulk(session: Session) -> None:
    cases = [_case(session, 500 + index) for index in range(50)]

    refresh_deadlines(session, [case.id for case in cases], NOW)

    count = session.scalar(select(func.count()).select_from(SlaCycleRow))
    assert count == 50


def test_a_generated_workspace_shows_a_deadline_on_every_open_case_with_a_running_clock(
    engine: Engine,
) -> None:
    anchor = datetime(2026, 11, 2, 9, tzinfo=UTC)
    generate_workspace(engine, cases=80, seed=9, anchor=anchor)

    with Session(engine) as session:
        stored = {
            case.id: case.sla_due_at
            for case in session.scalars(select(CaseRow).where(CaseRow.stage.not_in(["resolved", "closed"])))
        }
        expected = {
            case_id: None if clocks.next_due is None else clocks.next_due.due_at
            for case_id, clocks in ((case_id, case_clocks(session, case_id, anchor)) for case_id in stored)
        }
    assert stored == expected
    assert sum(due is not None for due in stored.values()) >= len(stored) // 2


def test_warming_up_prepares_every_configured_calendar(session: Session) -> None:
    calendars = load_config(session).sla.calendars

    assert warm_up(session, datetime(2026, 11, 20, 12, 0, tzinfo=UTC)) == len(calendars) == 2
