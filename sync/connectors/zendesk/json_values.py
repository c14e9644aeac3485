"""Typed reading of Zendesk's JSON answers: objects, lists, ids as text, ISO times.

Zendesk adds fields over time and leaves many null; these helpers read what is there and
never fail on what is not, so the mapping code stays short and mypy-checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

JsonObject = dict[str, Any]


def obj(value: Any) -> JsonObject:
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def objects(value: Any) -> list[JsonObject]:
    """The JSON objects in ``value`` when it is a list (anything else is skipped)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def text(value: Any) -> str:
    """A string field ("" for null or anything else)."""
    return value if isinstance(value, str) else ""


def optional_text(value: Any) -> str | None:
    """A string field, None when null or empty."""
    return value if isinstance(value, str) and value else None


def id_text(value: Any) -> str | None:
    """A Zendesk id (int64 in JSON, sometimes a string in audit events) as text; None for null."""
    if type(value) is int:  # the usual case first: a JSON number (never a bool here)
        return str(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def as_int(value: Any) -> int | None:
    """A whole number from an int or a numeric string (custom field values arrive as either)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def moment(value: Any) -> datetime | None:
    """An aware UTC datetime from Zendesk's ``2023-09-18T15:57:42Z`` (None when absent or unreadable)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def stamp(moment_value: datetime) -> str:
    """Zendesk's ISO form of a UTC moment (``updated_stamp``)."""
    return moment_value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def custom_field_values(ticket: JsonObject) -> dict[str, Any]:
    """The ticket's custom field values by field id (as text)."""
    values: dict[str, Any] = {}
    for item in objects(ticket.get("custom_fields")):
        field_id = id_text(item.get("id"))
        if field_id is not None:
            values[field_id] = item.get("value")
    return values


def handoff_key(metadata: Any) -> str | None:
    """Handoff's idempotency marker in an audit's or comment's ``metadata.custom``, if any."""
    custom = metadata.get("custom") if isinstance(metadata, dict) else None
    return optional_text(custom.get(MARKER_FIELD)) if isinstance(custom, dict) and custom else None


MARKER_FIELD = "handoff_key"
"""The key of ``metadata.custom`` carrying an outbox entry's idempotency key."""


def ticket_changes(events: Iterable[JsonObject]) -> Iterator[tuple[str, JsonObject]]:
    """Each field change (``Change`` child event) of the ticket events, with its ticket's id."""
    for event in events:
        ticket_id = id_text(event.get("ticket_id"))
        if ticket_id is None:
            continue
        for child in objects(event.get("child_events")):
            if child.get("event_type") == "Change":
                yield ticket_id, child
