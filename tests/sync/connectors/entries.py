"""Outbox entries shaped like the ones Handoff's use cases write, and delivery targets on sandbox tickets."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from core.db.types import utc_now
from core.domain.enums import OutboxOperation, OutboxState
from core.outbox import JsonValue, OutboxEntry
from core.remote.delivery import DeliveryTarget
from sync.sandbox.zendesk.server import ZendeskSandbox


def entry(
    operation: OutboxOperation, payload: Mapping[str, Any], ticket_id: int | None = None
) -> OutboxEntry:
    """A pending entry with a fresh idempotency key."""
    return OutboxEntry(
        id=1,
        idempotency_key=uuid.uuid4().hex,
        case_id=1,
        connection_id="zendesk",
        remote_id=None if ticket_id is None else str(ticket_id),
        operation=operation,
        payload=dict(payload),
        state=OutboxState.PENDING,
        attempts=0,
        last_error=None,
        created_at=utc_now(),
    )


def target(sandbox: ZendeskSandbox, ticket_id: int, version: str | None = None) -> DeliveryTarget:
    """The ticket as last pulled: its current version unless ``version`` says otherwise."""
    current = str(sandbox.store.ticket(ticket_id)["updated_at"])
    return DeliveryTarget(case_id=1, remote_id=str(ticket_id), version=version or current)


def ticket_with(sandbox: ZendeskSandbox, status: str) -> int:
    """A ticket of the sandbox with ``status``."""
    store = sandbox.store
    return next(i for i in store.ticket_ids if store.ticket(i)["status"] == status)


def stage_payload(from_stage: str, stage: str, reason: str = "", tier: int = 2) -> dict[str, JsonValue]:
    """What ``core.workflow.recording.stage_payload`` writes."""
    return {"from_stage": from_stage, "stage": stage, "tier": tier, "reason": reason}


def reply_payload(text: str) -> dict[str, JsonValue]:
    """What ``core.communication.messages.send_message`` writes for a reply or a note."""
    return {"event_id": 11, "body_html": f"<p>{text}</p>", "body_text": text, "attachments": []}


def last_comment(sandbox: ZendeskSandbox, ticket_id: int) -> dict[str, Any]:
    """The newest comment of a sandbox ticket."""
    return sandbox.store.comments(ticket_id)[-1]
