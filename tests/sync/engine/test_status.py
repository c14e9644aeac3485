"""The status the UI polls: which state leads, the latest sync, what the engine is doing."""

from __future__ import annotations

from datetime import UTC, datetime

from core.remote.delivery import OutboxCounts
from core.remote.dtos import AuthMethod, Connection, ConnectionScope, ConnectionStatus, FieldMapping
from sync.engine.status import StatusBoard

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def connection(
    connection_id: int, name: str, status: ConnectionStatus = ConnectionStatus.NEVER_SYNCED
) -> Connection:
    return Connection(
        id=connection_id,
        name=name,
        kind="zendesk",
        base_url=f"https://{name.lower()}.zendesk.com",
        auth_method=AuthMethod.API_TOKEN,
        account_email="agent@example.com",
        ca_bundle=None,
        scope=ConnectionScope(),
        mapping=FieldMapping(),
        enabled=True,
        status=status,
        status_message=None,
        last_synced_at=None,
    )


def test_the_worst_state_of_any_connection_leads() -> None:
    board = StatusBoard()
    board.know([connection(1, "Acme"), connection(2, "Globex")])
    board.state(1, ConnectionStatus.CONNECTED, synced_at=MONDAY)
    board.state(2, ConnectionStatus.OFFLINE, "globex.zendesk.com cannot be reached.")
    assert board.snapshot().state == ConnectionStatus.OFFLINE

    board.state(1, ConnectionStatus.SIGN_IN_NEEDED, "Sign in again.")
    snapshot = board.snapshot()
    assert snapshot.state == ConnectionStatus.SIGN_IN_NEEDED
    assert snapshot.last_synced_at == MONDAY  # an error keeps the last good sync


def test_a_status_without_connections_has_never_synced() -> None:
    assert StatusBoard().snapshot().state == ConnectionStatus.NEVER_SYNCED


def test_the_snapshot_is_a_value_that_later_progress_does_not_change() -> None:
    board = StatusBoard()
    board.know([connection(1, "Acme", ConnectionStatus.CONNECTED)])
    board.state(1, ConnectionStatus.CONNECTED, synced_at=MONDAY)
    board.activity(1, "Acme: pulling changes")
    before = board.snapshot()

    board.pulled(1, 1000)
    board.pulled(1, 200)
    board.counts(OutboxCounts(pending=3, failed=1, conflict=2))
    board.state(1, ConnectionStatus.CONNECTED, synced_at=TUESDAY)
    after = board.snapshot()

    assert before.connections[0].progress.tickets_pulled == 0 and before.pending == 0
    assert after.connections[0].progress.tickets_pulled == 1200
    assert after.connections[0].progress.pages_pulled == 2
    assert (after.pending, after.failed, after.conflict) == (3, 1, 2)
    assert after.activity == "Acme: pulling changes" and after.last_synced_at == TUESDAY


def test_a_removed_connection_leaves_the_status() -> None:
    board = StatusBoard()
    board.know([connection(1, "Acme"), connection(2, "Globex")])
    board.know([connection(2, "Globex")])
    assert [c.name for c in board.snapshot().connections] == ["Globex"]
    assert board.snapshot().connection("Acme") is None
