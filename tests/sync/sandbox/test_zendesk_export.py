"""The incremental ticket export of the sandbox Zendesk, as a client pages through it."""

from __future__ import annotations

import time
from typing import Any

import httpx

from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.sandbox.clients import ticket_with_status

EXPORT = "/api/v2/incremental/tickets/cursor.json"


def export_all(client: httpx.Client, first_params: dict[str, Any]) -> tuple[list[dict[str, Any]], int, str]:
    """Follow ``after_url`` from the first call to the end of the stream: tickets, pages, last cursor."""
    response = client.get(EXPORT, params=first_params)
    tickets: list[dict[str, Any]] = []
    pages = 0
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        tickets.extend(body["tickets"])
        pages += 1
        if body["end_of_stream"]:
            return tickets, pages, body["after_cursor"]
        response = client.get(body["after_url"])


def test_the_export_pages_through_every_ticket_to_the_end_of_stream(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    tickets, pages, cursor = export_all(agent, {"start_time": 0, "per_page": 7})

    assert pages == 5  # 30 tickets, 7 a page
    assert sorted(ticket["id"] for ticket in tickets) == zendesk_sandbox.store.ticket_ids
    stamps = [ticket["generated_timestamp"] for ticket in tickets]
    assert stamps == sorted(stamps)
    assert cursor


def test_a_page_has_the_recorded_envelope_and_absolute_after_url(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    body = agent.get(EXPORT, params={"start_time": 0, "per_page": 5}).json()

    assert body["end_of_stream"] is False
    assert body["before_url"] is None and body["before_cursor"] is None
    assert body["after_url"].startswith(f"{zendesk_sandbox.base_url}{EXPORT}?cursor=")
    ticket = body["tickets"][0]
    assert ticket["url"] == f"{zendesk_sandbox.base_url}/api/v2/tickets/{ticket['id']}.json"
    assert isinstance(ticket["generated_timestamp"], int)
    assert ticket["updated_at"].endswith("Z")


def test_a_later_call_with_the_cursor_returns_only_what_changed(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    _, _, cursor = export_all(agent, {"start_time": 0})
    unchanged = agent.get(EXPORT, params={"cursor": cursor}).json()
    changed_id = ticket_with_status(zendesk_sandbox, "open")
    zendesk_sandbox.store.add_customer_reply(changed_id, "Any news?")

    later = agent.get(EXPORT, params={"cursor": cursor}).json()

    assert unchanged["tickets"] == [] and unchanged["end_of_stream"] is True
    assert [ticket["id"] for ticket in later["tickets"]] == [changed_id]
    assert later["end_of_stream"] is True
    assert agent.get(EXPORT, params={"cursor": later["after_cursor"]}).json()["tickets"] == []


def test_a_deleted_ticket_comes_once_more_with_status_deleted_and_then_reads_404(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    _, _, cursor = export_all(agent, {"start_time": 0})
    deleted_id = ticket_with_status(zendesk_sandbox, "open")
    zendesk_sandbox.store.delete_ticket(deleted_id)

    later = agent.get(EXPORT, params={"cursor": cursor}).json()

    assert [(ticket["id"], ticket["status"]) for ticket in later["tickets"]] == [(deleted_id, "deleted")]
    assert agent.get(f"/api/v2/tickets/{deleted_id}.json").status_code == 404
    assert zendesk_sandbox.store.tickets_count == 29


def test_start_time_skips_tickets_changed_before_it(agent: httpx.Client) -> None:
    everything, _, _ = export_all(agent, {"start_time": 0})
    newest_stamp = everything[-1]["generated_timestamp"]

    recent, _, _ = export_all(agent, {"start_time": newest_stamp})

    assert [ticket["id"] for ticket in recent] == [
        ticket["id"] for ticket in everything if ticket["generated_timestamp"] >= newest_stamp
    ]


def test_side_loads_bring_the_users_groups_and_organizations_of_the_page(agent: httpx.Client) -> None:
    body = agent.get(
        EXPORT, params={"start_time": 0, "per_page": 10, "include": "users,groups,organizations"}
    ).json()

    user_ids = {user["id"] for user in body["users"]}
    assert {ticket["requester_id"] for ticket in body["tickets"]} <= user_ids
    assert {t["assignee_id"] for t in body["tickets"] if t["assignee_id"]} <= user_ids
    assert {t["group_id"] for t in body["tickets"] if t["group_id"]} == {g["id"] for g in body["groups"]}
    organization_ids = {t["organization_id"] for t in body["tickets"] if t["organization_id"]}
    assert organization_ids == {organization["id"] for organization in body["organizations"]}
    assert "after_url" in body and "include=" in body["after_url"]


def test_bad_start_times_and_cursors_are_refused(agent: httpx.Client) -> None:
    future = agent.get(EXPORT, params={"start_time": int(time.time()) + 3600})
    garbage = agent.get(EXPORT, params={"cursor": "not a cursor"})
    missing = agent.get(EXPORT)

    assert (future.status_code, future.json()["error"]) == (422, "InvalidValue")
    assert (garbage.status_code, garbage.json()["error"]) == (422, "InvalidValue")
    assert missing.status_code == 422


def test_exclude_deleted_leaves_deleted_tickets_out(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    deleted_id = ticket_with_status(zendesk_sandbox, "open")
    zendesk_sandbox.store.delete_ticket(deleted_id)

    tickets, _, _ = export_all(agent, {"start_time": 0, "per_page": 10, "exclude_deleted": "true"})

    assert deleted_id not in {ticket["id"] for ticket in tickets}
    assert len(tickets) == 29


TIME_EXPORT = "/api/v2/incremental/tickets.json"


def test_the_time_based_export_pages_by_end_time_and_never_splits_a_second(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    replied_id = ticket_with_status(zendesk_sandbox, "open")
    deleted_id = ticket_with_status(zendesk_sandbox, "pending")
    first = agent.get(TIME_EXPORT, params={"start_time": 0}).json()
    zendesk_sandbox.store.add_customer_reply(replied_id, "ping")
    zendesk_sandbox.store.delete_ticket(deleted_id)

    pages = [agent.get(TIME_EXPORT, params={"start_time": first["end_time"], "per_page": 1}).json()]
    while not pages[-1]["end_of_stream"]:
        pages.append(agent.get(pages[-1]["next_page"]).json())

    assert (first["count"], first["end_of_stream"]) == (30, True)
    assert first["end_time"] == max(ticket["generated_timestamp"] for ticket in first["tickets"]) + 1
    seen = sorted((ticket["id"], ticket["status"]) for page in pages for ticket in page["tickets"])
    assert seen == sorted([(replied_id, "open"), (deleted_id, "deleted")])
    for page in pages:  # a page holds one ticket, or more only when they share a second
        assert len({ticket["generated_timestamp"] for ticket in page["tickets"]}) <= 1
        assert page["count"] == len(page["tickets"])
