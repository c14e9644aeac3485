"""Customers writing back while the sandbox serves: what the demo shows arriving."""

from __future__ import annotations

import time

import httpx

from sync.sandbox.zendesk.activity import CustomerActivity
from sync.sandbox.zendesk.seed import SeedData
from sync.sandbox.zendesk.server import ZendeskSandbox

EXPORT = "/api/v2/incremental/tickets/cursor.json"


def test_a_step_adds_a_signed_reply_from_the_requester(zendesk_sandbox: ZendeskSandbox) -> None:
    store = zendesk_sandbox.store
    activity = CustomerActivity(store, interval_s=60, seed=4)

    ticket_id = activity.step()

    assert ticket_id is not None
    ticket, last = store.ticket(ticket_id), store.comments(ticket_id)[-1]
    requester = store.user(int(str(ticket["requester_id"])))
    assert last["author_id"] == ticket["requester_id"] and last["public"] is True
    assert str(last["body"]).endswith(str(requester["name"]).split()[0])
    assert ticket["status"] == "open"


def test_replies_arrive_in_the_export_while_serving(zendesk_seed: SeedData) -> None:
    with ZendeskSandbox(seed_data=zendesk_seed, http=True, customer_reply_every_s=0.1) as sandbox:
        auth = (f"{sandbox.email}/token", sandbox.token)
        with httpx.Client(base_url=sandbox.base_url, auth=auth) as client:
            cursor = client.get(EXPORT, params={"start_time": 0}).json()["after_cursor"]
            time.sleep(0.5)
            changed = client.get(EXPORT, params={"cursor": cursor}).json()["tickets"]

    assert changed
    assert all(ticket["status"] == "open" for ticket in changed)
