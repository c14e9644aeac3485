"""An outbox entry as the body of Zendesk's one write: ``PUT /api/v2/tickets/{id}.json``.

Each :class:`~core.domain.enums.OutboxOperation` becomes a :class:`PushPlan`: the ticket
changes (comment, status, group, assignee, priority, custom fields) and the Handoff fields
it sets, which a 409 turns into a side-by-side conflict.

- public reply, reminder, proposed resolution: a public comment (the resolution also moves
  the status), with the message's attached files (uploaded first: :mod:`.uploads`);
- internal note: a private comment, with its attached files;
- stage change: the status (a return to investigation adds its note privately);
- escalation, approval request and decision, closure: the status plus a private note with
  the details (tier in the tier field when the connection maps one);
- escalation also unassigns the ticket (the case waits for triage);
- assignment: ``group_id`` (the team's group: ``team_remote_id`` in the payload, else the
  connection's ``team_groups`` for ``team_key``) and ``assignee_id`` (the person's Zendesk user
  id, ``assignee_remote_id`` in the payload: the route writer puts ``people.remote_id`` there),
  plus the status when the route moved the stage;
- field update: the keys its payload names: ``priority``, ``tier``, ``product_area`` (or
  ``product_area_key``), team and assignee keys as for an assignment, ``stage``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.domain.enums import ApprovalKind, OutboxOperation
from core.outbox import JsonValue, OutboxEntry
from core.workflow.approvals import describe_request
from sync.connectors.base import PushRejected
from sync.connectors.zendesk.fields import ZendeskFields
from sync.connectors.zendesk.json_values import JsonObject, custom_field_values, id_text
from sync.connectors.zendesk.uploads import OutgoingFile, files_of

_TEAM_KEYS = ("team_id", "team_key", "team_remote_id")
_ASSIGNEE_KEYS = ("assignee_id", "assignee_email", "assignee_remote_id")
_PUBLIC_COMMENTS = frozenset({OutboxOperation.ADD_PUBLIC_REPLY, OutboxOperation.PROPOSE_RESOLUTION})


@dataclass(frozen=True)
class PushPlan:
    """What one entry changes on the ticket.

    ``changes`` is the ``ticket`` object of the PUT (without the concurrency and marker keys
    the connector adds); ``local`` holds the Handoff fields it sets and their values
    ("stage", "team", "assignee", "priority", "tier", "product_area"), as a conflict shows them;
    ``files`` are the comment's attachments, uploaded before the PUT (see :meth:`with_uploads`).
    """

    changes: JsonObject
    local: dict[str, str | None] = field(default_factory=dict)
    files: tuple[OutgoingFile, ...] = ()

    def with_uploads(self, tokens: list[str]) -> JsonObject:
        """``changes`` with the comment naming the uploaded files' ``tokens`` (none: as they are)."""
        if not tokens or not self.has_comment:
            return dict(self.changes)
        comment = self.changes["comment"]
        assert isinstance(comment, dict)
        return {**self.changes, "comment": {**comment, "uploads": list(tokens)}}

    @property
    def has_comment(self) -> bool:
        """Whether the push adds a comment (not idempotent: it must land exactly once)."""
        return "comment" in self.changes

    def applied_to(self, ticket: JsonObject) -> bool:
        """Whether ``ticket`` already shows every field change of the plan (a comment never counts)."""
        if self.has_comment:
            return False
        for key, value in self.changes.items():
            if key == "custom_fields":
                current = custom_field_values(ticket)
                if any(current.get(str(item["id"])) != item["value"] for item in value):
                    return False
            elif ticket.get(key) != value:
                return False
        return True


def plan_push(entry: OutboxEntry, fields: ZendeskFields) -> PushPlan:
    """The Zendesk changes of ``entry``; raises :class:`PushRejected` when it cannot be expressed."""
    payload = entry.payload
    operation = entry.operation
    builder = _PlanBuilder(fields)
    if operation in (OutboxOperation.ADD_PUBLIC_REPLY, OutboxOperation.ADD_INTERNAL_NOTE):
        builder.comment(payload, public=operation in _PUBLIC_COMMENTS)
        return builder.plan()
    if operation is OutboxOperation.PROPOSE_RESOLUTION:
        builder.comment(payload, public=True)
    elif operation is OutboxOperation.ESCALATE:
        builder.tier(payload.get("tier"))
        builder.assignee({"assignee_id": None})  # an escalation waits for triage, unassigned
        if payload.get("team_remote_id") is not None or payload.get("team_key"):
            builder.team(payload)
        builder.note(_escalation_note(payload))
    elif operation is OutboxOperation.REQUEST_APPROVAL:
        builder.note(_approval_request_note(payload))
    elif operation is OutboxOperation.DECIDE_APPROVAL:
        builder.note(_approval_decision_note(payload))
    elif operation is OutboxOperation.CLOSE_CASE:
        builder.note(_closure_note(payload))
    elif operation is OutboxOperation.CHANGE_STAGE:
        builder.note(_text(payload.get("note")) or _feedback_note(payload))
    elif operation is OutboxOperation.ASSIGN:
        builder.team(payload)
        builder.assignee(payload)
    elif operation is OutboxOperation.UPDATE_FIELDS:
        builder.priority(payload.get("priority"))
        builder.tier(payload.get("tier"))
        builder.product_area(payload.get("product_area", payload.get("product_area_key")))
        if any(key in payload for key in _TEAM_KEYS):
            builder.team(payload)
        if any(key in payload for key in _ASSIGNEE_KEYS):
            builder.assignee(payload)
    builder.stage(payload.get("stage"))
    return builder.plan()


class _PlanBuilder:
    """Collects the changes of one plan."""

    def __init__(self, fields: ZendeskFields) -> None:
        self._fields = fields
        self._changes: JsonObject = {}
        self._custom: list[JsonObject] = []
        self._local: dict[str, str | None] = {}
        self._files: tuple[OutgoingFile, ...] = ()

    def plan(self) -> PushPlan:
        changes = dict(self._changes)
        if self._custom:
            changes["custom_fields"] = list(self._custom)
        if not changes:
            raise PushRejected("This change has nothing Zendesk can record (no comment and no field to set).")
        return PushPlan(changes, dict(self._local), self._files)

    def comment(self, payload: Mapping[str, JsonValue], *, public: bool) -> None:
        html = _text(payload.get("body_html"))
        plain = _text(payload.get("body_text")) or _text(payload.get("body"))
        if not (html or plain).strip():
            raise PushRejected("The message is empty, so there is nothing to post on the ticket.")
        comment: JsonObject = {"html_body": html} if html else {"body": plain}
        comment["public"] = public
        self._changes["comment"] = comment
        self._files = files_of(payload)

    def note(self, body: str) -> None:
        if body.strip():
            self._changes["comment"] = {"body": body.strip(), "public": False}

    def stage(self, stage: JsonValue) -> None:
        if not isinstance(stage, str):
            return
        status = self._fields.status_of(stage)
        if status is not None:
            self._changes["status"] = status
            self._local["stage"] = stage

    def priority(self, priority: JsonValue) -> None:
        if not isinstance(priority, str):
            return
        value = self._fields.priorities_out.get(priority)
        if value is None:
            raise PushRejected(
                f"The priority {priority!r} has no Zendesk priority in this connection's mapping."
            )
        self._changes["priority"] = value
        self._local["priority"] = priority

    def tier(self, tier: JsonValue) -> None:
        if self._fields.tier_field_id is None or isinstance(tier, bool) or not isinstance(tier, int):
            return
        self._custom.append({"id": _zendesk_id(self._fields.tier_field_id), "value": tier})
        self._local["tier"] = str(tier)

    def product_area(self, area: JsonValue) -> None:
        if self._fields.product_area_field_id is None or not isinstance(area, str):
            return
        self._custom.append({"id": _zendesk_id(self._fields.product_area_field_id), "value": area})
        self._local["product_area"] = area

    def team(self, payload: Mapping[str, JsonValue]) -> None:
        team_key = _text(payload.get("team_key"))
        if payload.get("team_id") is None and not team_key and payload.get("team_remote_id") is None:
            return  # no team: Zendesk's group stays as it is
        group = id_text(payload.get("team_remote_id")) or self._fields.team_groups.get(team_key)
        if group is None:
            raise PushRejected(
                f"The team {team_key or payload.get('team_id')!s} has no Zendesk group; "
                "map it to a group in the connection's settings, then retry."
            )
        self._changes["group_id"] = _zendesk_id(group)
        self._local["team"] = group

    def assignee(self, payload: Mapping[str, JsonValue]) -> None:
        if payload.get("assignee_id") is None and payload.get("assignee_remote_id") is None:
            self._changes["assignee_id"] = None
            self._local["assignee"] = None
            return
        assignee = id_text(payload.get("assignee_remote_id"))
        if assignee is None:
            who = _text(payload.get("assignee_email")) or f"person #{payload.get('assignee_id')}"
            raise PushRejected(
                f"{who} has no Zendesk user yet, so the ticket cannot be assigned to them in Zendesk. "
                "Sync the agents from Zendesk (or assign someone who has a Zendesk user), then retry."
            )
        self._changes["assignee_id"] = _zendesk_id(assignee)
        self._local["assignee"] = assignee


def _zendesk_id(remote_id: str) -> int | str:
    """Zendesk ids are int64 numbers in JSON."""
    return int(remote_id) if remote_id.isdigit() else remote_id


def _text(value: JsonValue | Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _escalation_note(payload: Mapping[str, JsonValue]) -> str:
    tier = payload.get("tier")
    missing = payload.get("missing_readiness")
    missing_text = ", ".join(str(item) for item in missing) if isinstance(missing, list) else ""
    return _lines(
        f"Escalated to tier {tier} in Handoff: {_text(payload.get('reason'))}",
        f"Justification: {_text(payload.get('justification'))}"
        if _text(payload.get("justification"))
        else "",
        f"Override: {_text(payload.get('override_reason'))}" if _text(payload.get("override_reason")) else "",
        f"Readiness items missing: {missing_text}" if missing_text else "",
    )


def _approval_what(payload: Mapping[str, JsonValue]) -> str:
    kind = payload.get("approval_kind")
    amount = payload.get("amount_cents")
    currency = payload.get("currency")
    try:
        approval_kind = ApprovalKind(kind) if isinstance(kind, str) else None
    except ValueError:
        approval_kind = None
    if approval_kind is None:
        return f"request #{payload.get('approval_id')}"
    return describe_request(
        approval_kind,
        amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
        currency if isinstance(currency, str) else None,
    )


def _approval_request_note(payload: Mapping[str, JsonValue]) -> str:
    return _lines(
        f"Approval requested in Handoff: {_approval_what(payload)}",
        f"Justification: {_text(payload.get('justification'))}",
    )


def _approval_decision_note(payload: Mapping[str, JsonValue]) -> str:
    decision = _text(payload.get("decision")) or "decided"
    return _lines(
        f"Approval request #{payload.get('approval_id')} {decision} in Handoff.",
        f"Comment: {_text(payload.get('comment'))}" if _text(payload.get("comment")) else "",
    )


def _closure_note(payload: Mapping[str, JsonValue]) -> str:
    defect = _text(payload.get("defect_key"))
    defect_url = _text(payload.get("defect_url"))
    follow_ups = payload.get("follow_ups")
    follow_lines = []
    for item in follow_ups if isinstance(follow_ups, list) else []:
        if isinstance(item, dict):
            extras = ", ".join(_text(item.get(key)) for key in ("owner", "due_date") if _text(item.get(key)))
            follow_lines.append(f"- {_text(item.get('text'))}" + (f" ({extras})" if extras else ""))
    category = _text(payload.get("root_cause_category"))
    detail = _text(payload.get("root_cause_detail"))
    return _lines(
        "Closed in Handoff.",
        f"Resolution: {_text(payload.get('resolution_summary'))}",
        f"Root cause: {category}" + (f": {detail}" if detail else ""),
        f"Defect: {defect}" + (f" ({defect_url})" if defect_url else "") if defect else "",
        "Follow-ups:" if follow_lines else "",
        *follow_lines,
    )


def _feedback_note(payload: Mapping[str, JsonValue]) -> str:
    feedback = _text(payload.get("customer_feedback"))
    return _lines(_text(payload.get("reason")), f"Customer feedback: {feedback}") if feedback else ""
