"""ClockTick: one shared timer that tells views to redraw their relative times (no database involved).

Countdowns ("in 2 h 10 min") and ages ("5 min ago") move on with the clock, not with the data:
views connect to :func:`shared_tick` and repaint the affected cells from the rows they
already hold. One timer for the whole application keeps every countdown in step.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

TICK_MS = 30_000
"""Every half minute: enough for whole-minute countdowns, at most 30 s late at a threshold."""


class ClockTick(QObject):
    """Emits ``ticked`` every ``interval_ms`` while anyone listens.

    Signals:
        ticked(): time moved on; redraw relative times from the data already loaded.
    """

    ticked = Signal()

    def __init__(self, interval_ms: int = TICK_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.ticked)
        self._timer.start()

    @property
    def interval_ms(self) -> int:
        """How often ``ticked`` fires."""
        return self._timer.interval()

    def tick_now(self) -> None:
        """Emit ``ticked`` at once (after the clock jumped, e.g. the machine woke from sleep)."""
        self.ticked.emit()


_shared: list[ClockTick] = []  # at most one, alive while its application is


def shared_tick() -> ClockTick:
    """The application's tick (created on first use, owned by the application object)."""
    if not _shared or not shiboken6.isValid(_shared[0]):
        _shared[:] = [ClockTick(parent=QCoreApplication.instance())]
    return _shared[0]
