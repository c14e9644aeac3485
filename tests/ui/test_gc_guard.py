"""Garbage collected on the Qt thread in small steps: the young generations often, a full
collection (which walks every long-lived object and stalls the window) at most once a minute."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from desktop.gc_guard import QtThreadGarbageCollector


@pytest.fixture
def collected() -> Iterator[list[int]]:
    """The generations collected while the test runs."""
    generations: list[int] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.callbacks.append(on_gc)
    yield generations
    gc.callbacks.remove(on_gc)


def _full_collection_due() -> None:
    for _ in range(gc.get_threshold()[2] + 1):
        gc.collect(1)  # each counts towards the oldest generation


def test_a_full_collection_waits_for_its_interval_and_the_middle_generation_goes_meanwhile(
    qapp: QApplication, collected: list[int]
) -> None:
    collector = QtThreadGarbageCollector(qapp, full_every_s=3600)
    try:
        _full_collection_due()
        collected.clear()
        collector.collect_if_due()
        assert collected == [1]  # not a full collection: one ran less than an hour ago (start-up)
    finally:
        collector.stop()


def test_a_full_collection_runs_once_its_interval_has_passed(
    qapp: QApplication, collected: list[int]
) -> None:
    collector = QtThreadGarbageCollector(qapp, full_every_s=0)
    try:
        _full_collection_due()
        collected.clear()
        collector.collect_if_due()
        assert collected == [2]
    finally:
        collector.stop()
