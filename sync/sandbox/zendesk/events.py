"""The time order of every audit in the account: what the incremental ticket events export walks through.

Three parallel arrays (timestamp, ticket id, audit number) sorted by
timestamp keep 600,000 seeded audits in a few megabytes. The index is
rebuilt lazily after seeding and kept in order as the API adds audits.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable


class AuditTimeline:
    """(timestamp, ticket id, audit number) entries in timestamp order (the store locks around it)."""

    def __init__(self) -> None:
        self._stamps = array("q")
        self._ticket_ids = array("q")
        self._audits = array("l")

    def __len__(self) -> int:
        return len(self._stamps)

    def rebuild(self, entries: Iterable[tuple[int, int, int]]) -> None:
        """Replace the index with ``entries`` (in any order)."""
        ordered = sorted(entries)
        self._stamps = array("q", (entry[0] for entry in ordered))
        self._ticket_ids = array("q", (entry[1] for entry in ordered))
        self._audits = array("l", (entry[2] for entry in ordered))

    def add(self, stamp: int, ticket_id: int, audit_number: int) -> None:
        """Insert one audit, after any others with the same timestamp."""
        position = bisect_right(self._stamps, stamp)
        self._stamps.insert(position, stamp)
        self._ticket_ids.insert(position, ticket_id)
        self._audits.insert(position, audit_number)

    def page(self, start_time: int, limit: int) -> tuple[list[tuple[int, int, int]], int, bool]:
        """Up to ``limit`` entries from ``start_time`` on (more only to keep one second on one page).

        Returns the entries, the next start time and whether the stream ended.
        """
        first = bisect_left(self._stamps, start_time)
        end = min(first + limit, len(self._stamps))
        if first < end < len(self._stamps):
            end = bisect_right(self._stamps, self._stamps[end - 1])
        entries = [
            (self._stamps[index], self._ticket_ids[index], self._audits[index]) for index in range(first, end)
        ]
        next_start = entries[-1][0] + 1 if entries else start_time
        return entries, next_start, end >= len(self._stamps)
