"""Every outbox operation as the body of Zendesk's ticket update (no network)."""

from __future__ import annotations

import pytest

from core.domain.enums import OutboxOperation
from core.remote.dtos import FieldMapping
from sync.connectors.base import PushRejected
from sync.connectors.zendesk import ZendeskFields, plan_push
from tests.sync.connectors.entries import entry, reply_payload, stage_payload

FIELDS = ZendeskFields.of(
    FieldMapping(
        tier_field_id="360001000004", product_area_field_id="360001000001", team_groups=(("billing", "77"),)
    )
)


def test_a_public_reply_is_a_public_html_comment_and_changes_no_field() -> None:
    plan = plan_push(entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload("We found it.")), FIELDS)

    assert plan.changes == {"comment": {"html_body": "<p>We found it.</p>", "public": True}}
    assert plan.local == {}


def test_a_reminder_without_html_is_a_plain_public_comment() -> None:
    plan = plan_push(
        entry(OutboxOperation.ADD_PUBLIC_REPLY, {"body": "Did the fix work?", "reminder": 2}), FIELDS
    )

    assert plan.changes == {"comment": {"body": "Did the fix work?", "public": True}}


def test_an_internal_note_is_a_private_comment() -> None:
    payload = {"note_kind": "handover", "body_text": "Call them at 3", "body_html": "<p>Call them at 3</p>"}

    plan = plan_push(entry(OutboxOperation.ADD_INTERNAL_NOTE, payload), FIELDS)

    assert plan.changes == {"comment": {"html_body": "<p>Call them at 3</p>", "public": False}}


def test_an_empty_message_is_refused_before_it_is_sent() -> None:
    with pytest.raises(PushRejected, match="empty"):
        plan_push(entry(OutboxOperation.ADD_PUBLIC_REPLY, reply_payload(" ") | {"body_html": ""}), FIELDS)


def test_a_stage_change_sets_the_mapped_status() -> None:
    plan = plan_push(
        entry(OutboxOperation.CHANGE_STAGE, stage_payload("investigating", "awaiting_customer")), FIELDS
    )

    assert plan.changes == {"status": "pending"}
    assert plan.local == {"stage": "awaiting_customer"}


def test_a_return_to_investigation_carries_its_note_privately() -> None:
    note = "Returned to investigation.\nCustomer feedback: still broken"
    payload = stage_payload("resolution_proposed", "investigating") | {"kind": "returned", "note": note}

    plan = plan_push(entry(OutboxOperation.CHANGE_STAGE, payload), FIELDS)

    assert plan.changes == {"status": "open", "comment": {"body": note, "public": False}}


def test_an_assignment_sets_the_group_and_the_agent() -> None:
    payload = {
        "kind": "triage",
        "team_id": 3,
        "team_key": "billing",
        "team_remote_id": None,
        "assignee_id": 9,
        "assignee_email": "dana@acme.example",
        "assignee_remote_id": "360000000011",
    }

    plan = plan_push(entry(OutboxOperation.ASSIGN, payload), FIELDS)

    assert plan.changes == {"group_id": 77, "assignee_id": 360000000011}
    assert plan.local == {"team": "77", "assignee": "360000000011"}


def test_assigning_someone_without_a_zendesk_user_is_refused_with_a_way_forward() -> None:
    payload = {
        "team_id": 3,
        "team_key": "billing",
        "assignee_id": 9,
        "assignee_email": "new@acme.example",
        "assignee_remote_id": None,
    }

    with pytest.raises(PushRejected, match=r"new@acme\.example has no Zendesk user"):
        plan_push(entry(OutboxOperation.ASSIGN, payload), FIELDS)


def test_a_team_without_a_group_is_refused_with_a_way_forward() -> None:
    payload = {"team_id": 4, "team_key": "platform", "team_remote_id": None, "assignee_id": None}

    with pytest.raises(PushRejected, match="platform has no Zendesk group"):
        plan_push(entry(OutboxOperation.ASSIGN, payload), FIELDS)


def test_an_escalation_sets_status_tier_unassigns_and_explains_itself_in_a_private_note() -> None:
    payload = stage_payload("new", "requested", "Needs engineering", tier=3) | {
        "from_tier": 1,
        "tier": 3,
        "justification": "Data loss for 40 users",
        "override_reason": None,
        "missing_readiness": ["logs"],
        "kind": "normal",
        "escalation_id": 5,
    }

    plan = plan_push(entry(OutboxOperation.ESCALATE, payload), FIELDS)

    assert plan.changes["status"] == "open"
    assert plan.changes["assignee_id"] is None
    assert plan.changes["custom_fields"] == [{"id": 360001000004, "value": 3}]
    note = plan.changes["comment"]
    assert note["public"] is False
    assert "Escalated to tier 3 in Handoff: Needs engineering" in note["body"]
    assert "Justification: Data loss for 40 users" in note["body"]
    assert "Readiness items missing: logs" in note["body"]
    assert plan.local == {"stage": "requested", "tier": "3", "assignee": None}


def test_approvals_move_the_status_and_say_what_was_asked_and_decided() -> None:
    asked = {
        "from_stage": "investigating",
        "stage": "awaiting_approval",
        "approval_id": 4,
        "approval_kind": "credit_refund",
        "amount_cents": 12000,
        "currency": "EUR",
        "justification": "SLA miss",
    }
    decided = {
        "from_stage": "awaiting_approval",
        "stage": "investigating",
        "approval_id": 4,
        "decision": "denied",
        "comment": "Too high",
    }

    request = plan_push(entry(OutboxOperation.REQUEST_APPROVAL, asked), FIELDS)
    decision = plan_push(entry(OutboxOperation.DECIDE_APPROVAL, decided), FIELDS)

    assert request.changes["comment"]["body"] == (
        "Approval requested in Handoff: Credit/refund of 120.00 EUR\nJustification: SLA miss"
    )
    assert decision.changes["comment"]["body"] == "Approval request #4 denied in Handoff.\nComment: Too high"
    assert decision.changes["status"] == "open"


def test_a_proposed_resolution_is_a_public_reply_with_the_status() -> None:
    payload = stage_payload("investigating", "resolution_proposed") | {"body": "Please update to 4.2."}

    plan = plan_push(entry(OutboxOperation.PROPOSE_RESOLUTION, payload), FIELDS)

    assert plan.changes["comment"] == {"body": "Please update to 4.2.", "public": True}
    assert plan.local == {"stage": "resolution_proposed"}


def test_a_closure_closes_the_ticket_with_the_root_cause_and_follow_ups_in_a_note() -> None:
    payload = stage_payload("resolved", "closed", "Closed. Root cause: defect.") | {
        "closure_id": 1,
        "resolution_summary": "Patched the exporter",
        "root_cause_category": "defect",
        "root_cause_detail": "off-by-one in paging",
        "defect_key": "ENG-42",
        "defect_url": "https://jira/ENG-42",
        "customer_notified": True,
        "follow_ups": [{"text": "Add a test", "owner": "Dana", "due_date": "2026-12-01"}],
    }

    plan = plan_push(entry(OutboxOperation.CLOSE_CASE, payload), FIELDS)

    assert plan.changes["status"] == "closed"
    assert plan.changes["comment"]["body"] == (
        "Closed in Handoff.\nResolution: Patched the exporter\nRoot cause: defect: off-by-one in paging\n"
        "Defect: ENG-42 (https://jira/ENG-42)\nFollow-ups:\n- Add a test (Dana, 2026-12-01)"
    )


def test_a_field_update_sets_priority_tier_and_product_area() -> None:
    payload = {"priority": "urgent", "tier": 2, "product_area": "billing"}

    plan = plan_push(entry(OutboxOperation.UPDATE_FIELDS, payload), FIELDS)

    assert plan.changes == {
        "priority": "urgent",
        "custom_fields": [{"id": 360001000004, "value": 2}, {"id": 360001000001, "value": "billing"}],
    }
    assert plan.local == {"priority": "urgent", "tier": "2", "product_area": "billing"}


def test_a_plan_knows_when_the_ticket_already_shows_its_changes() -> None:
    plan = plan_push(entry(OutboxOperation.UPDATE_FIELDS, {"priority": "high", "tier": 2}), FIELDS)
    ticket = {"priority": "high", "custom_fields": [{"id": 360001000004, "value": 2}]}

    assert plan.applied_to(ticket) is True
    assert plan.applied_to(ticket | {"priority": "low"}) is False
