"""Garbage collection only on the Qt thread.

Python's cyclic collector runs on whichever thread happens to allocate when a
threshold is crossed; if that is the DB thread and the cycle holds a Qt
wrapper, Qt objects get destroyed off their thread and the process can crash.
So automatic collection is switched off and this timer runs the collector on
the Qt thread instead, with the same generation thresholds (the pattern
pyqtgraph and others use).
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

# Often: the young generation then holds only what every thread allocated in a few milliseconds
# (checked every 500 ms during a first sync, it held enough to stall the window for 300 ms).
CHECK_INTERVAL_MS = 10
# A full collection walks every long-lived object (tens of milliseconds while a sync holds pages):
# at most this often; meanwhile the middle generation is collected instead.
FULL_COLLECTION_EVERY_S = 60.0


def freeze_long_lived() -> None:
    """Leave every object alive now (modules, the window, caches) out of later collections.

    Called once start-up is over (the first inbox page shown, the sync modules imported): a
    full collection then walks only what came after instead of the whole heap.
    """
    gc.freeze()


class QtThreadGarbageCollector(QObject):
    """Disables automatic GC and collects on the Qt thread when a generation's threshold is reached."""

    def __init__(
        self,
        parent: QObject | None = None,
        interval_ms: int = CHECK_INTERVAL_MS,
        full_every_s: float = FULL_COLLECTION_EVERY_S,
    ) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._full_every_s = full_every_s
        self._last_full = time.monotonic()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()

    def collect_if_due(self) -> None:
        """Collect the oldest generation whose allocation count passed its threshold (a full
        collection at most every ``full_every_s``; the middle generation until then)."""
        counts = gc.get_count()
        full_due = counts[2] > self._thresholds[2]
        if full_due and time.monotonic() - self._last_full >= self._full_every_s:
            self._last_full = time.monotonic()
            gc.collect(2)
        elif full_due or counts[1] > self._thresholds[1]:
            gc.collect(1)
        elif counts[0] > self._thresholds[0]:
            gc.collect(0)

    def stop(self) -> None:
        """Stop the timer and give collection back to Python (frozen objects included)."""
        self._timer.stop()
        gc.unfreeze()
        gc.enable()
