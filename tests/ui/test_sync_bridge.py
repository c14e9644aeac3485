"""The window's seam to the sync engine: "Test connection" against the sandbox over HTTPS, the
keychain behind the connections dialog, and a local change waking the engine."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from core.db.runner import DbRunner
from core.remote.connections import ConnectionDraft
from core.remote.dtos import AuthMethod
from desktop.sync_bridge import SyncBridge
from sync.credentials import load_secret
from sync.sandbox.zendesk.seed import load_seed
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.conftest import MemoryKeyring
from tests.sync.conftest import SANDBOX_CASES, SANDBOX_SEED
from ui.data_access import DataAccess
from ui.sync_status import ConnectionTestResult


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    event_loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def zendesk_sandbox() -> Iterator[ZendeskSandbox]:
    with ZendeskSandbox(seed_data=load_seed(SANDBOX_CASES, SANDBOX_SEED)) as sandbox:
        yield sandbox


def _draft(sandbox: ZendeskSandbox, email: str | None = None) -> ConnectionDraft:
    return ConnectionDraft(
        name="Acme Zendesk",
        kind="zendesk",
        base_url=sandbox.base_url,
        auth_method=AuthMethod.API_TOKEN,
        account_email=email or sandbox.email,
        ca_bundle=str(sandbox.ca_bundle),
    )


def _test(
    loop: asyncio.AbstractEventLoop, bridge: SyncBridge, draft: ConnectionDraft, secret: str | None
) -> ConnectionTestResult:
    answer: asyncio.Future[ConnectionTestResult] = loop.create_future()
    bridge.test_connection(draft, secret, answer.set_result)
    return loop.run_until_complete(asyncio.wait_for(answer, 30))


def test_test_connection_says_who_signed_in_and_what_went_wrong(
    db: DbRunner, data: DataAccess, zendesk_sandbox: ZendeskSandbox, loop: asyncio.AbstractEventLoop
) -> None:
    bridge = SyncBridge(db, data)

    signed_in = _test(loop, bridge, _draft(zendesk_sandbox), zendesk_sandbox.token)
    refused = _test(loop, bridge, _draft(zendesk_sandbox), "not-the-token")
    customer = _test(
        loop, bridge, _draft(zendesk_sandbox, zendesk_sandbox.end_user_email), zendesk_sandbox.end_user_token
    )
    nothing_stored = _test(loop, bridge, _draft(zendesk_sandbox), None)

    assert (
        signed_in.ok
        and signed_in.message.startswith("Signed in as ")
        and signed_in.message.endswith("(agent).")
    )
    assert not refused.ok and refused.message.startswith("Bad credentials")
    assert not customer.ok and "is not an agent" in customer.message
    assert not nothing_stored.ok and "token" in nothing_stored.message


def test_secrets_go_to_the_keychain_and_follow_a_renamed_connection(
    db: DbRunner, data: DataAccess, memory_keyring: MemoryKeyring
) -> None:
    bridge = SyncBridge(db, data)

    bridge.save("Acme Zendesk", "s3cret-token")
    bridge.rename("Acme Zendesk", "Acme Support")
    moved = (load_secret("Acme Zendesk"), load_secret("Acme Support"))
    bridge.delete("Acme Support")

    assert moved == (None, "s3cret-token")
    assert load_secret("Acme Support") is None
    assert memory_keyring.secrets == {}
