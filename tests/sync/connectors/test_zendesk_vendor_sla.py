"""Zendesk's own SLA targets (``include=slas`` on the ticket export) arrive with the first sync."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.db.runner import DbRunner
from core.sla.types import Metric
from core.sla.vendor import VendorSlaState, vendor_targets
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.engine.conftest import FakeClock, RecordingSleep
from tests.sync.engine.sandbox_setup import case_id_of, connect, sandbox_engine

pytestmark = pytest.mark.asyncio

HANDOFF_METRICS = {
    "first_reply_time": Metric.FIRST_REPLY,
    "next_reply_time": Metric.NEXT_REPLY,
    "periodic_update_time": Metric.PERIODIC_UPDATE,
    "requester_wait_time": Metric.RESOLUTION,
}


def tickets_with_sla(sandbox: ZendeskSandbox) -> dict[int, dict[str, object]]:
    """The sandbox tickets that have an SLA policy metric: their one ``policy_metrics`` item."""
    store = sandbox.store
    found: dict[int, dict[str, object]] = {}
    for ticket_id in store.ticket_ids:
        slas = store.show_ticket(ticket_id, sandbox.base_url, slas=True)["slas"]
        assert isinstance(slas, dict)
        metrics = slas["policy_metrics"]
        if metrics:
            found[ticket_id] = metrics[0]
    return found


async def test_the_first_sync_stores_each_tickets_zendesk_sla_targets(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox
) -> None:
    with_sla = tickets_with_sla(zendesk_sandbox)
    assert len(with_sla) >= 3, "the seeded sandbox should have tickets under an SLA policy"
    connect(db, zendesk_sandbox)
    engine = sandbox_engine(db, FakeClock(), RecordingSleep())
    try:
        report = await engine.run_once()
    finally:
        await engine.aclose()
    assert report.ok, report

    for ticket_id, metric in with_sla.items():
        targets = db.read(vendor_targets, case_id_of(db, ticket_id)).result()
        assert [t.metric for t in targets] == [metric["metric"]], ticket_id
        target = targets[0]
        assert target.source == "zendesk"
        assert target.handoff_metric is HANDOFF_METRICS[str(metric["metric"])]
        due = datetime.strptime(str(metric["breach_at"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        assert target.due_at == due
        if metric["stage"] == "achieved":
            assert target.state is VendorSlaState.MET
        elif metric["stage"] == "paused":
            assert target.state is VendorSlaState.PAUSED
        else:
            assert target.state in (VendorSlaState.RUNNING, VendorSlaState.BREACHED)
    without = set(zendesk_sandbox.store.ticket_ids) - set(with_sla)
    for ticket_id in sorted(without)[:3]:
        assert db.read(vendor_targets, case_id_of(db, ticket_id)).result() == []
