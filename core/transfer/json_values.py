"""How the ``handoff-export`` document writes values: timestamps, dates and stored JSON objects."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

JsonObject = dict[str, Any]


def format_timestamp(value: datetime) -> str:
    """``value`` as ISO-8601 in UTC with a ``Z`` suffix (microseconds only when present)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def optional_timestamp(value: datetime | None) -> str | None:
    """:func:`format_timestamp` of ``value``, or None."""
    return None if value is None else format_timestamp(value)


def optional_date(value: date | None) -> str | None:
    """``value`` as ``YYYY-MM-DD``, or None."""
    return None if value is None else value.isoformat()


def stored_object(text: str | None) -> JsonObject | None:
    """A JSON object stored as text; anything stored that is not an object is kept under "value"."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return {"value": text}
    return value if isinstance(value, dict) else {"value": value}


def object_text(value: JsonObject | None) -> str | None:
    """``value`` as the JSON text the database stores (None stays None, so a round trip is exact)."""
    return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)
