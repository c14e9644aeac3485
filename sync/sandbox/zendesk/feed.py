"""The order in which tickets changed: what the incremental export walks through.

Every change of a ticket appends an entry (sequence number, ticket id,
generated timestamp); the ticket's earlier entries become stale and are
skipped (and compacted away once they outnumber the live ones). Sequence
numbers and timestamps only grow, so both ``start_time`` and a cursor are a
binary search away.
"""

from __future__ import annotations

import base64
import binascii
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

_COMPACT_SLACK = 1000


@dataclass(frozen=True)
class FeedPosition:
    """Where an export page ended: the last sequence number and its timestamp."""

    seq: int
    stamp: int

    def cursor(self) -> str:
        """The opaque cursor (base64 of ``<epoch>.0||<seq>|``, shaped like Zendesk's)."""
        return base64.b64encode(f"{self.stamp}.0||{self.seq}|".encode()).decode()

    @classmethod
    def from_cursor(cls, cursor: str) -> FeedPosition:
        """Decode a cursor made by :meth:`cursor`; ``ValueError`` for anything else."""
        try:
            text = base64.b64decode(cursor, validate=True).decode()
            stamp_text, _, rest = text.partition("||")
            seq_text = rest.rstrip("|")
            return cls(seq=int(seq_text), stamp=int(float(stamp_text)))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise ValueError(f"invalid cursor {cursor!r}") from None


class ChangeFeed:
    """Tickets in the order of their last change (not thread-safe: the store locks around it)."""

    def __init__(self) -> None:
        self._seqs: list[int] = []
        self._ticket_ids: list[int] = []
        self._stamps: list[int] = []
        self._current: dict[int, int] = {}
        self._next_seq = 1

    def touch(self, ticket_id: int, stamp: int) -> None:
        """Record that ``ticket_id`` changed at ``stamp`` (moves it to the end of the feed)."""
        if self._stamps and stamp < self._stamps[-1]:
            stamp = self._stamps[-1]
        seq = self._next_seq
        self._next_seq += 1
        self._seqs.append(seq)
        self._ticket_ids.append(ticket_id)
        self._stamps.append(stamp)
        self._current[ticket_id] = seq
        if len(self._seqs) > 2 * len(self._current) + _COMPACT_SLACK:
            self._compact()

    def position_before(self, start_time: int) -> FeedPosition:
        """The position just before the first change at or after ``start_time``."""
        index = bisect_left(self._stamps, start_time)
        if index == 0:
            return FeedPosition(seq=0, stamp=start_time)
        return FeedPosition(seq=self._seqs[index - 1], stamp=self._stamps[index - 1])

    def page_after(self, position: FeedPosition, limit: int) -> tuple[list[int], FeedPosition, bool]:
        """Up to ``limit`` ticket ids changed after ``position``, the new position, and end of stream."""
        index = bisect_right(self._seqs, position.seq)
        ticket_ids: list[int] = []
        last = position
        total = len(self._seqs)
        while index < total and len(ticket_ids) < limit:
            seq, ticket_id = self._seqs[index], self._ticket_ids[index]
            if self._current.get(ticket_id) == seq:
                ticket_ids.append(ticket_id)
                last = FeedPosition(seq=seq, stamp=self._stamps[index])
            index += 1
        end_of_stream = not any(
            self._current.get(self._ticket_ids[later]) == self._seqs[later] for later in range(index, total)
        )
        return ticket_ids, last, end_of_stream

    def page_from_time(self, start_time: int, limit: int) -> tuple[list[int], int, bool]:
        """The time-based export: tickets last changed at or after ``start_time``, up to ``limit``.

        Like Zendesk it never splits one second across pages (the page grows
        instead); returns the ticket ids, the next start time (last second + 1)
        and whether the stream ended.
        """
        index = bisect_left(self._stamps, start_time)
        ticket_ids: list[int] = []
        last_stamp: int | None = None
        total = len(self._seqs)
        while index < total:
            stamp = self._stamps[index]
            if len(ticket_ids) >= limit and stamp != last_stamp:
                break
            ticket_id = self._ticket_ids[index]
            if self._current.get(ticket_id) == self._seqs[index]:
                ticket_ids.append(ticket_id)
                last_stamp = stamp
            index += 1
        end_of_stream = not any(
            self._current.get(self._ticket_ids[later]) == self._seqs[later] for later in range(index, total)
        )
        next_start = last_stamp + 1 if last_stamp is not None else start_time
        return ticket_ids, next_start, end_of_stream

    def _compact(self) -> None:
        live = [
            (seq, ticket_id, stamp)
            for seq, ticket_id, stamp in zip(self._seqs, self._ticket_ids, self._stamps, strict=True)
            if self._current.get(ticket_id) == seq
        ]
        self._seqs = [entry[0] for entry in live]
        self._ticket_ids = [entry[1] for entry in live]
        self._stamps = [entry[2] for entry in live]
