"""The engine's ordering, exactly-once, backoff and connection states, against a scripted connector."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime

import pytest

from core.db.runner import DbRunner
from core.db.types import utc_now
from core.domain.enums import OutboxState
from core.outbox import pending_entries
from core.policy import DEFAULT_POLICY, Policy, set_current_policy
from core.remote.connections import cursor_of, list_connections, remove_connection, save_cursor
from core.remote.delivery import mark_sending, outbox_counts
from core.remote.dtos import Conflict, Connection, ConnectionStatus, FieldConflict, RemotePage
from sync.connectors.base import Connector, PushConflict, PushRejected
from sync.engine import SignInRequired, SyncEngine
from sync.http import AuthFailed, RateLimited, Retryable, Unreachable
from tests.sync.engine.conftest import FakeClock, RecordingSleep, add_notes, add_zendesk_case
from tests.sync.engine.fakes import FakeConnector, LandedButLost, page

pytestmark = pytest.mark.asyncio

HOST = "acme.zendesk.com"
MakeEngine = Callable[[Connector], SyncEngine]


def states(db: DbRunner) -> dict[str, OutboxState]:
    """Every undelivered entry's state, by idempotency key."""
    return {e.idempotency_key: e.state for e in db.read(pending_entries).result()}


async def test_pull_follows_the_cursor_to_the_end_and_the_next_run_starts_where_it_stopped(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    fake.pages.extend([page("c1", end=False), page("c2", end=False), page("c3")])
    engine = make_engine(fake)

    first = await engine.run_once()
    assert fake.pulled_from == [None, "c1", "c2"]
    assert db.read(cursor_of, connection, "tickets").result() == "c3"
    assert first.connection("Acme Zendesk") is not None
    assert first.connection("Acme Zendesk").pages_pulled == 3  # type: ignore[union-attr]

    await engine.run_once()
    assert fake.pulled_from[-1] == "c3"
    status = engine.status().connection("Acme Zendesk")
    assert status is not None and status.state == ConnectionStatus.CONNECTED
    assert status.last_synced_at is not None


async def test_entries_of_a_case_are_delivered_in_order_and_the_outbox_empties(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    case_id = add_zendesk_case(db, 1, "101")
    keys = add_notes(db, case_id, 3)

    report = await make_engine(fake).run_once()

    assert fake.pushed == keys
    assert report.ok and report.connections[0].delivered == 3
    assert states(db) == {}
    assert fake.looked_for == []  # never sent before: no need to look for it


async def test_an_entry_interrupted_in_flight_is_looked_for_and_not_sent_twice(
    db: DbRunner, connection: Connection, clock: FakeClock, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    case_id = add_zendesk_case(db, 1, "101")
    landed, lost = add_notes(db, case_id, 2)
    entries = {e.idempotency_key: e.id for e in db.read(pending_entries).result()}
    for key in (landed, lost):  # both went on the network, then the process died
        db.write(mark_sending, entries[key], clock()).result()
    fake.landed.add(landed)  # only the first reached the helpdesk

    await make_engine(fake).run_once()

    assert fake.looked_for == [landed, lost]
    assert fake.pushed == [lost]
    assert states(db) == {}


async def test_an_answer_lost_after_the_helpdesk_applied_the_push_is_not_resent(
    db: DbRunner, connection: Connection, clock: FakeClock, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    case_id = add_zendesk_case(db, 1, "101")
    [key] = add_notes(db, case_id, 1)
    dropped = Retryable("dropped", host=HOST, may_have_landed=True)
    fake.push_answers.append(LandedButLost(dropped))
    engine = make_engine(fake)

    first = await engine.run_once()
    assert first.connections[0].retrying == 1
    assert states(db) == {key: OutboxState.PENDING}
    status = engine.status().connections[0]
    assert status.state == ConnectionStatus.CONNECTED and status.message == "dropped"  # why it waits

    clock.advance(3600)  # past the backoff
    await engine.run_once()
    assert fake.pushed == [key]  # once, though it was tried twice
    assert fake.looked_for == [key]
    assert states(db) == {}
    assert engine.status().connections[0].message is None  # the trouble is over


async def test_a_conflict_and_a_refusal_are_kept_for_the_user_and_hold_back_their_case(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    conflicted_case = add_zendesk_case(db, 1, "101")
    refused_case = add_zendesk_case(db, 2, "102")
    first_conflicted, second_conflicted = add_notes(db, conflicted_case, 2)
    refused, _after_refused = add_notes(db, refused_case, 2)
    conflict = Conflict((FieldConflict("priority", "urgent", "low"),), "Sam Agent", None, "v9")
    fake.push_answers.extend([PushConflict(conflict), PushRejected("Subject: cannot be blank")])

    report = await make_engine(fake).run_once()

    assert fake.pushed == []  # nothing after a conflict or a refusal goes out
    assert report.connections[0].conflicts == 1 and report.connections[0].failed == 1
    current = states(db)
    assert current[first_conflicted] == OutboxState.CONFLICT
    assert current[refused] == OutboxState.FAILED
    assert current[second_conflicted] == OutboxState.PENDING
    counts = db.read(outbox_counts).result()
    assert (counts.pending, counts.failed, counts.conflict) == (2, 1, 1)
    failed = next(e for e in db.read(pending_entries).result() if e.idempotency_key == refused)
    assert failed.last_error == "Subject: cannot be blank"


async def test_a_rate_limited_push_waits_as_told_before_it_goes_again(
    db: DbRunner, connection: Connection, clock: FakeClock, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    case_id = add_zendesk_case(db, 1, "101")
    [key] = add_notes(db, case_id, 1)
    fake.push_answers.append(RateLimited(HOST, 90.0))
    engine = make_engine(fake)

    await engine.run_once()
    clock.advance(60)
    await engine.run_once()  # still held back
    assert fake.pushed == [] and states(db) == {key: OutboxState.PENDING}

    clock.advance(31)
    await engine.run_once()
    assert fake.pushed == [key]


async def test_a_rate_limited_pull_sleeps_as_told_and_carries_on(
    db: DbRunner,
    connection: Connection,
    sleep: RecordingSleep,
    fake: FakeConnector,
    make_engine: MakeEngine,
) -> None:
    fake.pages.extend([page("c1", end=False), RateLimited(HOST, 7.0), page("c2")])

    report = await make_engine(fake).run_once()

    assert sleep.waits == [7.0]
    assert fake.pulled_from == [None, "c1", "c1"]
    assert report.ok


async def test_losing_the_network_goes_offline_with_the_pending_count_and_reconnecting_drains(
    db: DbRunner, connection: Connection, clock: FakeClock, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    case_id = add_zendesk_case(db, 1, "101")
    keys = add_notes(db, case_id, 2)
    fake.pull_error = Unreachable(HOST, "connection refused")
    engine = make_engine(fake)

    report = await engine.run_once()
    status = engine.status()
    assert status.state == ConnectionStatus.OFFLINE
    assert status.pending == 2
    assert not report.ok and "cannot be reached" in (report.connections[0].error or "")

    fake.pull_error = None  # the network is back
    clock.advance(1)
    await engine.run_once()
    assert engine.status().state == ConnectionStatus.CONNECTED
    assert engine.status().pending == 0
    assert fake.pushed == keys


async def test_unreachable_during_a_push_goes_offline_and_keeps_the_entry(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    case_id = add_zendesk_case(db, 1, "101")
    keys = add_notes(db, case_id, 2)
    fake.push_answers.append(Unreachable(HOST, "no route"))
    engine = make_engine(fake)

    await engine.run_once()

    assert engine.status().state == ConnectionStatus.OFFLINE
    assert set(states(db)) == set(keys)


async def test_an_auth_failure_stops_the_connection_until_the_user_signs_in_again(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    case_id = add_zendesk_case(db, 1, "101")
    [key] = add_notes(db, case_id, 1)
    fake.push_answers.append(AuthFailed(HOST, 401, "Couldn't authenticate you"))
    engine = make_engine(fake)

    await engine.run_once()
    assert engine.status().state == ConnectionStatus.SIGN_IN_NEEDED
    [stored] = db.read(list_connections).result()
    assert stored.status == ConnectionStatus.SIGN_IN_NEEDED

    pulls = len(fake.pulled_from)
    await engine.run_once()  # not retried blindly
    assert len(fake.pulled_from) == pulls and fake.pushed == []

    engine.resume(connection.id)
    await engine.run_once()
    assert fake.pushed == [key]
    assert engine.status().state == ConnectionStatus.CONNECTED


async def test_a_connection_without_a_secret_asks_for_sign_in(
    db: DbRunner, connection: Connection, clock: FakeClock, sleep: RecordingSleep
) -> None:
    def no_secret(_connection: Connection) -> Connector:
        raise SignInRequired("No API token is stored for Acme Zendesk. Sign in again.")

    engine = SyncEngine(db, no_secret, clock=clock, sleep=sleep)
    try:
        report = await engine.run_once()
    finally:
        await engine.aclose()

    assert report.connections[0].state == ConnectionStatus.SIGN_IN_NEEDED
    assert engine.status().connections[0].message == "No API token is stored for Acme Zendesk. Sign in again."


async def test_status_counts_the_pulled_pages_and_the_delivered_entries(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    case_id = add_zendesk_case(db, 1, "101")
    add_notes(db, case_id, 2)
    engine = make_engine(fake)

    await engine.run_once()

    status = engine.status().connection("Acme Zendesk")
    assert status is not None
    assert status.progress.pages_pulled == 1 and status.progress.entries_delivered == 2
    assert status.activity is None and not engine.status().running


async def test_the_background_loop_wakes_when_nudged_and_ends_when_stopped(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    engine = make_engine(fake)
    loop = asyncio.create_task(engine.run_forever(interval=3600))
    while len(fake.pulled_from) < 1:
        await asyncio.sleep(0.01)
    assert engine.status().running

    case_id = add_zendesk_case(db, 1, "101")
    keys = add_notes(db, case_id, 1)
    engine.nudge()  # a local change: sync now, not in an hour
    async with asyncio.timeout(10):
        while fake.pushed != keys:
            await asyncio.sleep(0.01)

    engine.stop()
    async with asyncio.timeout(10):
        await loop
    assert not engine.status().running


async def test_runs_asked_for_at_the_same_time_never_send_an_entry_twice(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    case_id = add_zendesk_case(db, 1, "101")
    keys = add_notes(db, case_id, 3)
    engine = make_engine(fake)

    await asyncio.gather(engine.run_once(), engine.run_once())  # "Sync now" during a background run

    assert fake.pushed == keys


async def test_stopping_the_background_loop_ends_it_after_the_current_page(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    fake.pages.extend([page(f"c{n}", end=False) for n in range(1, 50)])
    engine = make_engine(fake)
    original_pull = fake.pull

    async def pull_then_stop(cursor: str | None) -> RemotePage:
        if cursor == "c3":
            engine.stop()  # the user quits while page 3 is merged and page 4 on its way
        return await original_pull(cursor)

    fake.pull = pull_then_stop  # type: ignore[method-assign]
    async with asyncio.timeout(10):
        await engine.run_forever(interval=3600)

    assert fake.pulled_from == [None, "c1", "c2", "c3"]
    assert db.read(cursor_of, connection, "tickets").result() == "c3"  # the next run goes on from here
    [stored] = db.read(list_connections).result()
    assert stored.last_synced_at is None  # a run cut short is not a full sync


async def test_the_next_page_is_fetched_while_the_current_one_is_merged(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    # Not a first pull (that one waits for bigger groups): the connection has synced before.
    db.write(save_cursor, connection, "tickets", "c0", utc_now()).result()
    fake.pages.extend([page("c1", end=False), page("c2", end=False), page("c3")])
    moments: list[str] = []
    engine = make_engine(fake)
    original_pull, original_apply = fake.pull, engine._store.apply_pages
    first_merge_started = asyncio.Event()

    async def pull(cursor: str | None) -> RemotePage:
        moments.append(f"fetch after {cursor}")
        if cursor == "c1":
            await first_merge_started.wait()  # the DB is slower than the network here
        return await original_pull(cursor)

    async def apply(connection: Connection, remote: Sequence[RemotePage], now: datetime) -> None:
        first_merge_started.set()
        await asyncio.sleep(0.05)
        await original_apply(connection, remote, now)
        moments.append("saved " + "+".join(p.cursor for p in remote))

    fake.pull = pull  # type: ignore[method-assign]
    engine._store.apply_pages = apply  # type: ignore[method-assign,assignment]
    await engine.run_once()

    # c2 and c3 arrived while c1 was merged: they are merged together, in one transaction.
    assert moments == ["fetch after c0", "fetch after c1", "fetch after c2", "saved c1", "saved c2+c3"]
    assert db.read(cursor_of, connection, "tickets").result() == "c3"


async def test_signing_in_again_builds_a_new_connector_and_closes_the_old_one(
    db: DbRunner, connection: Connection, clock: FakeClock, sleep: RecordingSleep
) -> None:
    built: list[FakeConnector] = []

    def connector_for(_connection: Connection) -> Connector:
        built.append(FakeConnector())
        return built[-1]

    engine = SyncEngine(db, connector_for, clock=clock, sleep=sleep)
    try:
        await engine.run_once()
        await engine.run_once()
        assert len(built) == 1  # the connector (and its connections) is kept between runs

        engine.resume(connection.id)  # the user entered a new token
        await engine.run_once()
        assert len(built) == 2 and built[0].closed and not built[1].closed

        db.write(remove_connection, connection.id).result()
        await engine.run_once()
        assert built[1].closed and engine.status().connections == ()
    finally:
        await engine.aclose()


async def test_a_connection_to_a_host_the_it_policy_no_longer_allows_is_not_synced(
    db: DbRunner, connection: Connection, fake: FakeConnector, make_engine: MakeEngine
) -> None:
    fake.pages.append(page("c1"))
    set_current_policy(Policy(allowed_hosts=("support.example.org",)))  # saved before the policy came
    try:
        report = await make_engine(fake).run_once()
    finally:
        set_current_policy(DEFAULT_POLICY)

    assert fake.pulled_from == []  # nothing asked of acme.zendesk.com
    assert report.connection("Acme Zendesk") is None
    assert db.read(cursor_of, connection, "tickets").result() is None
