"""The sandbox as a whole: going offline and back on the same URL, and leaving nothing behind."""

from __future__ import annotations

import gc

import httpx

from sync.sandbox.zendesk.seed import SeedData
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.sandbox.clients import ticket_with_status, verifying_context

ME = "/api/v2/users/me.json"


def test_a_stopped_sandbox_comes_back_on_the_same_url_with_its_data(zendesk_seed: SeedData) -> None:
    with ZendeskSandbox(seed_data=zendesk_seed) as sandbox:
        auth = (f"{sandbox.email}/token", sandbox.token)
        ticket_id = ticket_with_status(sandbox, "open")
        sandbox.store.edit_as_other_agent(ticket_id, tags=["before_the_outage"])
        with httpx.Client(verify=verifying_context(sandbox), auth=auth) as client:
            url = sandbox.base_url
            sandbox.stop()
            try:
                client.get(f"{url}{ME}")
                reachable_while_stopped = True
            except httpx.ConnectError:
                reachable_while_stopped = False
            sandbox.start()
            ticket = client.get(f"{url}/api/v2/tickets/{ticket_id}.json")

    assert reachable_while_stopped is False
    assert sandbox.base_url == url
    assert ticket.status_code == 200
    assert ticket.json()["ticket"]["tags"] == ["before_the_outage"]


def test_closing_removes_the_certificate_files(zendesk_seed: SeedData) -> None:
    with ZendeskSandbox(seed_data=zendesk_seed) as sandbox:
        bundle = sandbox.ca_bundle
        assert bundle is not None and bundle.exists()

    assert not bundle.parent.exists()


def test_a_sandbox_never_started_leaves_no_files_once_gone(zendesk_seed: SeedData) -> None:
    sandbox = ZendeskSandbox(seed_data=zendesk_seed)
    bundle = sandbox.ca_bundle
    assert bundle is not None

    del sandbox
    gc.collect()  # the sandbox's app refers back to it

    assert not bundle.parent.exists()
