"""The address a synced case's ticket opens at in the helpdesk."""

from __future__ import annotations

from core.db.runner import DbRunner
from core.remote.ticket_links import ticket_url
from tests.core.remote.builders import add_zendesk


def test_a_zendesk_ticket_opens_under_the_connections_address(db: DbRunner) -> None:
    db.write(add_zendesk).result()

    assert db.read(ticket_url, "zendesk", "12345").result() == "https://acme.zendesk.com/agent/tickets/12345"


def test_no_link_for_local_cases_unknown_helpdesks_or_without_a_connection(db: DbRunner) -> None:
    assert db.read(ticket_url, "zendesk", "12345").result() is None  # no connection yet
    db.write(add_zendesk).result()
    assert db.read(ticket_url, "local", None).result() is None
    assert db.read(ticket_url, "zendesk", None).result() is None
    assert db.read(ticket_url, "salesforce", "500Q").result() is None
