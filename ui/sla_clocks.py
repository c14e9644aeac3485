"""SlaClockStrip: the case header's row of SLA clocks, one chip per clock, ticking every second.

``show_case`` reads :func:`core.sla.store.case_clocks` through :class:`DataAccess` (off the
UI thread). Between reads a 1-second timer recomputes the remaining times from each clock's
``due_at`` against the current time: no SQL per tick. A chip reads "Next reply · due in 1 h 12
min", "Resolution · paused", "First reply · met" or "Periodic update · overdue 20 min",
coloured by its risk at that moment; clicking a chip (or Enter on it) asks for the explanation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QPalette, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from core.db.types import utc_now
from core.sla.store import case_clocks
from core.sla.types import CaseClocks, Clock, ClockState, Risk, deadline_risk
from core.sla.vendor import VendorSlaTarget, vendor_targets
from ui.data_access import DataAccess
from ui.formatting import format_duration, format_short_timestamp, format_time_left
from ui.tones import Tone, accent, muted, tint

SLA_CLOCKS_KEY = "sla-clocks"
VENDOR_SLA_KEY = "sla-vendor-targets"
TICK_MS = 1000
Now = Callable[[], datetime]


def _tr(text: str) -> str:
    return QCoreApplication.translate("SlaClocks", text)


def duration_text(seconds: float) -> str:
    """A compact duration for a chip: "45 s", "25 min", "1 h 12 min", "2 d 3 h"."""
    total = int(abs(seconds))
    return _tr("{0} s").format(total) if total < 60 else format_duration(total)


def is_running(clock: Clock) -> bool:
    """Whether the clock counts towards a deadline now (running or already past it)."""
    return clock.due_at is not None and clock.state in (ClockState.RUNNING, ClockState.BREACHED)


def risk_at(clock: Clock, now: datetime) -> Risk:
    """The clock's risk at ``now``: a running clock moves into warning and breach as time passes."""
    if not is_running(clock) or clock.due_at is None:
        return clock.risk
    return deadline_risk(clock.due_at, clock.warning_at, now)


def chip_text(clock: Clock, now: datetime) -> str:
    """ "Next reply · due in 1 h 12 min", "Resolution · paused", "First reply · met", "… · overdue 20 min".

    The same words as the inbox's SLA column (:func:`ui.formatting.format_time_left`).
    """
    if is_running(clock) and clock.due_at is not None:
        left = (clock.due_at - now).total_seconds()
        status = format_time_left(left)
        if left >= 0:
            status = _tr("due {0}").format(status)
    else:
        status = {
            ClockState.PAUSED: _tr("paused"),
            ClockState.MET: _tr("met"),
            ClockState.MISSED: _tr("missed"),
        }.get(clock.state, clock.state.value)
    return f"{clock.label} · {status}"


def chip_tone(clock: Clock, now: datetime) -> Tone | None:
    """Breached or missed: danger; warning: warning; met: success; running fine: info; paused: none."""
    if clock.state is ClockState.MISSED:
        return Tone.DANGER
    if clock.state is ClockState.MET:
        return Tone.SUCCESS
    if clock.state is ClockState.PAUSED:
        return None
    return {Risk.BREACHED: Tone.DANGER, Risk.WARNING: Tone.WARNING, Risk.OK: Tone.INFO}.get(
        risk_at(clock, now)
    )


def chip_tooltip(clock: Clock, now: datetime) -> str:
    """A short summary: state, deadline, warning moment and counted time; how to see the rest."""
    lines = [chip_text(clock, now)]
    if clock.due_at is not None:
        lines.append(_tr("Due {0}").format(format_short_timestamp(clock.due_at)))
    if clock.warning_at is not None and is_running(clock):
        lines.append(_tr("Warning from {0}").format(format_short_timestamp(clock.warning_at)))
    if clock.stopped_at is not None:
        lines.append(_tr("Stopped {0}").format(format_short_timestamp(clock.stopped_at)))
    hours = _tr("business hours") if clock.business_hours else _tr("calendar hours")
    lines.append(
        _tr("Target {0} ({1}); counted {2}").format(
            duration_text(clock.target_seconds), hours, duration_text(clock.elapsed_seconds)
        )
    )
    if clock.pauses:
        lines.append(_tr("Paused {0}×").format(len(clock.pauses)))
    lines.append(_tr("Click or press S for the explanation and the pause ledger."))
    return "\n".join(lines)


class SlaClockStrip(QWidget):
    """One chip per SLA clock of the case shown; hidden while the case has none.

    Signals:
        explain_requested(): the user clicked a chip (or pressed Enter/Space on it).
        clocks_loaded(object): the clocks (a :class:`CaseClocks`) of the case arrived.
    """

    explain_requested = Signal()
    clocks_loaded = Signal(object)

    def __init__(
        self, data: DataAccess | None = None, *, now: Now = utc_now, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._data = data
        self._now = now
        self._case_id: int | None = None
        self._clocks: CaseClocks | None = None
        self._vendor: tuple[VendorSlaTarget, ...] = ()
        self._chips: list[QToolButton] = []
        self._caption = QLabel(self.tr("SLA"))
        self._caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._row.addWidget(self._caption)
        self._row.addStretch(1)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self.setAccessibleName(self.tr("SLA clocks"))
        self.setVisible(False)

    @property
    def clocks(self) -> CaseClocks | None:
        """The clocks shown (None before they arrive or when the case has none)."""
        return self._clocks

    @property
    def vendor_targets(self) -> tuple[VendorSlaTarget, ...]:
        """The helpdesk's own SLA targets for the case shown (synced; empty for a local case)."""
        return self._vendor

    @property
    def ticking(self) -> bool:
        """Whether the 1-second timer runs (only while a running clock is shown)."""
        return self._timer.isActive()

    def set_data_access(self, data: DataAccess) -> None:
        """Where ``show_case`` reads the clocks from."""
        self._data = data

    def show_case(self, case_id: int) -> None:
        """(Re-)read the clocks of case ``case_id`` off the UI thread; the chips follow."""
        if case_id != self._case_id:
            self.set_clocks(None)
            self._vendor = ()
        self._case_id = case_id
        if self._data is not None:
            self._data.read(
                vendor_targets,
                case_id,
                on_result=partial(self._on_vendor_loaded, case_id),
                key=VENDOR_SLA_KEY,
            )
            self._data.read(
                case_clocks,
                case_id,
                self._now(),
                on_result=self._on_clocks_loaded,
                on_error=self._on_clocks_failed,
                key=SLA_CLOCKS_KEY,
            )

    def set_clocks(self, clocks: CaseClocks | None) -> None:
        """Show ``clocks`` (None: nothing, the strip hides)."""
        self._clocks = clocks
        shown = clocks.clocks if clocks is not None else ()
        while len(self._chips) > len(shown):
            self._chips.pop().deleteLater()
        while len(self._chips) < len(shown):
            chip = QToolButton()
            chip.setAutoRaise(True)
            chip.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.clicked.connect(self.explain_requested)
            self._row.insertWidget(self._row.count() - 1, chip)
            self._chips.append(chip)
        self.setVisible(bool(shown))
        self.tick()

    def chip_texts(self) -> list[str]:
        """The chips' texts, in order (what a user reads)."""
        return [chip.text() for chip in self._chips]

    def chip_tones(self) -> list[Tone | None]:
        """The tone each chip is coloured with."""
        clocks = self._clocks.clocks if self._clocks is not None else ()
        now = self._now()
        return [chip_tone(clock, now) for clock in clocks]

    def chip(self, position: int) -> QToolButton:
        """The chip at ``position``."""
        return self._chips[position]

    def tick(self) -> None:
        """Recompute the chips' texts, colours and tooltips at the current time (no database)."""
        clocks = self._clocks.clocks if self._clocks is not None else ()
        now = self._now()
        palette = self.palette()
        for clock, chip in zip(clocks, self._chips, strict=True):
            text = chip_text(clock, now)
            chip.setText(text)
            chip.setAccessibleName(text)
            chip.setToolTip(chip_tooltip(clock, now))
            chip.setStyleSheet(self._chip_style(chip_tone(clock, now), palette))
        running = any(is_running(clock) for clock in clocks)
        if running and self.isVisible() and not self._timer.isActive():
            self._timer.start()
        elif not running:
            self._timer.stop()

    @staticmethod
    def _chip_style(tone: Tone | None, palette: QPalette) -> str:
        colour = accent(tone, palette) if tone is not None else muted(palette)
        background = (
            tint(tone, palette, 0.14) if tone is not None else palette.color(QPalette.ColorRole.Window)
        )
        border = colour.name()
        weight = "bold" if tone in (Tone.DANGER, Tone.WARNING) else "normal"
        return (
            f"QToolButton {{ color: {colour.name()}; background: {background.name()}; font-weight: {weight};"
            f" border: 1px solid {border}; border-radius: 9px; padding: 1px 8px; }}"
            f" QToolButton:focus {{ border-width: 2px; }}"
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.tick()  # catch up at once, and tick again while shown

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._timer.stop()  # nothing to update while nobody sees the chips

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.tick()

    def _on_clocks_loaded(self, clocks: CaseClocks) -> None:
        if clocks.case_id != self._case_id:
            return
        self.set_clocks(clocks)
        self.clocks_loaded.emit(clocks)

    def _on_vendor_loaded(self, case_id: int, targets: list[VendorSlaTarget]) -> None:
        if case_id == self._case_id:
            self._vendor = tuple(targets)

    def _on_clocks_failed(self, _error: BaseException) -> None:
        # No clocks to show (the engine could not compute them): the header simply has no SLA row.
        self.set_clocks(None)
