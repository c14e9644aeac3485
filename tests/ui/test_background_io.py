"""BackgroundIo: file work off the UI thread; results come back on it, never to a deleted widget."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.background_io import BackgroundIo


@pytest.fixture
def files() -> Iterator[BackgroundIo]:
    executor = ThreadPoolExecutor(max_workers=1)
    yield BackgroundIo(executor)
    executor.shutdown(wait=True)


def test_the_result_arrives_on_the_ui_thread(qtbot: QtBot, files: BackgroundIo) -> None:
    seen: list[tuple[str, bool]] = []

    files.run(
        lambda: threading.current_thread() is not threading.main_thread(),
        on_result=lambda off_thread: seen.append(
            ("result", off_thread and threading.current_thread() is threading.main_thread())
        ),
        on_error=lambda error: seen.append(("error", False)),
    )

    qtbot.waitUntil(lambda: seen == [("result", True)])


def test_a_failure_goes_to_on_error(qtbot: QtBot, files: BackgroundIo) -> None:
    errors: list[BaseException] = []

    files.run(Path("/nonexistent/handoff.toml").read_text, on_result=lambda _r: None, on_error=errors.append)

    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], FileNotFoundError)


def test_a_widget_deleted_meanwhile_is_not_called_back(qtbot: QtBot, files: BackgroundIo) -> None:
    gate = threading.Event()
    label = QLabel()
    label_callback = partial(label.setText)
    files.run(gate.wait, on_result=label_callback, on_error=print)
    label.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(label))
    done: list[bool] = []

    gate.set()
    files.run(lambda: True, on_result=done.append, on_error=print)

    qtbot.waitUntil(lambda: done == [True])  # the late results were dropped, nothing raised
