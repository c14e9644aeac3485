"""Several clients writing at once: every comment lands exactly once, every change gets its own stamp."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.sandbox.clients import ticket_with_status, verifying_context


def test_concurrent_comments_on_one_ticket_all_land_once(zendesk_sandbox: ZendeskSandbox) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    before = len(zendesk_sandbox.store.comments(ticket_id))

    def write(worker: int) -> list[int]:
        with httpx.Client(
            base_url=zendesk_sandbox.base_url,
            verify=verifying_context(zendesk_sandbox),
            auth=(f"{zendesk_sandbox.email}/token", zendesk_sandbox.token),
        ) as client:
            return [
                client.put(
                    f"/api/v2/tickets/{ticket_id}.json",
                    json={"ticket": {"comment": {"body": f"marker-{worker}-{n}", "public": False}}},
                ).status_code
                for n in range(10)
            ]

    with ThreadPoolExecutor(4) as pool:
        statuses = [status for result in pool.map(write, range(4)) for status in result]

    bodies = [comment["body"] for comment in zendesk_sandbox.store.comments(ticket_id)]
    audits = zendesk_sandbox.store.audits(ticket_id)
    assert statuses == [200] * 40
    assert len(bodies) == before + 40
    assert sorted(bodies[before:]) == sorted(f"marker-{w}-{n}" for w in range(4) for n in range(10))
    stamps = [audit["created_at"] for audit in audits[-40:]]
    assert len(set(stamps)) == 40  # each change moved updated_at on, so safe_update always sees it
