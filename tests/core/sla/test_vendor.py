"""A helpdesk's own SLA data: stored beside Handoff's clocks, replaced per helpdesk, gone with its case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.db.engine import writer
from core.db.models import VendorSlaTargetRow
from core.sla.types import Metric
from core.sla.vendor import (
    VendorSlaState,
    VendorSlaTarget,
    replace_vendor_targets,
    targets_to_json,
    vendor_targets,
)
from tests.factories import add_case

SYNCED = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(writer(engine)) as session, session.begin():
        yield session


def _zendesk(
    metric: str, hours: int | None, state: VendorSlaState = VendorSlaState.RUNNING
) -> VendorSlaTarget:
    return VendorSlaTarget(
        source="zendesk",
        metric=metric,
        state=state,
        due_at=None if hours is None else SYNCED + timedelta(hours=hours),
        policy_name="Enterprise SLA",
        handoff_metric=Metric.FIRST_REPLY if metric == "first_reply_time" else None,
    )


def test_a_case_shows_its_helpdesks_targets_soonest_first(session: Session) -> None:
    case = add_case(session, 101, "Export hangs")
    replace_vendor_targets(
        session,
        case.id,
        "zendesk",
        [
            _zendesk("requester_wait_time", None),
            _zendesk("full_resolution_time", 48),
            _zendesk("first_reply_time", 2),
        ],
        SYNCED,
    )

    targets = vendor_targets(session, case.id)

    assert [(t.metric, t.due_at) for t in targets] == [
        ("first_reply_time", SYNCED + timedelta(hours=2)),
        ("full_resolution_time", SYNCED + timedelta(hours=48)),
        ("requester_wait_time", None),
    ]
    assert targets[0].handoff_metric is Metric.FIRST_REPLY
    assert targets[0].policy_name == "Enterprise SLA" and targets[0].synced_at == SYNCED


def test_a_new_sync_replaces_what_that_helpdesk_said_and_leaves_the_others(session: Session) -> None:
    case = add_case(session, 101, "Export hangs")
    replace_vendor_targets(session, case.id, "zendesk", [_zendesk("first_reply_time", 2)], SYNCED)
    milestone = VendorSlaTarget(
        source="salesforce", metric="First Response", state=VendorSlaState.RUNNING, due_at=SYNCED
    )
    replace_vendor_targets(session, case.id, "salesforce", [milestone], SYNCED)

    achieved = _zendesk("first_reply_time", 2, VendorSlaState.MET)
    replace_vendor_targets(session, case.id, "zendesk", [achieved], SYNCED + timedelta(hours=1))

    found = {(t.source, t.metric): t.state for t in vendor_targets(session, case.id)}
    assert found == {
        ("zendesk", "first_reply_time"): VendorSlaState.MET,
        ("salesforce", "First Response"): VendorSlaState.RUNNING,
    }


def test_the_targets_go_with_their_case(session: Session) -> None:
    case = add_case(session, 101, "Export hangs")
    replace_vendor_targets(session, case.id, "zendesk", [_zendesk("first_reply_time", 2)], SYNCED)

    session.delete(case)
    session.flush()

    assert session.scalar(select(func.count()).select_from(VendorSlaTargetRow)) == 0


def test_the_json_gives_moments_with_their_offset() -> None:
    (value,) = targets_to_json([_zendesk("first_reply_time", 2)])

    assert value["due_at"] == "2026-11-04T12:00:00+00:00"
    assert value["handoff_metric"] == "first_reply" and value["state"] == "running"
