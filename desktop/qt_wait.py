"""Waiting for a Qt signal outside a coroutine (one-shot CLI commands such as screenshot and bench)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance


class SignalTimeout(TimeoutError):
    """The awaited signal did not arrive in time."""


def wait_for_signal(signal: SignalInstance, timeout_ms: int, what: str) -> tuple[Any, ...]:
    """Run a local event loop until ``signal`` fires; returns its arguments.

    Only for code that owns the main thread outright (CLI commands); the GUI
    itself never blocks on a signal.
    """
    loop = QEventLoop()
    received: list[tuple[Any, ...]] = []

    def _on_signal(*args: Any) -> None:
        received.append(args)
        loop.quit()

    signal.connect(_on_signal)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(timeout_ms)
    try:
        loop.exec()
    finally:
        timer.stop()
        signal.disconnect(_on_signal)
    if not received:
        raise SignalTimeout(f"timed out after {timeout_ms / 1000:.0f} s waiting for {what}")
    return received[0]


def process_events_for(milliseconds: int) -> None:
    """Let queued events (layouts, paints) run for a moment."""
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()
