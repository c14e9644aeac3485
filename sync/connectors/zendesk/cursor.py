"""The connector's sync cursor: where the ticket export and the ticket events export stand.

One pull walks two Zendesk feeds in turn: the incremental ticket export (cursor based)
until its end of stream, then the incremental ticket events export (time based, with
``comment_events``) for the comments written since the last pass. Both positions travel in
one opaque text, so the engine saves a single cursor per connection with each page.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from enum import StrEnum

_PREFIX = "zd1:"


class Phase(StrEnum):
    """Which feed the next pull reads."""

    TICKETS = "tickets"
    EVENTS = "events"


@dataclass(frozen=True)
class SyncCursor:
    """``tickets``: the ticket export's ``after_cursor`` (None: start at time 0);
    ``events_from``: the Unix time the next ticket events pass starts at."""

    phase: Phase = Phase.TICKETS
    tickets: str | None = None
    events_from: int = 0

    def encode(self) -> str:
        """The cursor as the engine stores it."""
        data = {"p": self.phase.value, "t": self.tickets, "e": self.events_from}
        packed = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()
        return _PREFIX + packed

    @classmethod
    def decode(cls, cursor: str | None) -> SyncCursor:
        """The cursor saved after a page (None: a first sync). ``ValueError`` for a foreign one."""
        if cursor is None:
            return cls()
        if not cursor.startswith(_PREFIX):
            raise ValueError(f"not a Zendesk connector cursor: {cursor[:40]!r}")
        try:
            data = json.loads(base64.urlsafe_b64decode(cursor[len(_PREFIX) :].encode()))
            tickets = data["t"]
            events_from = data["e"]
            phase = Phase(data["p"])
        except (binascii.Error, ValueError, KeyError, TypeError) as error:
            raise ValueError(f"unreadable Zendesk connector cursor: {error}") from None
        if tickets is not None and not isinstance(tickets, str):
            raise ValueError("unreadable Zendesk connector cursor: bad ticket cursor")
        if not isinstance(events_from, int):
            raise ValueError("unreadable Zendesk connector cursor: bad events start time")
        return cls(phase=phase, tickets=tickets, events_from=events_from)
