"""Helpers for the sandbox tests: a verifying TLS context and tickets in a given state."""

from __future__ import annotations

import ssl

from sync.sandbox.zendesk.server import ZendeskSandbox


def verifying_context(sandbox: ZendeskSandbox) -> ssl.SSLContext:
    """A client TLS context that trusts the sandbox certificate (verification stays on)."""
    assert sandbox.ca_bundle is not None
    return ssl.create_default_context(cafile=sandbox.ca_bundle)


def ticket_with_status(sandbox: ZendeskSandbox, status: str) -> int:
    """The id of a ticket with ``status`` (another agent sets it on some ticket if the seed has none)."""
    store = sandbox.store
    by_status = {ticket_id: store.ticket(ticket_id)["status"] for ticket_id in store.ticket_ids}
    found = [ticket_id for ticket_id, current in by_status.items() if current == status]
    if found:
        return found[0]
    editable = next(ticket_id for ticket_id, current in by_status.items() if current != "closed")
    store.edit_as_other_agent(editable, status=status)
    return editable
