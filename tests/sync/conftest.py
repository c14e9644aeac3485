"""Sync test fixtures: a running sandbox Zendesk over HTTPS, seeded once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sync.sandbox.zendesk.seed import SeedData, load_seed
from sync.sandbox.zendesk.server import ZendeskSandbox

SANDBOX_CASES = 30
SANDBOX_SEED = 1


@pytest.fixture(scope="session")
def zendesk_seed() -> SeedData:
    """The generated seed of the sandbox (30 cases), generated once and cached for the session."""
    return load_seed(SANDBOX_CASES, SANDBOX_SEED)


@pytest.fixture
def zendesk_sandbox(zendesk_seed: SeedData) -> Iterator[ZendeskSandbox]:
    """A fresh sandbox Zendesk with 30 tickets on ``https://127.0.0.1:PORT`` (trust ``ca_bundle``)."""
    with ZendeskSandbox(seed_data=zendesk_seed) as sandbox:
        yield sandbox
