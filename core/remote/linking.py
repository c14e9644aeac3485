"""Which local timeline event a delivered comment is (the entry's own event, found by its payload)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.db.models import TimelineEventRow
from core.domain.enums import EventKind, OutboxOperation

# Operations whose comment the customer sees (a public reply); the others post an internal note.
PUBLIC_OPERATIONS = frozenset({OutboxOperation.ADD_PUBLIC_REPLY, OutboxOperation.PROPOSE_RESOLUTION})


def comment_event(
    events: Sequence[TimelineEventRow], payload: Mapping[str, object], public: bool
) -> TimelineEventRow | None:
    """The event the payload names (``event_id``), else the first reply (``public``) or internal
    note of ``events`` that has no remote id yet."""
    event_id = payload.get("event_id")
    for event in events:
        if event.id == event_id:
            return event
    wanted = EventKind.AGENT_REPLY.value if public else EventKind.INTERNAL_NOTE.value
    for event in events:
        if event.kind == wanted and event.remote_id is None:
            return event
    return None
