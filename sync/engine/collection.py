"""Python's cyclic garbage collector held back while a pull merges pages, collected between groups.

A first sync allocates tens of millions of short-lived objects (decoded JSON, the connector's
records, the merge's rows). With automatic collection on, every few hundred allocations
start a collection on whichever thread allocates, and the older generations — which hold the
pages pulled ahead — are walked again and again: a third of a headless first sync's time went
there. None of those objects form cycles that matter before the group is merged, so while a
pull runs the collector waits, and the young generations are collected once per merged group
(what a group left behind in cycles, a Session and its rows, is freed there; memory stays
bounded). When the pull ends automatic collection comes back as it was.

In the window the collector is already off: :mod:`desktop.gc_guard` runs it on the Qt thread
on a timer. Then this does nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# After a merged group: the young and middle generations (what the group allocated and kept).
BETWEEN_GROUPS_GENERATION = 1


class PullCollection:
    """What :func:`collector_held_back` hands out: call :meth:`group_merged` after each group."""

    def __init__(self, managed_here: bool) -> None:
        self.managed_here = managed_here

    def group_merged(self) -> None:
        """Collect what the group just merged left in cycles (only when this pull paused the collector)."""
        if self.managed_here:
            gc.collect(BETWEEN_GROUPS_GENERATION)


@contextmanager
def collector_held_back() -> Iterator[PullCollection]:
    """While pulling: no automatic collection; the caller collects between groups.

    Does nothing when automatic collection is already off (the window manages it).
    """
    if not gc.isenabled():
        yield PullCollection(managed_here=False)
        return
    gc.disable()
    try:
        yield PullCollection(managed_here=True)
    finally:
        gc.enable()
