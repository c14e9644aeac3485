"""Every kind of outbox entry lands on the sandbox Zendesk; 409s become conflicts, 422s the server's words."""

from __future__ import annotations

import pytest

from core.domain.enums import OutboxOperation
from sync.connectors.base import PushConflict, PushRejected
from sync.connectors.zendesk import ZendeskConnector
from sync.sandbox.zendesk.seed import FIELD_ESCALATION_TIER, FIELD_PRODUCT_AREA
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.connectors.entries import (
    entry,
    last_comment,
    reply_payload,
    stage_payload,
    target,
    ticket_with,
)


def custom_value(sandbox: ZendeskSandbox, ticket_id: int, field_id: int) -> object:
    fields = sandbox.store.ticket(ticket_id)["custom_fields"]
    assert isinstance(fields, list)
    return next(item["value"] for item in fields if item["id"] == field_id)


@pytest.mark.asyncio
async def test_a_public_reply_lands_as_a_public_comment(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    before = len(zendesk_sandbox.store.comments(ticket_id))

    result = await connector.push(
        entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("We shipped the fix.")),
        target(zendesk_sandbox, ticket_id),
    )

    comments = zendesk_sandbox.store.comments(ticket_id)
    assert len(comments) == before + 1
    assert (comments[-1]["body"], comments[-1]["public"]) == ("We shipped the fix.", True)
    assert result.remote_ids["comment"] == str(comments[-1]["id"])
    assert result.remote_ids["audit"] == str(comments[-1]["audit_id"])
    assert result.ticket_version == zendesk_sandbox.store.ticket(ticket_id)["updated_at"]


@pytest.mark.asyncio
async def test_an_internal_note_lands_as_a_private_comment(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")

    await connector.push(
        entry(OutboxOperation.ADD_INTERNAL_NOTE, reply_payload("Ledger shows two captures.")),
        target(zendesk_sandbox, ticket_id),
    )

    note = last_comment(zendesk_sandbox, ticket_id)
    assert (note["body"], note["public"]) == ("Ledger shows two captures.", False)


@pytest.mark.asyncio
async def test_a_stage_change_moves_the_ticket_status(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")

    await connector.push(
        entry(OutboxOperation.CHANGE_STAGE, stage_payload("investigating", "awaiting_customer")),
        target(zendesk_sandbox, ticket_id),
    )

    assert zendesk_sandbox.store.ticket(ticket_id)["status"] == "pending"


@pytest.mark.asyncio
async def test_an_assignment_moves_the_ticket_to_the_group_and_the_agent(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    store = zendesk_sandbox.store
    ticket_id = ticket_with(zendesk_sandbox, "open")
    group_id = next(g for g in store.group_ids() if g != store.ticket(ticket_id)["group_id"])
    agent_id = next(a for a in store.agent_ids() if a != store.ticket(ticket_id)["assignee_id"])
    payload = {
        "kind": "reroute",
        "reason": "Billing owns refunds",
        "team_id": 2,
        "team_key": "billing",
        "team_remote_id": str(group_id),
        "assignee_id": 5,
        "assignee_email": "dana@acme.example",
        "assignee_remote_id": str(agent_id),
    }

    await connector.push(entry(OutboxOperation.ASSIGN, payload), target(zendesk_sandbox, ticket_id))

    ticket = store.ticket(ticket_id)
    assert (ticket["group_id"], ticket["assignee_id"]) == (group_id, agent_id)


@pytest.mark.asyncio
async def test_an_escalation_opens_the_ticket_at_its_tier_unassigned_with_a_private_note(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "new")
    payload = stage_payload("new", "requested", "Product defect", tier=3) | {
        "from_tier": 1,
        "justification": "Reproduced on two accounts",
        "missing_readiness": [],
        "kind": "normal",
        "escalation_id": 1,
    }

    await connector.push(entry(OutboxOperation.ESCALATE, payload), target(zendesk_sandbox, ticket_id))

    ticket = zendesk_sandbox.store.ticket(ticket_id)
    assert (ticket["status"], ticket["assignee_id"]) == ("open", None)
    assert custom_value(zendesk_sandbox, ticket_id, FIELD_ESCALATION_TIER) == 3
    note = last_comment(zendesk_sandbox, ticket_id)
    assert note["public"] is False
    assert note["body"].startswith("Escalated to tier 3 in Handoff: Product defect")
    assert "Justification: Reproduced on two accounts" in note["body"]


@pytest.mark.asyncio
async def test_an_approval_request_and_its_decision_are_noted_on_the_ticket(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    asked = {
        "from_stage": "investigating",
        "stage": "awaiting_approval",
        "approval_id": 3,
        "approval_kind": "credit_refund",
        "amount_cents": 5000,
        "currency": "USD",
        "justification": "Outage credit",
    }
    decided = {
        "from_stage": "awaiting_approval",
        "stage": "investigating",
        "approval_id": 3,
        "decision": "approved",
        "comment": "",
    }

    first = await connector.push(
        entry(OutboxOperation.REQUEST_APPROVAL, asked), target(zendesk_sandbox, ticket_id)
    )
    await connector.push(
        entry(OutboxOperation.DECIDE_APPROVAL, decided),
        target(zendesk_sandbox, ticket_id, first.ticket_version),
    )

    notes = [c["body"] for c in zendesk_sandbox.store.comments(ticket_id)[-2:]]
    assert notes == [
        "Approval requested in Handoff: Credit/refund of 50.00 USD\nJustification: Outage credit",
        "Approval request #3 approved in Handoff.",
    ]
    assert zendesk_sandbox.store.ticket(ticket_id)["status"] == "open"


@pytest.mark.asyncio
async def test_a_proposed_resolution_reaches_the_customer(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "hold")
    payload = stage_payload(
        "investigating", "resolution_proposed", "Resolution proposed to the customer."
    ) | {"body": "Please update to 4.2 and tell us if it works."}

    await connector.push(
        entry(OutboxOperation.PROPOSE_RESOLUTION, payload), target(zendesk_sandbox, ticket_id)
    )

    reply = last_comment(zendesk_sandbox, ticket_id)
    assert (reply["body"], reply["public"]) == ("Please update to 4.2 and tell us if it works.", True)
    assert zendesk_sandbox.store.ticket(ticket_id)["status"] == "pending"  # waiting for the customer


@pytest.mark.asyncio
async def test_a_return_to_investigation_reopens_with_the_customer_feedback_noted(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "pending")
    note = "Returned to investigation.\nCustomer feedback: still double charged"
    payload = stage_payload("resolution_proposed", "investigating") | {"kind": "returned", "note": note}

    await connector.push(entry(OutboxOperation.CHANGE_STAGE, payload), target(zendesk_sandbox, ticket_id))

    assert zendesk_sandbox.store.ticket(ticket_id)["status"] == "open"
    assert (
        last_comment(zendesk_sandbox, ticket_id)["body"],
        last_comment(zendesk_sandbox, ticket_id)["public"],
    ) == (
        note,
        False,
    )


@pytest.mark.asyncio
async def test_a_closure_closes_the_ticket_with_its_root_cause(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "solved")
    payload = stage_payload("resolved", "closed", "Closed. Root cause: configuration.") | {
        "closure_id": 2,
        "resolution_summary": "Corrected the SSO settings",
        "root_cause_category": "configuration",
        "root_cause_detail": "",
        "defect_key": None,
        "defect_url": None,
        "customer_notified": True,
        "follow_ups": [],
    }

    await connector.push(entry(OutboxOperation.CLOSE_CASE, payload), target(zendesk_sandbox, ticket_id))

    assert zendesk_sandbox.store.ticket(ticket_id)["status"] == "closed"
    assert last_comment(zendesk_sandbox, ticket_id)["body"] == (
        "Closed in Handoff.\nResolution: Corrected the SSO settings\nRoot cause: configuration"
    )


@pytest.mark.asyncio
async def test_a_field_update_sets_priority_tier_and_product_area(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    payload = {"priority": "urgent", "tier": 3, "product_area": "billing"}

    await connector.push(entry(OutboxOperation.UPDATE_FIELDS, payload), target(zendesk_sandbox, ticket_id))

    assert zendesk_sandbox.store.ticket(ticket_id)["priority"] == "urgent"
    assert custom_value(zendesk_sandbox, ticket_id, FIELD_ESCALATION_TIER) == 3
    assert custom_value(zendesk_sandbox, ticket_id, FIELD_PRODUCT_AREA) == "billing"


@pytest.mark.asyncio
async def test_a_change_made_meanwhile_by_another_agent_is_a_conflict_with_both_values(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    pulled = target(zendesk_sandbox, ticket_id)
    zendesk_sandbox.store.edit_as_other_agent(ticket_id, status="hold")
    comments_before = len(zendesk_sandbox.store.comments(ticket_id))

    with pytest.raises(PushConflict) as conflict:
        await connector.push(
            entry(OutboxOperation.CHANGE_STAGE, stage_payload("investigating", "awaiting_customer")), pulled
        )

    found = conflict.value.conflict
    assert [(f.field, f.local, f.remote) for f in found.fields] == [
        ("stage", "awaiting_customer", "awaiting_engineering")
    ]
    assert found.remote_author == "Another Agent"
    current = zendesk_sandbox.store.ticket(ticket_id)
    assert found.remote_version == current["updated_at"] != pulled.version
    assert found.remote_changed_at is not None
    assert current["status"] == "hold"  # nothing overwritten
    assert len(zendesk_sandbox.store.comments(ticket_id)) == comments_before


@pytest.mark.asyncio
async def test_a_reply_lands_even_when_another_agent_changed_the_ticket_meanwhile(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    pulled = target(zendesk_sandbox, ticket_id)
    zendesk_sandbox.store.edit_as_other_agent(ticket_id)  # adds a tag

    await connector.push(
        entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("Any update on your side?")), pulled
    )

    assert last_comment(zendesk_sandbox, ticket_id)["body"] == "Any update on your side?"
    tags = zendesk_sandbox.store.ticket(ticket_id)["tags"]
    assert isinstance(tags, list)
    assert "edited_by_other_agent" in tags  # their change is kept


@pytest.mark.asyncio
async def test_a_closed_ticket_refuses_the_change_in_zendesks_words(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "closed")

    with pytest.raises(PushRejected) as refused:
        await connector.push(
            entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("One more thing")),
            target(zendesk_sandbox, ticket_id),
        )

    assert refused.value.message == "Status: closed prevents ticket update"


@pytest.mark.asyncio
async def test_assigning_a_customer_is_refused_in_zendesks_words(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    requester = zendesk_sandbox.store.ticket(ticket_id)["requester_id"]
    payload = {"assignee_id": 4, "assignee_email": "c@x.example", "assignee_remote_id": str(requester)}

    with pytest.raises(PushRejected) as refused:
        await connector.push(entry(OutboxOperation.ASSIGN, payload), target(zendesk_sandbox, ticket_id))

    assert refused.value.message == "Assignee: is not an agent"
    assert zendesk_sandbox.store.ticket(ticket_id)["assignee_id"] != requester


@pytest.mark.asyncio
async def test_a_deleted_ticket_refuses_the_change_and_says_so(
    zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    ticket_id = ticket_with(zendesk_sandbox, "open")
    pulled = target(zendesk_sandbox, ticket_id)
    zendesk_sandbox.store.delete_ticket(ticket_id)

    with pytest.raises(PushRejected, match=f"Zendesk ticket #{ticket_id} no longer exists"):
        await connector.push(entry(OutboxOperation.ADD_INTERNAL_NOTE, reply_payload("Note")), pulled)
