"""Zendesk records in Handoff's terms: hand-written pages in the recorded shapes, through a real pull."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from core.domain.enums import Priority, Stage
from core.remote.dtos import ConnectionScope, FieldMapping, RemotePage
from core.sla.types import Metric
from core.sla.vendor import VendorSlaState
from sync.connectors.zendesk import SyncCursor
from sync.connectors.zendesk.cursor import Phase
from sync.connectors.zendesk.fields import ZendeskFields
from sync.connectors.zendesk.mapping import in_scope, ticket_of, tickets_entering_scope
from tests.sync.connectors.recorded_shapes import (
    AREA_FIELD,
    BASE_URL,
    EVERY_TICKET,
    MAPPING,
    TIER_FIELD,
    fixture,
    offline_connector,
    serve,
)

EXPORT = "/api/v2/incremental/tickets/cursor.json"
EVENTS = "/api/v2/incremental/ticket_events.json"


async def first_page(scope: ConnectionScope = EVERY_TICKET, mapping: FieldMapping = MAPPING) -> RemotePage:
    connector = offline_connector(serve({EXPORT: fixture("export_page.json")}), scope, mapping)
    try:
        return await connector.pull(None)
    finally:
        await connector.aclose()


@pytest.mark.asyncio
async def test_tickets_take_the_stage_priority_tier_and_area_the_mapping_gives() -> None:
    page = await first_page()

    tickets = {ticket.remote_id: ticket for ticket in page.tickets}
    billing = tickets["4101"]
    assert (billing.stage, billing.status, billing.priority) == (Stage.INVESTIGATING.value, "open", "urgent")
    assert (billing.tier, billing.product_area) == (2, "billing")
    assert (billing.group_id, billing.assignee_id, billing.requester_id) == (
        "363000000002",
        "360000000011",
        "361000000501",
    )
    assert billing.tags == ("billing", "escalation")
    assert billing.version == "2026-11-02T09:00:00Z"
    assert billing.updated_at == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert billing.url == f"{BASE_URL}/agent/tickets/4101"
    waiting = tickets["4102"]
    assert (waiting.stage, waiting.priority, waiting.tier, waiting.product_area) == (
        Stage.AWAITING_CUSTOMER.value,
        Priority.NORMAL.value,  # Zendesk's "no priority"
        None,
        None,
    )
    assert tickets["4103"].tier == 3  # a numeric text in an integer field still reads as a tier


@pytest.mark.asyncio
async def test_an_edited_mapping_decides_stages_and_priorities() -> None:
    mapping = FieldMapping(
        status_stages=(("open", Stage.TRIAGED.value), ("hold", Stage.AWAITING_APPROVAL.value)),
        priority_values=(("high", "urgent"), ("normal", "high")),
    )

    page = await first_page(mapping=mapping)

    tickets = {ticket.remote_id: ticket for ticket in page.tickets}
    assert (tickets["4101"].stage, tickets["4101"].priority) == (Stage.TRIAGED.value, "high")
    assert tickets["4103"].stage == Stage.AWAITING_APPROVAL.value
    assert tickets["4101"].tier is None  # no tier field mapped: not synced


@pytest.mark.asyncio
async def test_deleted_tickets_are_listed_for_removal_not_as_tickets() -> None:
    page = await first_page()

    assert page.deleted_ticket_ids == ("4104",)
    assert "4104" not in {ticket.remote_id for ticket in page.tickets}


@pytest.mark.asyncio
async def test_agents_become_people_and_end_users_contacts_with_their_organization() -> None:
    page = await first_page()

    users = {user.remote_id: user for user in page.users}
    assert users["360000000011"].is_agent is True
    assert (users["360000000011"].name, users["360000000011"].email) == (
        "Dana Specialist",
        "dana@acme.example",
    )
    customer = users["361000000501"]
    assert (customer.is_agent, customer.organization_id) == (False, "362000000031")
    assert "360000000099" not in users  # side-loaded but on no ticket Handoff keeps
    assert [(o.name, o.domain) for o in page.organizations] == [("Customer Corp", "customer.example")]
    assert {g.name for g in page.groups} == {"Tier 2 Billing", "Tier 1 Support"}


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (ConnectionScope(), {"4101", "4102", "4103"}),
        (ConnectionScope(group_ids=("363000000002",)), {"4101"}),
        (ConnectionScope(tags=("escalation",)), {"4101", "4103"}),
        (ConnectionScope(custom_field_id=TIER_FIELD, custom_field_values=("3",)), {"4103"}),
        (ConnectionScope(custom_field_id=AREA_FIELD), {"4101", "4103"}),  # any value set
        (ConnectionScope(group_ids=("363000000002",), tags=("how_to",)), {"4101", "4102"}),
    ],
)
@pytest.mark.asyncio
async def test_only_tickets_in_the_connection_scope_are_pulled(
    scope: ConnectionScope, expected: set[str]
) -> None:
    page = await first_page(scope)

    assert {ticket.remote_id for ticket in page.tickets} == expected
    assert page.deleted_ticket_ids == ("4104",)


@pytest.mark.asyncio
async def test_the_first_pull_starts_at_time_zero_and_the_end_of_the_export_moves_on_to_comments() -> None:
    seen: list[httpx.Request] = []
    connector = offline_connector(serve({EXPORT: fixture("export_page.json")}, seen))

    page = await connector.pull(None)
    await connector.aclose()

    assert seen[0].url.params["start_time"] == "0"
    assert seen[0].url.params["include"] == "users,groups,organizations,slas"
    assert page.end_of_stream is False  # comments follow
    cursor = SyncCursor.decode(page.cursor)
    assert (cursor.phase, cursor.tickets) == (Phase.EVENTS, "MTc2MjA3MjIwMC4wfHw0MTA0fA==")


@pytest.mark.asyncio
async def test_comments_come_from_ticket_events_with_authors_visibility_and_the_handoff_marker() -> None:
    seen: list[httpx.Request] = []
    routes = {EVENTS: fixture("ticket_events_page.json"), "/api/v2/users/show_many.json": {"users": []}}
    connector = offline_connector(serve(routes, seen))
    cursor = SyncCursor(phase=Phase.EVENTS, tickets="abc", events_from=1762070000).encode()

    page = await connector.pull(cursor)
    await connector.aclose()

    assert seen[0].url.params["start_time"] == "1762070000"
    assert seen[0].url.params["include"] == "comment_events"
    comments = {comment.remote_id: comment for comment in page.comments}
    assert set(comments) == {"370000041010001", "370000041010002", "370000041020001"}
    reply = comments["370000041010001"]
    assert (reply.ticket_id, reply.author_id, reply.public, reply.marker) == (
        "4101",
        "361000000501",
        True,
        None,
    )
    assert reply.body_text == "It happened again this morning."
    assert reply.created_at == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    note = comments["370000041010002"]
    assert (note.public, note.marker) == (False, "9f1c2e7a5b3d4c6e8f0a1b2c3d4e5f60")
    assert page.end_of_stream is True
    after = SyncCursor.decode(page.cursor)
    assert (after.phase, after.tickets) == (Phase.TICKETS, "abc")
    assert after.events_from == 1762074180  # the last second is read again next time


def test_zendesk_sla_policy_metrics_become_vendor_targets() -> None:
    record = fixture("export_page.json")["tickets"][0]
    now = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

    ticket = ticket_of(record, ZendeskFields.of(MAPPING), BASE_URL, now)

    targets = {target.metric: target for target in ticket.vendor_sla}
    first = targets["first_reply_time"]
    assert (first.state, first.due_at, first.handoff_metric) == (
        VendorSlaState.RUNNING,
        datetime(2026, 11, 2, 10, 0, tzinfo=UTC),
        Metric.FIRST_REPLY,
    )
    assert first.policy_name == "Enterprise"
    assert targets["next_reply_time"].state is VendorSlaState.BREACHED
    assert targets["requester_wait_time"].state is VendorSlaState.MET
    assert {target.source for target in ticket.vendor_sla} == {"zendesk"}


def test_a_ticket_without_sla_data_has_no_vendor_targets() -> None:
    record = fixture("export_page.json")["tickets"][1]

    ticket = ticket_of(record, ZendeskFields.of(MAPPING), BASE_URL, datetime(2026, 11, 2, tzinfo=UTC))

    assert ticket.vendor_sla == ()


def test_a_scope_on_a_custom_field_ignores_tickets_without_a_value() -> None:
    record = fixture("export_page.json")["tickets"][1]

    assert in_scope(record, ConnectionScope(custom_field_id=AREA_FIELD)) is False


def test_a_cursor_from_another_connector_is_refused() -> None:
    with pytest.raises(ValueError, match="not a Zendesk connector cursor"):
        SyncCursor.decode("MTc2MjA3MjIwMC4wfHw0MTA0fA==")


def test_a_tag_of_the_scope_newly_set_brings_the_ticket_into_the_scope() -> None:
    def change(ticket_id: int, **fields: object) -> dict[str, object]:
        child = {"id": 1, "via": "Web form", "event_type": "Change", **fields}
        return {"id": 2, "ticket_id": ticket_id, "child_events": [child]}

    events = [
        change(1, tags="billing escalation", previous_value="billing"),
        change(2, tags="billing escalation vip", previous_value="billing escalation"),  # already in
        change(3, group_id="5", previous_value="6"),  # groups are not the scope here
    ]

    assert tickets_entering_scope(events, ConnectionScope(tags=("escalation",))) == {"1"}
    assert tickets_entering_scope(events, ConnectionScope(group_ids=("5",))) == {"3"}
    assert tickets_entering_scope(events, EVERY_TICKET) == set()
