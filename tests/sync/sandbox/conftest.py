"""The sandbox tests talk to the sandbox with httpx over real HTTPS, verifying its certificate."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.sandbox.clients import verifying_context


@pytest.fixture
def agent(zendesk_sandbox: ZendeskSandbox) -> Iterator[httpx.Client]:
    """An httpx client signed in as the sandbox agent with an API token."""
    with httpx.Client(
        base_url=zendesk_sandbox.base_url,
        verify=verifying_context(zendesk_sandbox),
        auth=(f"{zendesk_sandbox.email}/token", zendesk_sandbox.token),
        timeout=10,
    ) as client:
        yield client
