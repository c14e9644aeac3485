"""Tickets moving into a connection's custom-field scope, read from the ticket events export.

:func:`~sync.connectors.zendesk.mapping.tickets_entering_scope` covers groups and tags; a scope
that names a custom field (``ConnectionScope.custom_field_id``, with the values that count or
any value) needs the same for changes of that field, so a ticket another agent puts into the
scope comes with the comments written while it was outside.

A custom field change appears among an audit's child events keyed by the field's id (as the
audits API names it in ``field_name``), or inside ``custom_ticket_fields``; both are read.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.remote.dtos import ConnectionScope
from sync.connectors.zendesk.json_values import JsonObject, id_text, ticket_changes


def has_criteria(scope: ConnectionScope) -> bool:
    """Whether the scope leaves some tickets out (an empty scope takes every ticket)."""
    return bool(scope.group_ids or scope.tags or scope.custom_field_id)


def tickets_entering_custom_field_scope(events: Iterable[JsonObject], scope: ConnectionScope) -> set[str]:
    """Tickets whose scope custom field the events set to a value in the scope (from one outside it)."""
    field_id = scope.custom_field_id
    if not field_id:
        return set()
    entering: set[str] = set()
    for ticket_id, change in ticket_changes(events):
        found, value = _field_change(change, field_id)
        if found and _matches(value, scope) and not _matches(change.get("previous_value"), scope):
            entering.add(ticket_id)
    return entering


def _field_change(child: JsonObject, field_id: str) -> tuple[bool, object]:
    """Whether the change event is one of the field ``field_id``, and the value it set."""
    if field_id in child:
        return True, child[field_id]
    if id_text(child.get("field_name")) == field_id:
        return True, child.get("value")
    custom = child.get("custom_ticket_fields")
    if isinstance(custom, dict) and field_id in custom:
        return True, custom[field_id]
    return False, None


def _matches(value: object, scope: ConnectionScope) -> bool:
    """Whether a value of the scope's custom field puts a ticket in the scope (as ``in_scope`` reads
    a ticket: any value set, or one of the scope's values)."""
    if value is None:
        return False
    return not scope.custom_field_values or str(value) in scope.custom_field_values
