"""The engine against the sandbox Zendesk over real HTTPS: pulls, every push kind, refusals,
rate limits, server trouble, sign-in failures, going offline and back."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from core.db.models import CaseRow
from core.db.runner import DbRunner
from core.domain.enums import OutboxOperation, OutboxState
from core.outbox import pending_entries
from core.remote.connections import cursor_of, list_connections
from core.remote.delivery import deliverable, mark_sending
from core.remote.dtos import Connection, ConnectionStatus, RemotePage
from core.remote.search_backlog import BACKLOG
from core.search import search_cases
from sync.connectors.base import Connector
from sync.engine import SyncEngine
from sync.factory import connector_for
from sync.http import RetryPolicy
from sync.sandbox.zendesk.seed import SeedData
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.engine.conftest import FakeClock, RecordingSleep
from tests.sync.engine.sandbox_setup import (
    ClearingSleep,
    case_field,
    case_id_of,
    comment_bodies,
    connect,
    event_texts,
    live_ticket,
    queue,
    sandbox_engine,
    zendesk_case_count,
)

pytestmark = pytest.mark.asyncio

NOTE = OutboxOperation.ADD_INTERNAL_NOTE


def entry_states(db: DbRunner) -> dict[str, OutboxState]:
    return {e.idempotency_key: e.state for e in db.read(pending_entries).result()}


async def test_first_sync_brings_every_ticket_and_its_comments(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep
) -> None:
    connect(db, zendesk_sandbox)
    engine = sandbox_engine(db, clock, sleep)
    try:
        report = await engine.run_once()
    finally:
        await engine.aclose()

    tickets = zendesk_sandbox.store.ticket_ids
    assert report.ok, report
    assert zendesk_case_count(db) == len(tickets)
    assert report.connections[0].tickets_pulled >= len(tickets)
    ticket = live_ticket(zendesk_sandbox)
    texts = event_texts(db, case_id_of(db, ticket))
    for body, _public in comment_bodies(zendesk_sandbox, ticket):
        assert any(body.strip()[:40] in text for text in texts)
    # Every timeline was indexed for search once the pull was done (none left waiting).
    case_id = case_id_of(db, ticket)
    words = " ".join(comment_bodies(zendesk_sandbox, ticket)[-1][0].split()[:4])
    assert case_id in db.read(lambda session: [hit.case_id for hit in search_cases(session, words)]).result()
    assert db.read(cursor_of, db.read(list_connections).result()[0], BACKLOG).result() is None
    status = engine.status()
    assert status.state == ConnectionStatus.CONNECTED and status.last_synced_at is not None


async def test_incremental_sync_brings_what_changed_since(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep
) -> None:
    connect(db, zendesk_sandbox)
    engine = sandbox_engine(db, clock, sleep)
    try:
        await engine.run_once()
        ticket = live_ticket(zendesk_sandbox)
        zendesk_sandbox.store.add_customer_reply(ticket, "Still failing after the SAML certificate rotation.")
        zendesk_sandbox.store.edit_as_other_agent(ticket, priority="urgent")
        second = await engine.run_once()
    finally:
        await engine.aclose()

    case_id = case_id_of(db, ticket)
    assert any("SAML certificate rotation" in text for text in event_texts(db, case_id))
    assert case_field(db, case_id, "priority") == "urgent"
    assert second.connections[0].tickets_pulled < len(zendesk_sandbox.store.ticket_ids)


async def test_every_kind_of_change_reaches_the_ticket_in_order(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep
) -> None:
    connect(db, zendesk_sandbox)
    engine = sandbox_engine(db, clock, sleep)
    store = zendesk_sandbox.store
    try:
        await engine.run_once()
        ticket = live_ticket(zendesk_sandbox)
        case_id = case_id_of(db, ticket)
        group = store.group_ids()[0]
        agent = store.agent_ids()[0]
        queue(db, case_id, OutboxOperation.ADD_PUBLIC_REPLY, {"body_text": "We found the cause."})
        queue(db, case_id, NOTE, {"body_text": "Root cause: stale IdP metadata."})
        queue(db, case_id, OutboxOperation.UPDATE_FIELDS, {"priority": "urgent"})
        route = {"team_remote_id": str(group), "assignee_remote_id": str(agent)}
        queue(db, case_id, OutboxOperation.ASSIGN, route)
        queue(
            db,
            case_id,
            OutboxOperation.CHANGE_STAGE,
            {"stage": "awaiting_engineering", "from_stage": "investigating", "reason": "Needs a fix"},
        )
        report = await engine.run_once()
    finally:
        await engine.aclose()

    assert report.connections[0].delivered == 5, report
    assert entry_states(db) == {}
    comments = comment_bodies(zendesk_sandbox, ticket)
    assert ("We found the cause.", True) in comments
    assert ("Root cause: stale IdP metadata.", False) in comments
    shown = store.ticket(ticket)
    assert shown["priority"] == "urgent"
    assert shown["group_id"] == group and shown["assignee_id"] == agent
    assert shown["status"] == "hold"


async def test_a_ticket_changed_meanwhile_becomes_a_conflict_and_nothing_is_overwritten(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep
) -> None:
    connect(db, zendesk_sandbox)
    engine = sandbox_engine(db, clock, sleep)
    try:
        await engine.run_once()
        ticket = live_ticket(zendesk_sandbox)
        key = queue(db, case_id_of(db, ticket), OutboxOperation.UPDATE_FIELDS, {"priority": "urgent"})
        zendesk_sandbox.set_faults("conflict=1.0")  # another agent edits just before the write
        report = await engine.run_once()
    finally:
        await engine.aclose()

    assert report.connections[0].conflicts == 1
    assert entry_states(db) == {key: OutboxState.CONFLICT}
    assert engine.status().conflict == 1
    assert zendesk_sandbox.store.ticket(ticket)["priority"] != "urgent"


async def test_a_change_zendesk_refuses_fails_with_its_message(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep
) -> None:
    ticket = live_ticket(zendesk_sandbox)
    zendesk_sandbox.store.edit_as_other_agent(ticket, status="closed")
    connect(db, zendesk_sandbox)
    engine = sandbox_engine(db, clock, sleep)
    try:
        await engine.run_once()
        key = queue(db, case_id_of(db, ticket), NOTE, {"body_text": "One more thing."})
        report = await engine.run_once()
    finally:
        await engine.aclose()

    assert report.connections[0].failed == 1
    [entry] = db.read(pending_entries).result()
    assert entry.idempotency_key == key and entry.state == OutboxState.FAILED
    assert "closed" in (entry.last_error or "").lower()
    assert engine.status().failed == 1


async def test_a_rate_limited_pull_waits_as_zendesk_says_then_completes(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock
) -> None:
    connect(db, zendesk_sandbox)
    sleep = ClearingSleep(zendesk_sandbox)
    no_waiting_inside = RetryPolicy(max_rate_limit_wait=0.0)  # every 429 reaches the engine
    engine = sandbox_engine(db, clock, sleep, retry=no_waiting_inside)
    try:
        zendesk_sandbox.set_faults("429=1.0:2")
        report = await engine.run_once()
        assert sleep.waits == [2.0]  # the pull waited as told, then went on
        assert report.ok, report
    finally:
        await engine.aclose()

    assert zendesk_case_count(db) == len(zendesk_sandbox.store.ticket_ids)


@pytest.mark.parametrize("fault", ["500=1.0", "503=1.0", "drop=1.0"])
async def test_server_trouble_during_a_push_is_retried_and_lands_once(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep, fault: str
) -> None:
    connect(db, zendesk_sandbox)
    engine = sandbox_engine(db, clock, sleep, retry=RetryPolicy(base_delay=0.01, max_delay=0.02))
    try:
        await engine.run_once()
        ticket = live_ticket(zendesk_sandbox)
        key = queue(db, case_id_of(db, ticket), NOTE, {"body_text": "Exactly once, please."})
        zendesk_sandbox.set_faults(fault)
        troubled = await engine.run_once()
        assert entry_states(db) == {key: OutboxState.PENDING}
        assert troubled.connections[0].error is not None or troubled.connections[0].retrying == 1

        zendesk_sandbox.set_faults(None)
        clock.advance(3600)
        recovered = await engine.run_once()
    finally:
        await engine.aclose()

    assert recovered.ok, recovered
    assert comment_bodies(zendesk_sandbox, ticket).count(("Exactly once, please.", False)) == 1
    assert entry_states(db) == {}


async def test_refused_credentials_stop_the_connection_and_ask_to_sign_in(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep
) -> None:
    connect(db, zendesk_sandbox, token="revoked-token")
    engine = sandbox_engine(db, clock, sleep)
    try:
        report = await engine.run_once()
        again = await engine.run_once()
    finally:
        await engine.aclose()

    assert report.connections[0].state == ConnectionStatus.SIGN_IN_NEEDED
    assert "not accepted" in (report.connections[0].error or "")
    assert again.connections == ()  # not retried blindly
    assert engine.status().state == ConnectionStatus.SIGN_IN_NEEDED
    assert zendesk_case_count(db) == 0


async def test_a_pending_local_edit_survives_a_pull(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep
) -> None:
    connect(db, zendesk_sandbox)
    engine = sandbox_engine(db, clock, sleep)
    try:
        await engine.run_once()
        ticket = live_ticket(zendesk_sandbox)
        case_id = case_id_of(db, ticket)
        before = str(case_field(db, case_id, "stage"))
        edit = {"stage": "awaiting_engineering", "from_stage": before, "reason": "Needs a fix"}
        key = queue(db, case_id, OutboxOperation.CHANGE_STAGE, edit)
        local = "awaiting_engineering"
        db.write(lambda session: setattr(session.get_one(CaseRow, case_id), "stage", local)).result()
        zendesk_sandbox.store.edit_as_other_agent(ticket, status="pending")  # meanwhile, in Zendesk
        await engine.run_once()
    finally:
        await engine.aclose()

    assert case_field(db, case_id, "stage") == "awaiting_engineering"  # the pulled status did not win
    assert entry_states(db) == {key: OutboxState.CONFLICT}  # both kept until the user decides
    assert zendesk_sandbox.store.ticket(ticket)["status"] == "pending"  # nor was Zendesk overwritten


@pytest.fixture
def fixed_port_sandbox(zendesk_seed: SeedData) -> Iterator[ZendeskSandbox]:
    """A sandbox on a port that stays the same when its server is stopped and started again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with ZendeskSandbox(seed_data=zendesk_seed, port=port) as sandbox:
        yield sandbox


async def test_offline_then_online_drains_the_outbox(
    db: DbRunner, fixed_port_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep
) -> None:
    sandbox = fixed_port_sandbox
    connect(db, sandbox)
    engine = sandbox_engine(db, clock, sleep, retry=RetryPolicy(base_delay=0.01, max_delay=0.02))
    try:
        await engine.run_once()
        ticket = live_ticket(sandbox)
        key = queue(db, case_id_of(db, ticket), NOTE, {"body_text": "Written on the train."})

        sandbox.server.stop()  # the network is gone
        offline = await engine.run_once()
        assert offline.connections[0].state == ConnectionStatus.OFFLINE
        assert engine.status().state == ConnectionStatus.OFFLINE and engine.status().pending == 1
        assert entry_states(db) == {key: OutboxState.PENDING}

        sandbox.server.start()  # back
        clock.advance(3600)
        online = await engine.run_once()
    finally:
        await engine.aclose()

    assert online.ok, online
    assert engine.status().state == ConnectionStatus.CONNECTED and engine.status().pending == 0
    assert comment_bodies(sandbox, ticket).count(("Written on the train.", False)) == 1


@pytest.mark.parametrize("faults", ["500=0.5,seed=4", "503=0.3,drop=0.3,seed=9"])
async def test_a_first_sync_through_server_trouble_still_brings_every_ticket(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep, faults: str
) -> None:
    connect(db, zendesk_sandbox)
    patient = RetryPolicy(max_attempts=8, base_delay=0.01, max_delay=0.05)
    engine = sandbox_engine(db, clock, sleep, retry=patient)
    zendesk_sandbox.set_faults(faults)
    try:
        report = await engine.run_once()
    finally:
        await engine.aclose()

    assert report.ok, report
    assert zendesk_case_count(db) == len(zendesk_sandbox.store.ticket_ids)
    assert zendesk_sandbox.faults.injected  # the trouble really happened


class _NoPulls:
    """The real Zendesk connector for pushes, with pulls that bring nothing (so only
    ``find_delivered`` can tell that an entry already landed)."""

    def __init__(self, connector: Connector) -> None:
        self.kind = connector.kind
        self._connector = connector
        self.check = connector.check
        self.push = connector.push
        self.find_delivered = connector.find_delivered
        self.aclose = connector.aclose

    async def pull(self, cursor: str | None) -> RemotePage:
        return RemotePage(resource="tickets", cursor=cursor or "", end_of_stream=True)


async def test_an_entry_that_landed_before_a_crash_is_found_on_the_ticket_and_not_sent_again(
    db: DbRunner, zendesk_sandbox: ZendeskSandbox, clock: FakeClock, sleep: RecordingSleep
) -> None:
    connect(db, zendesk_sandbox)
    engine = sandbox_engine(db, clock, sleep)
    try:
        await engine.run_once()
    finally:
        await engine.aclose()
    ticket = live_ticket(zendesk_sandbox)
    key = queue(db, case_id_of(db, ticket), NOTE, {"body_text": "Sent just before the crash."})
    [(entry, target)] = db.read(deliverable, "zendesk", clock()).result()
    db.write(mark_sending, entry.id, clock()).result()
    landing = connector_for(db.read(list_connections).result()[0])
    try:
        await landing.push(entry, target)  # it landed; then the process died
    finally:
        await landing.aclose()

    def no_pulls(connection: Connection) -> Connector:
        return _NoPulls(connector_for(connection))

    restarted = SyncEngine(db, no_pulls, clock=clock, sleep=sleep)
    try:
        report = await restarted.run_once()
    finally:
        await restarted.aclose()

    assert report.connections[0].delivered == 1
    assert entry_states(db) == {}
    assert comment_bodies(zendesk_sandbox, ticket).count(("Sent just before the crash.", False)) == 1
    assert key == entry.idempotency_key
