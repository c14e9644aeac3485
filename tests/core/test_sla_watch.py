"""SLA watch queries: the at-risk count, the next threshold and the crossings in a window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.db.models import CaseRow
from core.domain.enums import Stage
from core.queries.sla_watch import (
    Threshold,
    at_risk_count,
    crossings,
    next_threshold,
    notifications_enabled,
    set_notifications_enabled,
    watch,
)
from tests.factories import add_case

NOW = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as opened:
        yield opened


def _deadline(
    session: Session, number: int, *, due_in: int, warn_in: int | None, stage: Stage = Stage.INVESTIGATING
) -> CaseRow:
    case = add_case(session, number, f"Case {number}", stage=stage)
    case.sla_due_at = NOW + timedelta(minutes=due_in)
    case.sla_warning_at = NOW + timedelta(minutes=warn_in) if warn_in is not None else None
    case.sla_metric = "next_reply"
    session.flush()
    return case


def test_at_risk_counts_open_cases_in_warning_or_breached(session: Session) -> None:
    _deadline(session, 1, due_in=30, warn_in=-5)  # warning
    _deadline(session, 2, due_in=-10, warn_in=-40)  # breached
    _deadline(session, 3, due_in=120, warn_in=60)  # fine
    _deadline(session, 4, due_in=-10, warn_in=None)  # breached, no warning window
    _deadline(session, 5, due_in=-10, warn_in=-40, stage=Stage.CLOSED)  # closed: not counted
    add_case(session, 6, "No SLA")

    assert at_risk_count(session, NOW) == 3


def test_next_threshold_is_the_soonest_future_warning_or_deadline(session: Session) -> None:
    _deadline(session, 1, due_in=30, warn_in=-5)  # due in 30
    _deadline(session, 2, due_in=90, warn_in=12)  # warns in 12
    _deadline(session, 3, due_in=5, warn_in=1, stage=Stage.RESOLVED)  # resolved: ignored

    assert next_threshold(session, NOW) == NOW + timedelta(minutes=12)
    assert next_threshold(session, NOW + timedelta(hours=2)) is None


def test_crossings_name_each_threshold_in_the_window(session: Session) -> None:
    first = _deadline(session, 1, due_in=10, warn_in=-20)  # deadline inside the window
    second = _deadline(session, 2, due_in=60, warn_in=5)  # warning inside the window
    _deadline(session, 3, due_in=60, warn_in=30)  # after the window

    found = crossings(session, NOW, NOW + timedelta(minutes=15))

    assert [(c.case_id, c.threshold) for c in found] == [
        (second.id, Threshold.WARNING),
        (first.id, Threshold.BREACH),
    ]
    assert found[1].due_at == NOW + timedelta(minutes=10)
    assert found[0].metric == "next_reply"


def test_window_start_is_exclusive(session: Session) -> None:
    _deadline(session, 1, due_in=0, warn_in=-30)

    assert crossings(session, NOW, NOW + timedelta(minutes=5)) == []
    assert len(crossings(session, NOW - timedelta(seconds=1), NOW)) == 1


def test_watch_bundles_count_next_moment_and_crossings(session: Session) -> None:
    _deadline(session, 1, due_in=10, warn_in=-20)

    first_look = watch(session, None, NOW)
    later = watch(session, NOW, NOW + timedelta(minutes=11))

    assert (first_look.at_risk, first_look.next_moment, first_look.crossings) == (
        1,
        NOW + timedelta(minutes=10),
        (),
    )
    assert [c.threshold for c in later.crossings] == [Threshold.BREACH]
    assert later.next_moment is None


def test_changed_cases_already_at_risk_count_as_crossings(session: Session) -> None:
    warned = _deadline(session, 1, due_in=20, warn_in=-10)  # its warning moment passed before the check
    breached = _deadline(session, 2, due_in=-1, warn_in=-31)
    _deadline(session, 3, due_in=60, warn_in=30)  # changed, but fine

    result = watch(session, NOW - timedelta(seconds=5), NOW, changed=[warned.id, breached.id, 3])

    assert [(c.case_id, c.threshold) for c in result.crossings] == [
        (warned.id, Threshold.WARNING),
        (breached.id, Threshold.BREACH),
    ]


def test_notifications_are_on_until_turned_off(session: Session) -> None:
    assert notifications_enabled(session)

    set_notifications_enabled(session, False)
    assert not notifications_enabled(session)

    set_notifications_enabled(session, True)
    assert notifications_enabled(session)
