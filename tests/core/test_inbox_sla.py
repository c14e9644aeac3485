"""Inbox SLA queries: the SLA order, the At risk and Proactive escalation views and their counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.domain.dtos import InboxQuery, InboxRow, SortKey
from core.domain.enums import SavedView, Stage
from core.queries.inbox import inbox_case_ids, inbox_rows, sla_view_counts, view_counts
from core.sla.types import Risk
from tests.core.sla_deadlines import set_deadline
from tests.factories import add_case

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)

# number: (stage, due in hours from NOW or None, warning hours before due)
CASES: dict[int, tuple[Stage, float | None, float]] = {
    201: (Stage.INVESTIGATING, 5, 1),  # ok: warning at +4 h
    202: (Stage.INVESTIGATING, 0.5, 1),  # warning since 30 min
    203: (Stage.NEW, -2, 1),  # breached two hours ago, never escalated
    204: (Stage.NEW, 3, 1),  # not escalated, but fine for now
    205: (Stage.AWAITING_CUSTOMER, None, 0),  # paused: no running clock
    206: (Stage.REQUESTED, -0.25, 1),  # breached a quarter of an hour ago
    207: (Stage.NEW, 0.75, 1),  # not escalated, in its warning window
    208: (Stage.RESOLVED, -10, 1),  # done: never at risk, whatever is stored
    209: (Stage.INVESTIGATING, 5, 1),  # same deadline as 201: ties go by number
}


@pytest.fixture
def sla_db(db: DbRunner) -> DbRunner:
    def build(session: Session) -> dict[int, int]:
        return {
            number: add_case(session, number, f"Case {number}", stage=stage).id
            for number, (stage, _, _) in CASES.items()
        }

    ids = db.write(build).result()

    def deadlines(session: Session) -> None:  # a transaction of its own, after the cases exist
        for number, (_, due_hours, warning_hours) in CASES.items():
            due = None if due_hours is None else NOW + due_hours * HOUR
            warning = None if due is None else due - warning_hours * HOUR
            set_deadline(session, ids[number], due, warning, "" if due is None else "next_reply")

    db.write(deadlines).result()
    return db


def _rows(db: DbRunner, query: InboxQuery, now: datetime = NOW) -> list[InboxRow]:
    ids = db.read(inbox_case_ids, query, now).result()
    return db.read(inbox_rows, list(ids)).result()


def _numbers(db: DbRunner, query: InboxQuery, now: datetime = NOW) -> list[int]:
    return [row.number for row in _rows(db, query, now)]


def test_sla_order_is_soonest_deadline_first_with_cases_without_a_clock_last(sla_db: DbRunner) -> None:
    soonest_first = _numbers(sla_db, InboxQuery(view=SavedView.ALL, sort=SortKey.SLA, descending=False))
    latest_first = _numbers(sla_db, InboxQuery(view=SavedView.ALL, sort=SortKey.SLA, descending=True))

    assert soonest_first == [208, 203, 206, 202, 207, 204, 201, 209, 205]
    assert latest_first == [209, 201, 204, 207, 202, 206, 203, 208, 205]  # no clock: still last


def test_sla_order_applies_within_a_search(sla_db: DbRunner) -> None:
    query = InboxQuery(view=SavedView.ALL, search="Case", sort=SortKey.SLA, descending=False)

    assert _numbers(sla_db, query) == [208, 203, 206, 202, 207, 204, 201, 209, 205]


def test_at_risk_lists_open_cases_in_warning_or_breached_soonest_first(sla_db: DbRunner) -> None:
    query = InboxQuery(view=SavedView.AT_RISK, sort=SortKey.SLA, descending=False)

    assert _numbers(sla_db, query) == [203, 206, 202, 207]


def test_at_risk_depends_on_the_time_asked_about(sla_db: DbRunner) -> None:
    query = InboxQuery(view=SavedView.AT_RISK, sort=SortKey.SLA, descending=False)

    assert _numbers(sla_db, query, NOW - 3.5 * HOUR) == []  # 203 only warned from NOW - 3 h on
    assert _numbers(sla_db, query, NOW + 4 * HOUR) == [203, 206, 202, 207, 204, 201, 209]


def test_proactive_escalation_lists_cases_nobody_escalated_that_are_at_risk(sla_db: DbRunner) -> None:
    query = InboxQuery(view=SavedView.PROACTIVE, sort=SortKey.SLA, descending=False)

    assert _numbers(sla_db, query) == [203, 207]
    assert _numbers(sla_db, query, NOW + 2.5 * HOUR) == [203, 207, 204]


def test_rows_carry_the_stored_deadline_and_their_risk(sla_db: DbRunner) -> None:
    rows = {row.number: row for row in _rows(sla_db, InboxQuery(view=SavedView.ALL))}

    assert rows[202].sla_due_at == NOW + 0.5 * HOUR
    assert rows[202].sla_warning_at == NOW - 0.5 * HOUR
    assert rows[202].sla_metric == "next_reply"
    assert rows[205].sla_due_at is None and rows[205].sla_metric == ""
    risks = [rows[n].sla_risk(NOW) for n in (201, 202, 203, 205)]
    assert risks == [Risk.OK, Risk.WARNING, Risk.BREACHED, Risk.NONE]
    assert rows[202].sla_risk(NOW + 0.5 * HOUR) is Risk.BREACHED  # the deadline itself counts as breached
    assert rows[202].sla_seconds_left(NOW) == 1800
    assert rows[205].sla_seconds_left(NOW) is None


def test_view_counts_include_the_sla_views_at_the_time_asked_about(sla_db: DbRunner) -> None:
    counts = sla_db.read(view_counts, NOW).result()
    later = sla_db.read(sla_view_counts, NOW + 2.5 * HOUR).result()

    assert counts[SavedView.AT_RISK] == 4
    assert counts[SavedView.PROACTIVE] == 2
    assert counts[SavedView.ALL] == len(CASES)
    assert later == {SavedView.AT_RISK: 5, SavedView.PROACTIVE: 3}


def test_sla_view_counts_are_zero_without_any_deadline(db: DbRunner) -> None:
    db.write(lambda session: add_case(session, 301, "No clocks yet")).result()

    assert db.read(sla_view_counts, NOW).result() == {SavedView.AT_RISK: 0, SavedView.PROACTIVE: 0}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [(SortKey.NUMBER, [202, 203, 206, 207]), (SortKey.CUSTOMER, [202, 203, 206, 207])],
)
def test_at_risk_keeps_its_cases_in_another_order(
    sla_db: DbRunner, sort: SortKey, expected: list[int]
) -> None:
    query = InboxQuery(view=SavedView.AT_RISK, sort=sort, descending=False)

    assert _numbers(sla_db, query) == expected
