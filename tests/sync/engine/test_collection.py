"""The collector is held back while a pull merges pages, and given back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from sync.engine.collection import collector_held_back


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_a_headless_pull_pauses_automatic_collection_and_restores_it() -> None:
    with collector_held_back() as collection:
        assert not gc.isenabled()
        assert collection.managed_here
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_collection_comes_back_even_when_the_pull_fails() -> None:
    with pytest.raises(RuntimeError), collector_held_back():
        raise RuntimeError("the host went away")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_cycles_left_by_a_merged_group_are_freed_between_groups() -> None:
    class Row:
        partner: object = None

    with collector_held_back() as collection:
        first, second = Row(), Row()
        first.partner, second.partner = second, first  # a cycle, like a Session and its rows
        del first, second
        unreachable_before = sum(1 for item in gc.get_objects() if type(item) is Row)
        collection.group_merged()
        unreachable_after = sum(1 for item in gc.get_objects() if type(item) is Row)
    assert (unreachable_before, unreachable_after) == (2, 0)


def test_the_window_keeps_managing_collection_itself() -> None:
    was_enabled = gc.isenabled()
    gc.disable()  # as desktop.gc_guard does in the window
    try:
        with collector_held_back() as collection:
            assert not collection.managed_here
            collection.group_merged()  # does nothing: the Qt thread's timer collects
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()
