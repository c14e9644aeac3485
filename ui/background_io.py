"""BackgroundIo: run blocking file work on the helper executor, get the result on the Qt thread.

The UI thread never blocks on a disk (a network drive can take seconds): reading
or writing a user-chosen file goes through here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.qt_lifetime import receiver_alive

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class BackgroundIo(QObject):
    """Runs functions on an executor and calls back on the thread this object lives in (the Qt thread).

    Signals:
        _finished(object, object, object): internal; (future, on_result, on_error), queued to this thread.
    """

    _finished = Signal(object, object, object)

    def __init__(self, executor: Executor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._finished.connect(self._on_self_finished)

    def run(
        self, fn: Callable[..., Any], *args: Any, on_result: ResultCallback, on_error: ErrorCallback
    ) -> None:
        """Run ``fn(*args)`` in the background; exactly one of the callbacks follows on the Qt thread."""
        future = self._executor.submit(fn, *args)
        future.add_done_callback(lambda done: self._announce(done, on_result, on_error))

    def _announce(self, future: Future[Any], on_result: ResultCallback, on_error: ErrorCallback) -> None:
        # Runs on the executor's thread; the queued signal hops to the Qt thread.
        with contextlib.suppress(RuntimeError):  # this object (and its owner) was deleted meanwhile
            self._finished.emit(future, on_result, on_error)

    def _on_self_finished(
        self, future: Future[Any], on_result: ResultCallback, on_error: ErrorCallback
    ) -> None:
        error = future.exception()
        if error is not None:
            if receiver_alive(on_error):
                on_error(error)
        elif receiver_alive(on_result):
            on_result(future.result())
