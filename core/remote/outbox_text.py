"""How the Outbox view and the timeline put an entry, a conflict and its resolution in words."""

from __future__ import annotations

from collections.abc import Mapping

from core.domain.enums import OutboxOperation, Stage
from core.outbox import OutboxEntry
from core.remote.dtos import Conflict
from core.workflow.stages import stage_name

SUMMARY_MAX_CHARS = 300
FIELD_NAMES: dict[str, str] = {
    "stage": "stage",
    "priority": "priority",
    "team": "team",
    "assignee": "assignee",
    "tier": "tier",
    "product_area": "product area",
}
OPERATION_NAMES: dict[OutboxOperation, str] = {
    OutboxOperation.ADD_PUBLIC_REPLY: "Public reply",
    OutboxOperation.ADD_INTERNAL_NOTE: "Internal note",
    OutboxOperation.CHANGE_STAGE: "Stage change",
    OutboxOperation.ESCALATE: "Escalation",
    OutboxOperation.ASSIGN: "Assignment",
    OutboxOperation.UPDATE_FIELDS: "Field change",
    OutboxOperation.REQUEST_APPROVAL: "Approval request",
    OutboxOperation.DECIDE_APPROVAL: "Approval decision",
    OutboxOperation.PROPOSE_RESOLUTION: "Proposed resolution",
    OutboxOperation.CLOSE_CASE: "Closure",
}


def payload_summary(entry: OutboxEntry) -> str:
    """What the entry would have told the helpdesk, in a line or a short paragraph."""
    payload = entry.payload
    parts: list[str] = []
    stage = payload.get("stage")
    if isinstance(stage, str) and stage != payload.get("from_stage") and stage in Stage._value2member_map_:
        parts.append(f"stage → {stage_name(Stage(stage))}")
    for key, label in (("team_key", "team"), ("assignee_email", "assignee"), ("priority", "priority")):
        value = payload.get(key)
        if isinstance(value, str) and value:
            parts.append(f"{label} → {value}")
    body = payload.get("body_text") or payload.get("body") or payload.get("note")
    text = OPERATION_NAMES.get(entry.operation, entry.operation.value)
    if parts:
        text += f" ({'; '.join(parts)})"
    if isinstance(body, str) and body.strip():
        text += f": {_shorten(body.strip())}"
    files = _attachment_names(payload.get("attachments"))
    if files:
        text += f" (attached: {', '.join(files)})"
    return text


def _attachment_names(attachments: object) -> list[str]:
    """The file names of a message's attachments, as its payload lists them."""
    if not isinstance(attachments, list):
        return []
    names = (item.get("filename") for item in attachments if isinstance(item, dict))
    return [name for name in names if isinstance(name, str) and name]


def conflict_message(conflict: Conflict, helpdesk: str) -> str:
    """The Outbox view's line for a conflict: who changed what in the helpdesk meanwhile."""
    names = ", ".join(FIELD_NAMES.get(item.field, item.field) for item in conflict.fields) or "the ticket"
    who = f" by {conflict.remote_author}" if conflict.remote_author else ""
    return f"Changed in {helpdesk}{who} meanwhile ({names}): choose which values to keep."


def decision_text(conflict: Conflict, chosen: Mapping[str, str | None], helpdesk: str) -> str:
    """The timeline's record of how the user resolved a conflict, field by field."""
    remote = {item.field: item.remote for item in conflict.fields}
    local = {item.field: item.local for item in conflict.fields}
    parts = []
    for name, value in chosen.items():
        label = FIELD_NAMES.get(name, name)
        if name in remote and value == remote[name]:
            parts.append(
                f"{label}: kept {helpdesk}'s “{_shown(value)}” (Handoff had “{_shown(local.get(name))}”)"
            )
        elif name in local and value == local[name]:
            parts.append(
                f"{label}: kept Handoff's “{_shown(value)}” ({helpdesk} had “{_shown(remote.get(name))}”)"
            )
        else:
            parts.append(f"{label}: set to “{_shown(value)}”")
    return f"Conflict with {helpdesk} resolved: " + "; ".join(parts) + "."


def _shown(value: str | None) -> str:
    if value is None:
        return "none"
    if value in Stage._value2member_map_:
        return stage_name(Stage(value))
    return value


def _shorten(text: str) -> str:
    return text if len(text) <= SUMMARY_MAX_CHARS else text[: SUMMARY_MAX_CHARS - 1].rstrip() + "…"
