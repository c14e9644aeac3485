"""PageFeed: pages pulled ahead while earlier ones are merged, handed out in groups of bounded weight;
a failure only after the pages before it; nothing pulled after a stop is handed out."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from core.remote.dtos import RemoteComment, RemotePage
from sync.engine.pages import GroupSize, PageFeed
from sync.http import Unreachable
from tests.core.remote.builders import comment, ticket
from tests.sync.engine.fakes import page

pytestmark = pytest.mark.asyncio


def _comments(count: int, cursor: str) -> tuple[RemoteComment, ...]:
    return tuple(comment(f"{cursor}-{n}") for n in range(count))


class ScriptedPulls:
    """Answers pulls from a script (a page or an exception per pull), at once."""

    def __init__(self, *answers: RemotePage | Exception) -> None:
        self.answers = list(answers)
        self.asked: list[str | None] = []

    async def __call__(self, cursor: str | None) -> RemotePage:
        self.asked.append(cursor)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def _page(cursor: str, *, comments: int = 0, tickets: int = 0, end: bool = False) -> RemotePage:
    return replace(
        page(cursor, end=end),
        comments=_comments(comments, cursor),
        tickets=tuple(ticket(f"{cursor}-{n}") for n in range(tickets)),
    )


async def test_pages_that_arrived_meanwhile_come_as_one_group_of_bounded_weight() -> None:
    pulls = ScriptedPulls(
        _page("c1", comments=400),
        _page("c2", comments=400),
        _page("c3", tickets=200),  # a ticket weighs three comments
        _page("c4", comments=400, end=True),
    )
    feed = PageFeed(pulls, None, size=GroupSize(most=1000))
    await asyncio.sleep(0.01)  # every page arrives before the first group is asked for

    first = await feed.group()
    second = await feed.group()

    assert [p.cursor for p in first] == ["c1", "c2", "c3"]  # 400 + 400 + 600 passes 1,000: the group ends
    assert [p.cursor for p in second] == ["c4"]
    assert await feed.group() == []  # the stream ended
    assert pulls.asked == [None, "c1", "c2", "c3"]
    await feed.settle()


async def test_a_failed_pull_is_raised_after_the_pages_before_it() -> None:
    offline = Unreachable("acme.zendesk.com", "connection refused")
    pulls = ScriptedPulls(_page("c1", comments=10), _page("c2", comments=10), offline)
    feed = PageFeed(pulls, None)
    await asyncio.sleep(0.01)

    assert [p.cursor for p in await feed.group()] == ["c1", "c2"]  # merged (and their cursor saved)
    with pytest.raises(Unreachable):
        await feed.group()
    await feed.settle()


async def test_after_a_stop_the_page_in_flight_is_dropped_and_nothing_more_is_pulled() -> None:
    stopping = False
    on_its_way = asyncio.Event()
    pages = {None: _page("c1", comments=10), "c1": _page("c2", comments=10), "c2": _page("c3", comments=10)}
    asked: list[str | None] = []

    async def pull(cursor: str | None) -> RemotePage:
        asked.append(cursor)
        if cursor == "c1":
            await on_its_way.wait()  # the pull after c1 is on its way when the user quits
        return pages[cursor]

    feed = PageFeed(pull, None, stopping=lambda: stopping)
    assert [p.cursor for p in await feed.group()] == ["c1"]
    stopping = True
    on_its_way.set()

    assert await feed.group() == []
    await feed.settle()
    assert asked == [None, "c1"]  # c2's page was dropped (the next run pulls it again); c3 never asked


class SlowPulls(ScriptedPulls):
    """Answers each pull after ``pause`` seconds, as a helpdesk slower than the merge does."""

    def __init__(self, pause: float, *answers: RemotePage | Exception) -> None:
        super().__init__(*answers)
        self.pause = pause

    async def __call__(self, cursor: str | None) -> RemotePage:
        await asyncio.sleep(self.pause)
        return await super().__call__(cursor)


def _comment_pages(count: int) -> list[RemotePage]:
    """``count`` pages of 400 comments, c1 to c{count}, the last one ending the stream."""
    return [_page(f"c{n}", comments=400, end=n == count) for n in range(1, count + 1)]


async def test_a_first_pull_waits_for_a_heavier_group_unless_the_stream_ends() -> None:
    pulls = SlowPulls(0.005, *_comment_pages(5))
    feed = PageFeed(pulls, None, size=GroupSize(least=1000, most=2000, patience_s=1.0))

    first = await feed.group()  # asked for at once: waits for 1,000 worth rather than merging one page
    rest = await feed.group()

    assert [p.cursor for p in first] == ["c1", "c2", "c3"]
    assert [p.cursor for p in rest] == ["c4", "c5"]  # the end of the stream: lighter than the least
    assert await feed.group() == []
    await feed.settle()


async def test_a_slow_helpdesk_s_pages_are_merged_as_they_come_rather_than_waited_for() -> None:
    pulls = SlowPulls(0.05, *_comment_pages(4))  # a rate-limited export: a page every 50 ms
    feed = PageFeed(pulls, None, size=GroupSize(least=100_000, most=200_000, patience_s=0.08))

    groups = []
    while group := await feed.group():
        groups.append([p.cursor for p in group])

    assert [cursor for group in groups for cursor in group] == ["c1", "c2", "c3", "c4"]
    assert len(groups) >= 2  # never all four in one: the least weight is waited for 80 ms at most
    await feed.settle()
