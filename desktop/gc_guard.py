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

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 500


class QtThreadGarbageCollector(QObject):
    """Disables automatic GC and collects on the Qt thread when a generation's threshold is reached."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()

    def collect_if_due(self) -> None:
        """Collect the oldest generation whose allocation count passed its threshold."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        """Stop the timer and give collection back to Python."""
        self._timer.stop()
        gc.enable()
