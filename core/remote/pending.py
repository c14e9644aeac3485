"""Which case fields an undelivered outbox entry sets: what a pulled ticket must not overwrite.

:data:`OPERATION_FIELDS` is the table operation → fields, read from how each use case builds
its payload (``core/workflow``, ``core/communication``, ``core/routing``). ``ASSIGN`` also moves
the stage when it triages (its payload then carries ``stage``), and ``UPDATE_FIELDS`` sets the
fields its payload names (``priority``, ``tier``, ``product_area``/``product_area_key``,
``team``/``team_id``/``team_key``, ``assignee``/``assignee_id``, ``stage``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import OutboxRow
from core.domain.enums import OutboxOperation, OutboxState

STAGE = "stage"
PRIORITY = "priority"
TEAM = "team"
ASSIGNEE = "assignee"
TIER = "tier"
PRODUCT_AREA = "product_area"
CASE_FIELDS: tuple[str, ...] = (STAGE, PRIORITY, TEAM, ASSIGNEE, TIER, PRODUCT_AREA)

OPERATION_FIELDS: dict[OutboxOperation, frozenset[str]] = {
    OutboxOperation.ADD_PUBLIC_REPLY: frozenset(),  # messages.py, reminders.py: a comment only
    OutboxOperation.ADD_INTERNAL_NOTE: frozenset(),  # messages.py, notes.py: a comment only
    OutboxOperation.CHANGE_STAGE: frozenset({STAGE}),  # transitions.py, resolution.py, stage_move.py
    OutboxOperation.ESCALATE: frozenset({STAGE, TIER, TEAM, ASSIGNEE}),  # escalation.py clears the assignee
    OutboxOperation.ASSIGN: frozenset({TEAM, ASSIGNEE}),  # route_writer.py (+ stage when it triages)
    OutboxOperation.UPDATE_FIELDS: frozenset(),  # the fields its payload names
    OutboxOperation.REQUEST_APPROVAL: frozenset({STAGE}),  # approvals.py
    OutboxOperation.DECIDE_APPROVAL: frozenset({STAGE}),  # approvals.py
    OutboxOperation.PROPOSE_RESOLUTION: frozenset({STAGE}),  # resolution.py
    OutboxOperation.CLOSE_CASE: frozenset({STAGE}),  # closure.py
}
# The payload keys that name a field (for UPDATE_FIELDS, and the stage of a triaging ASSIGN).
PAYLOAD_KEYS: dict[str, tuple[str, ...]] = {
    STAGE: ("stage",),
    PRIORITY: ("priority",),
    TEAM: ("team", "team_id", "team_key", "team_remote_id"),
    ASSIGNEE: ("assignee", "assignee_id", "assignee_email", "assignee_remote_id"),
    TIER: ("tier",),
    PRODUCT_AREA: ("product_area", "product_area_id", "product_area_key"),
}
# What the helpdesk held when the edit was made, as the payload records it (None: not recorded).
BASED_ON_KEYS: dict[str, str] = {
    STAGE: "from_stage",
    TEAM: "previous_team_remote_id",
    ASSIGNEE: "previous_assignee_remote_id",
    TIER: "from_tier",  # escalation.py
    PRIORITY: "from_priority",
    PRODUCT_AREA: "from_product_area",
}
UNDELIVERED_STATES: tuple[str, ...] = (
    OutboxState.PENDING.value,
    OutboxState.IN_FLIGHT.value,
    OutboxState.FAILED.value,
    OutboxState.CONFLICT.value,
)


@dataclass
class PendingEdits:
    """A case's fields with an undelivered local edit, and what each edit was based on."""

    fields: set[str] = field(default_factory=set)
    based_on: dict[str, str | None] = field(default_factory=dict)  # the oldest edit's "from" value


def fields_of(operation: OutboxOperation, payload: Mapping[str, object]) -> frozenset[str]:
    """The case fields an entry of ``operation`` with ``payload`` sets."""
    fields = set(OPERATION_FIELDS.get(operation, frozenset()))
    if operation is OutboxOperation.UPDATE_FIELDS:
        fields |= {name for name, keys in PAYLOAD_KEYS.items() if any(key in payload for key in keys)}
    elif operation is OutboxOperation.ASSIGN and _moves_stage(payload):
        fields.add(STAGE)
    return frozenset(fields)


def _moves_stage(payload: Mapping[str, object]) -> bool:
    """Whether a payload that may carry a stage (a triaging route) changes it."""
    return "stage" in payload and payload.get("stage") != payload.get("from_stage")


def pending_edits(session: Session, case_ids: Iterable[int]) -> dict[int, PendingEdits]:
    """The pending edits of each of ``case_ids`` that has any (one query)."""
    ids = sorted(set(case_ids))
    found: dict[int, PendingEdits] = {}
    if not ids:
        return found
    rows = session.execute(
        select(OutboxRow.case_id, OutboxRow.operation, OutboxRow.payload_json)
        .where(OutboxRow.case_id.in_(ids), OutboxRow.state.in_(UNDELIVERED_STATES))
        .order_by(OutboxRow.id)
    )
    for case_id, operation, payload_json in rows:
        payload = _payload(payload_json)
        fields = fields_of(OutboxOperation(operation), payload)
        if not fields or case_id is None:
            continue
        edits = found.setdefault(case_id, PendingEdits())
        for name in fields:
            key = BASED_ON_KEYS.get(name)
            if name not in edits.fields and key is not None and key in payload:
                value = payload[key]
                edits.based_on[name] = None if value is None else str(value)
        edits.fields |= fields
    return found


def _payload(text: str) -> dict[str, object]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
