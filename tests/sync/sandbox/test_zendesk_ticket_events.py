"""The incremental ticket events export: every comment of the account in a few requests."""

from __future__ import annotations

from typing import Any

import httpx

from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.sandbox.clients import ticket_with_status

EVENTS = "/api/v2/incremental/ticket_events.json"


def all_events(client: httpx.Client, params: dict[str, Any]) -> tuple[list[dict[str, Any]], int, int]:
    """Follow ``next_page`` to the end of the stream: events, pages, last end_time."""
    body = client.get(EVENTS, params=params).json()
    events, pages = list(body["ticket_events"]), 1
    while not body["end_of_stream"]:
        body = client.get(body["next_page"]).json()
        events.extend(body["ticket_events"])
        pages += 1
    return events, pages, body["end_time"]


def test_comment_events_bring_every_comment_of_every_ticket_once(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    events, pages, _ = all_events(agent, {"start_time": 0, "include": "comment_events", "per_page": 40})

    comments = {
        child["id"]: child
        for event in events
        for child in event["child_events"]
        if child["event_type"] == "Comment"
    }
    store = zendesk_sandbox.store
    expected = {
        comment["id"]: comment for ticket_id in store.ticket_ids for comment in store.comments(ticket_id)
    }
    assert pages > 1
    assert len(comments) == sum(
        1 for event in events for c in event["child_events"] if c["event_type"] == "Comment"
    )
    assert comments.keys() == expected.keys()
    some_id = next(iter(expected))
    assert comments[some_id]["body"] == expected[some_id]["body"]
    assert comments[some_id]["author_id"] == expected[some_id]["author_id"]
    stamps = [event["timestamp"] for event in events]
    assert stamps == sorted(stamps)


def test_a_page_never_splits_one_second(zendesk_sandbox: ZendeskSandbox, agent: httpx.Client) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    _, _, end_time = all_events(agent, {"start_time": 0})
    for number in range(3):  # three audits, probably within one second
        zendesk_sandbox.store.edit_as_other_agent(ticket_id, tags=[f"tag{number}"])

    body = agent.get(EVENTS, params={"start_time": end_time, "per_page": 1}).json()

    last_second = body["ticket_events"][-1]["timestamp"]
    assert body["end_time"] == last_second + 1
    rest = agent.get(body["next_page"]).json()["ticket_events"]
    assert all(event["timestamp"] > last_second for event in rest)


def test_later_changes_come_as_new_events_with_their_changes(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    _, _, end_time = all_events(agent, {"start_time": 0})
    agent.put(
        f"/api/v2/tickets/{ticket_id}.json",
        json={"ticket": {"status": "pending", "comment": {"body": "On it", "public": True}}},
    )

    events, _, _ = all_events(agent, {"start_time": end_time, "include": "comment_events"})

    assert [event["ticket_id"] for event in events] == [ticket_id]
    children = events[0]["child_events"]
    assert {"event_type": "Change", "status": "pending", "previous_value": "open"}.items() <= next(
        child for child in children if child["event_type"] == "Change"
    ).items()
    assert next(child for child in children if child["event_type"] == "Comment")["body"] == "On it"
    assert events[0]["via"] == "Web service"


def test_without_comment_events_only_changes_are_listed(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    events, _, _ = all_events(agent, {"start_time": 0})

    assert events and all(child["event_type"] != "Comment" for e in events for child in e["child_events"])
    assert all(event["comment_present"] for event in events)  # the seeded audits each added a comment


def test_custom_metadata_comes_with_the_event_and_its_comment(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    _, _, end_time = all_events(agent, {"start_time": 0})
    key = {"handoff_key": "77aa"}
    agent.put(
        f"/api/v2/tickets/{ticket_id}.json",
        json={"ticket": {"comment": {"body": "Keyed"}, "metadata": {"custom": key}}},
    )

    events, _, _ = all_events(agent, {"start_time": end_time, "include": "comment_events"})

    assert events[0]["metadata"]["custom"] == key
    comment = next(child for child in events[0]["child_events"] if child["event_type"] == "Comment")
    assert comment["metadata"]["custom"] == key
