"""A connection's scope and field mapping as the JSON text stored on its row, and back.

Pairs are stored as lists of two texts so the order the user gave them in survives a round trip.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from core.remote.dtos import ConnectionScope, FieldMapping

Pairs = tuple[tuple[str, str], ...]


def scope_to_json(scope: ConnectionScope) -> str:
    """``scope`` as stored text."""
    return json.dumps(
        {
            "group_ids": list(scope.group_ids),
            "tags": list(scope.tags),
            "custom_field_id": scope.custom_field_id,
            "custom_field_values": list(scope.custom_field_values),
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def scope_from_json(text: str | None) -> ConnectionScope:
    """The scope stored as ``text`` (an empty or unreadable text: every ticket)."""
    data = _object(text)
    return ConnectionScope(
        group_ids=_texts(data.get("group_ids")),
        tags=_texts(data.get("tags")),
        custom_field_id=_optional_text(data.get("custom_field_id")),
        custom_field_values=_texts(data.get("custom_field_values")),
    )


def mapping_to_json(mapping: FieldMapping) -> str:
    """``mapping`` as stored text."""
    return json.dumps(
        {
            "stage_statuses": [list(pair) for pair in mapping.stage_statuses],
            "status_stages": [list(pair) for pair in mapping.status_stages],
            "team_groups": [list(pair) for pair in mapping.team_groups],
            "tier_field_id": mapping.tier_field_id,
            "product_area_field_id": mapping.product_area_field_id,
            "priority_values": [list(pair) for pair in mapping.priority_values],
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def mapping_from_json(text: str | None, default: FieldMapping) -> FieldMapping:
    """The mapping stored as ``text``; ``default`` when nothing was stored."""
    data = _object(text)
    if not data:
        return default
    return FieldMapping(
        stage_statuses=_pairs(data.get("stage_statuses")),
        status_stages=_pairs(data.get("status_stages")),
        team_groups=_pairs(data.get("team_groups")),
        tier_field_id=_optional_text(data.get("tier_field_id")),
        product_area_field_id=_optional_text(data.get("product_area_field_id")),
        priority_values=_pairs(data.get("priority_values")),
    )


def _object(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(item) for item in value if item is not None)


def _optional_text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _pairs(value: object) -> Pairs:
    if not isinstance(value, Iterable) or isinstance(value, str | bytes | dict):
        return ()
    pairs: list[tuple[str, str]] = []
    for item in value:
        if isinstance(item, list | tuple) and len(item) == 2:
            pairs.append((str(item[0]), str(item[1])))
    return tuple(pairs)
