"""Outbox entries written by Handoff's own use cases reach the sandbox Zendesk as the user meant them.

The other connector tests use hand-built payloads; these take the entries the workflow and the
composer really write, so a payload that changes shape in core shows up here.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.communication.messages import OutgoingMessage, send_message
from core.domain.enums import DraftChannel, OutboxOperation, ReasonCode, Stage
from core.outbox import OutboxEntry, pending_entries
from core.workflow.escalation import EscalationRequest, escalate_case
from core.workflow.transitions import change_stage
from sync.connectors.zendesk import ZendeskConnector
from sync.sandbox.zendesk.seed import FIELD_ESCALATION_TIER
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.core.workflow.builders import NOW, build_org, place_case
from tests.sync.connectors.entries import last_comment, target, ticket_with


def written_entries(engine: Engine, stage: Stage, steps: str) -> list[OutboxEntry]:
    """The outbox entries a case in ``stage`` gets from ``steps`` ("reply+wait" or "escalate")."""
    with Session(engine) as session, session.begin():
        org = build_org(session)
        case = place_case(session, stage, team_id=org.sso_team)
        if steps == "reply+wait":
            message = OutgoingMessage(case.id, org.specialist, DraftChannel.PUBLIC_REPLY, "**Fixed** in 4.2")
            send_message(session, message, NOW)
            change_stage(session, case.id, Stage.AWAITING_CUSTOMER, org.specialist, "Asked to update", NOW)
        else:
            request = EscalationRequest(
                case_id=case.id,
                actor_id=org.specialist,
                tier=2,
                team_id=org.platform_team,
                reason_code=ReasonCode.TECHNICAL_EXPERTISE,
                justification="SAML assertions rejected for every user",
                override_reason=None,
                recommended_tier=2,
                recommendation=None,
                readiness=None,
                missing_readiness=(),
            )
            escalate_case(session, request, NOW)
        return pending_entries(session, case.id)


@pytest.mark.asyncio
async def test_a_reply_and_a_stage_change_from_the_composer_and_the_workflow_land(
    engine: Engine, zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    entries = written_entries(engine, Stage.INVESTIGATING, "reply+wait")
    ticket_id = ticket_with(zendesk_sandbox, "open")

    version = target(zendesk_sandbox, ticket_id).version
    for entry in entries:
        result = await connector.push(entry, target(zendesk_sandbox, ticket_id, version))
        version = result.ticket_version

    assert [e.operation for e in entries] == [OutboxOperation.ADD_PUBLIC_REPLY, OutboxOperation.CHANGE_STAGE]
    reply = last_comment(zendesk_sandbox, ticket_id)
    assert reply["public"] is True
    assert reply["body"] == "Fixed in 4.2"
    assert "<strong>Fixed</strong>" in reply["html_body"]
    assert zendesk_sandbox.store.ticket(ticket_id)["status"] == "pending"


@pytest.mark.asyncio
async def test_an_escalation_from_the_workflow_lands_with_its_tier_and_note(
    engine: Engine, zendesk_sandbox: ZendeskSandbox, connector: ZendeskConnector
) -> None:
    [entry] = written_entries(engine, Stage.NEW, "escalate")
    ticket_id = ticket_with(zendesk_sandbox, "new")

    await connector.push(entry, target(zendesk_sandbox, ticket_id))

    ticket = zendesk_sandbox.store.ticket(ticket_id)
    assert (ticket["status"], ticket["assignee_id"]) == ("open", None)
    fields = ticket["custom_fields"]
    assert isinstance(fields, list)
    assert {"id": FIELD_ESCALATION_TIER, "value": 2} in fields
    note = last_comment(zendesk_sandbox, ticket_id)
    assert note["public"] is False
    assert "Escalated to tier 2 in Handoff" in note["body"]
    assert "SAML assertions rejected for every user" in note["body"]
