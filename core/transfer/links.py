"""Checking the links between the records of one imported case: every index points at a record.

Records refer to each other by index within their case (never by database
id); an index past the end of its list, or a timeline event claimed by two
outbox entries, is refused naming the field that holds it.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.transfer.fields import Invalid
from core.transfer.schema import CaseRecord


def check_links(record: CaseRecord) -> None:
    """Raise :class:`Invalid` for the first index in ``record`` that points at nothing."""
    escalations = len(record.escalations)
    events = len(record.timeline)
    _check("stage_transitions", "escalation", (t.escalation for t in record.stage_transitions), escalations)
    _check("closure_records", "escalation", (c.escalation for c in record.closure_records), escalations)
    _check("notes", "event", (note.event for note in record.notes), events)
    _check("resolution_proposals", "event", (p.event for p in record.resolution_proposals), events)
    _check("attachments", "event", (attachment.event for attachment in record.attachments), events)
    _check("case_routes", "escalation", (route.escalation for route in record.case_routes), escalations)
    _check("case_routes", "outbox", (route.outbox for route in record.case_routes), len(record.outbox))
    _check(
        "case_routes",
        "transition",
        (route.transition for route in record.case_routes),
        len(record.stage_transitions),
    )
    delivered_by: dict[int, int] = {}
    for position, entry in enumerate(record.outbox):
        for slot, event in enumerate(entry.events):
            field = f"outbox[{position}].events[{slot}]"
            _check_index(field, event, events, "timeline events")
            earlier = delivered_by.setdefault(event, position)
            if earlier != position:
                raise Invalid(field, f"timeline event {event} is already delivered by outbox[{earlier}]")


_NOUNS = {"escalation": "escalations", "outbox": "outbox entries", "transition": "stage transitions"}


def _check(records: str, key: str, indexes: Iterable[int | None], count: int) -> None:
    noun = _NOUNS.get(key, "timeline events")
    for position, index in enumerate(indexes):
        if index is not None:
            _check_index(f"{records}[{position}].{key}", index, count, noun)


def _check_index(field: str, index: int, count: int, noun: str) -> None:
    if index >= count:
        raise Invalid(field, f"{index} is not the index of one of this case's {count} {noun}")
