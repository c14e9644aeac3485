"""The SLA-risk escalation signal: fires in the warning window and after a breach, says when and why."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.config import default_config
from core.db.models import SlaCycleRow
from core.intelligence import Signal, SignalInputs
from core.intelligence.case_context import load_case_context
from core.intelligence.signals import DEFAULT_EVALUATORS
from core.intelligence.signals.sla_risk import evaluate
from tests.factories import add_case

NOW = datetime(2026, 11, 4, 10, 30, tzinfo=UTC)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as opened:
        yield opened


def _signal(
    session: Session, *, due_in: int | None, warn_in: int | None, metric: str | None = "next_reply"
) -> Signal:
    case = add_case(session, 7001, "Login loop after SSO change")
    case.sla_due_at = NOW + timedelta(minutes=due_in) if due_in is not None else None
    case.sla_warning_at = NOW + timedelta(minutes=warn_in) if warn_in is not None else None
    case.sla_metric = metric
    session.flush()
    inputs = SignalInputs(session, load_case_context(session, case.id), default_config(), NOW)
    (signal,) = evaluate(inputs)
    return signal


def test_fires_inside_the_warning_window_with_time_left_and_warning_start(session: Session) -> None:
    signal = _signal(session, due_in=25, warn_in=-25)

    assert signal.fired
    assert signal.weight == 3.0
    assert signal.explanation == "Next reply breaches in 25 min (warning since 10:05 UTC)."


def test_fires_after_a_breach(session: Session) -> None:
    signal = _signal(session, due_in=-72, warn_in=-120, metric="resolution")

    assert signal.fired
    assert signal.explanation == "Resolution breached 1 h 12 min ago (due 09:18 UTC)."


def test_does_not_fire_before_the_warning_window(session: Session) -> None:
    signal = _signal(session, due_in=180, warn_in=60)

    assert not signal.fired
    assert "due in 3 h" in signal.explanation


def test_does_not_fire_without_a_running_clock(session: Session) -> None:
    signal = _signal(session, due_in=None, warn_in=None, metric=None)

    assert not signal.fired
    assert signal.explanation == "No SLA clock is running on this case."


def test_is_one_of_the_default_signals() -> None:
    assert evaluate in DEFAULT_EVALUATORS


def test_says_when_on_the_wall_clock_of_the_cases_sla_calendar(session: Session) -> None:
    case = add_case(session, 7002, "Invoices export stops at 10,000 rows")
    session.add(
        SlaCycleRow(
            case_id=case.id,
            started_at=NOW - timedelta(hours=3),
            policy_key="standard",
            policy_version="v1",
            policy_json="{}",
            calendar_json=json.dumps({"key": "office", "timezone": "Europe/Berlin"}),
        )
    )
    case.sla_due_at, case.sla_warning_at, case.sla_metric = NOW + timedelta(minutes=25), NOW, "first_reply"
    session.flush()

    (signal,) = evaluate(SignalInputs(session, load_case_context(session, case.id), default_config(), NOW))

    assert signal.explanation == "First reply breaches in 25 min (warning since 11:30 CET)."
