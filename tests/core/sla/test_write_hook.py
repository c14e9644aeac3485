"""Deadlines move in the very transaction that changes a case: a message, a reply, a stage change."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.communication.drafts import save_draft
from core.communication.messages import OutgoingMessage, send_message
from core.config.sla_defaults import DEFAULT_SLA
from core.config.sla_model import SlaSettings
from core.config.storage import load_config, save_config
from core.db.models import CaseRow, SlaCycleRow, TimelineEventRow
from core.db.runner import DbRunner
from core.domain.enums import DraftChannel, EventKind, Stage, Visibility
from core.sla import write_hook
from core.workflow.transitions import change_stage
from tests.core.sla.builders import berlin
from tests.factories import add_case, add_customer, add_person, add_team

# Wednesday 4 November 2026, 10:00 in Berlin: the case comes in during office hours.
OPENED = berlin(2026, 11, 4, 10, 0)


@dataclass(frozen=True)
class Desk:
    """A business customer's normal-priority case (standard policy, Berlin office hours), its specialist."""

    case_id: int
    me: int


@dataclass(frozen=True)
class Deadline:
    """What the inbox sorts by: the case's soonest running deadline."""

    due_at: datetime | None
    warning_at: datetime | None
    metric: str | None


@pytest.fixture
def desk(db: DbRunner) -> Desk:
    return _desk(db)


def _desk(db: DbRunner) -> Desk:
    def build(session: Session) -> Desk:
        team = add_team(session)
        me = add_person(session, "Priya Raman", team)
        case = add_case(
            session, 1001, "Export hangs", customer=add_customer(session, tier="business"), team=team
        )
        case.created_at = OPENED.astimezone(UTC)
        session.add(_customer_message(case.id, OPENED))
        return Desk(case.id, me.id)

    return db.write(build).result()


def _customer_message(case_id: int, at: datetime) -> TimelineEventRow:
    """What a connector writes when the customer's e-mail arrives."""
    return TimelineEventRow(
        case_id=case_id,
        kind=EventKind.CUSTOMER_MESSAGE.value,
        visibility=Visibility.CUSTOMER.value,
        occurred_at=at.astimezone(UTC),
        author_name="Dana Whitfield",
        body_text="Still broken",
    )


def _deadline(db: DbRunner, case_id: int) -> Deadline:
    def read(session: Session) -> Deadline:
        case = session.get_one(CaseRow, case_id)
        return Deadline(case.sla_due_at, case.sla_warning_at, case.sla_metric)

    return db.read(read).result()


def _reply(db: DbRunner, desk: Desk, at: datetime, moves_to: Stage | None = None) -> None:
    message = OutgoingMessage(
        desk.case_id, desk.me, DraftChannel.PUBLIC_REPLY, "Looking into it", (), moves_to
    )
    db.write(send_message, message, at.astimezone(UTC)).result()


def test_a_new_case_gets_its_first_reply_deadline_when_it_is_written(db: DbRunner, desk: Desk) -> None:
    deadline = _deadline(db, desk.case_id)

    # Standard policy, normal priority: 8 business hours → Thursday 10:00 in Berlin.
    assert deadline.metric == "first_reply"
    assert deadline.due_at == berlin(2026, 11, 5, 10, 0)
    assert deadline.warning_at is not None and deadline.warning_at < deadline.due_at


def test_a_public_reply_stops_the_first_reply_clock(db: DbRunner, desk: Desk) -> None:
    _reply(db, desk, OPENED + timedelta(hours=1))

    deadline = _deadline(db, desk.case_id)
    assert deadline.metric != "first_reply"
    assert deadline.due_at is not None and deadline.due_at > berlin(2026, 11, 5, 10, 0)


def test_a_customer_message_starts_the_next_reply_clock(db: DbRunner, desk: Desk) -> None:
    _reply(db, desk, OPENED + timedelta(hours=1))
    after_reply = _deadline(db, desk.case_id)

    def customer_writes(session: Session) -> None:
        session.add(_customer_message(desk.case_id, OPENED + timedelta(hours=2)))

    db.write(customer_writes).result()

    deadline = _deadline(db, desk.case_id)
    assert deadline.metric == "next_reply"
    # 8 business hours from Wednesday 12:00 → Thursday 12:00, sooner than what ran before.
    assert deadline.due_at == berlin(2026, 11, 5, 12, 0)
    assert after_reply.due_at is not None and deadline.due_at < after_reply.due_at


def test_waiting_on_the_customer_pauses_next_reply_and_resolution(db: DbRunner, desk: Desk) -> None:
    _reply(db, desk, OPENED + timedelta(hours=1))
    db.write(
        lambda session: session.add(_customer_message(desk.case_id, OPENED + timedelta(hours=2)))
    ).result()

    db.write(
        change_stage, desk.case_id, Stage.AWAITING_CUSTOMER, desk.me, "Asked for logs", OPENED.astimezone(UTC)
    ).result()

    deadline = _deadline(db, desk.case_id)
    assert deadline.metric == "periodic_update"  # never paused by waiting on the customer


def test_a_closed_case_has_no_deadline(db: DbRunner, desk: Desk) -> None:
    def close(session: Session) -> None:
        session.get_one(CaseRow, desk.case_id).stage = Stage.RESOLVED.value

    db.write(close).result()

    assert _deadline(db, desk.case_id) == Deadline(None, None, None)


def test_each_write_refreshes_the_touched_case_once_and_nothing_recurses(
    db: DbRunner, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[set[int]] = []
    refresh = write_hook.refresh_deadlines

    def counting(session: Session, case_ids: set[int], now: datetime) -> object:
        calls.append(set(case_ids))
        return refresh(session, case_ids, now)

    monkeypatch.setattr(write_hook, "refresh_deadlines", counting)

    _reply(db, desk, OPENED + timedelta(hours=1), moves_to=Stage.AWAITING_CUSTOMER)
    db.write(
        save_draft, desk.case_id, desk.me, DraftChannel.PUBLIC_REPLY, "half a thought", None, OPENED
    ).result()

    assert calls == [{desk.case_id}]  # the reply and its stage move: one refresh; a draft: none

    def cycles(session: Session) -> int:
        return session.scalar(select(func.count()).select_from(SlaCycleRow)) or 0

    assert db.read(cycles).result() == 1  # the cycle was snapshotted once, not on every write


def test_a_calendar_the_engine_refuses_does_not_stop_the_reply(db: DbRunner, desk: Desk) -> None:
    before = _deadline(db, desk.case_id)

    def break_the_cycle_calendar(session: Session) -> None:
        cycle = session.scalars(select(SlaCycleRow).where(SlaCycleRow.case_id == desk.case_id)).one()
        cycle.calendar_json = cycle.calendar_json.replace("Europe/Berlin", "Mars/Olympus")

    db.write(break_the_cycle_calendar).result()
    _reply(db, desk, OPENED + timedelta(hours=1))

    def replies(session: Session) -> int:
        query = select(func.count()).where(
            TimelineEventRow.case_id == desk.case_id, TimelineEventRow.kind == EventKind.AGENT_REPLY.value
        )
        return session.scalar(query) or 0

    assert db.read(replies).result() == 1
    assert _deadline(db, desk.case_id) == before


def _save_sla(db: DbRunner, sla: SlaSettings) -> None:
    def save(session: Session) -> None:
        save_config(session, dataclasses.replace(load_config(session), sla=sla))

    db.write(save).result()


def test_a_saved_policy_gives_cases_that_had_none_their_deadline(db: DbRunner) -> None:
    _save_sla(db, dataclasses.replace(DEFAULT_SLA, policies=()))
    desk = _desk(db)
    assert _deadline(db, desk.case_id) == Deadline(None, None, None)

    _save_sla(db, DEFAULT_SLA)

    assert _deadline(db, desk.case_id).due_at == berlin(2026, 11, 5, 10, 0)


def test_saving_other_settings_leaves_deadlines_alone(
    db: DbRunner, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(write_hook, "refresh_deadlines", lambda *args: calls.append(args[1]))

    def save(session: Session) -> None:
        config = load_config(session)
        save_config(
            session,
            dataclasses.replace(config, reminders=dataclasses.replace(config.reminders, business_days=(3,))),
        )

    db.write(save).result()

    assert calls == []
