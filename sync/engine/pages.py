"""Pulling pages in the background while the pages already pulled are merged, in groups.

The network and the DB thread work at the same time: :class:`PageFeed` keeps pulling the pages
that follow while the engine merges the ones that arrived. The engine takes every page that has
arrived meanwhile (:meth:`PageFeed.group`, up to :data:`GROUP_ITEMS` worth of tickets and comments) and
merges them in one transaction with the last one's cursor: on a first sync, where merging is
slower than pulling, each transaction covers several pages (a case's timeline is indexed and its
SLA deadlines computed once per group instead of once per page, one commit instead of many); an
incremental sync, where pages are few and small, merges each page as soon as it arrives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.remote.dtos import RemotePage

# A group (one transaction) weighs at most this much (a second or so of merging), so the
# window's own reads and writes, queued on the same DB thread, never wait long behind a merge.
GROUP_ITEMS = 9_000
# What a ticket weighs against a comment: a new case costs about three comments to merge (its
# row, contact, full-text entry and SLA clocks). A group then holds 3 pages of tickets or 9 of
# comments: a case's comments come spread over many pages, each group indexes its timeline once.
TICKET_WEIGHT = 3
# Pages pulled ahead and not merged yet, at most (the memory a slow merge may hold).
PAGES_AHEAD = 12


@dataclass(frozen=True)
class GroupSize:
    """How much a group weighs: once it has a page it waits for ``least`` (unless the stream
    ends, or ``patience_s`` passes: a slow helpdesk's pages are merged as they come), and takes
    at most ``most``; ``ahead`` pages may wait to be merged."""

    least: int = 0
    most: int = GROUP_ITEMS
    ahead: int = PAGES_AHEAD
    patience_s: float = 0.0


# A connection's first pull merges much bigger groups. Each commit writes every index page its
# rows touched; a case's comments arrive spread over the whole pull, so small groups write the
# same index pages again and again (a third of a first sync's merging). Merging waits for at
# least two groups' worth of pages (about 18 pages of comments), which the window's own reads
# and writes may wait behind for up to 2 s, during a first sync only.
FIRST_PULL = GroupSize(least=2 * GROUP_ITEMS, most=3 * GROUP_ITEMS, ahead=36, patience_s=3.0)

Pull = Callable[[str | None], Awaitable[RemotePage]]


@dataclass(frozen=True)
class _Failed:
    """The pull after the pages before it failed: raised once those pages are merged."""

    error: BaseException


def page_items(page: RemotePage) -> int:
    """What a page weighs in a group: its tickets (:data:`TICKET_WEIGHT` each), comments and
    deleted tickets (at least 1)."""
    return max(1, TICKET_WEIGHT * len(page.tickets) + len(page.comments) + len(page.deleted_ticket_ids))


class PageFeed:
    """Pulls the pages after ``cursor`` with ``pull`` in the background, at most
    :data:`PAGES_AHEAD` ahead, until a page ends the stream, a pull fails or ``stopping()``.

    ``pull`` is the engine's pull of one page (it waits out rate limits itself and raises what
    ends the run). A failure is raised by :meth:`group` after every page pulled before it was
    handed out. ``stopping`` says when to pull no further page; one that arrives after it said so
    is dropped (the next run pulls it again from the saved cursor); :meth:`settle` waits for the
    pull in flight (never cancelled, so no connection is left half-read).
    """

    def __init__(
        self,
        pull: Pull,
        cursor: str | None,
        *,
        stopping: Callable[[], bool] = lambda: False,
        size: GroupSize = GroupSize(),
    ) -> None:
        self._pull = pull
        self._asked_to_stop = stopping
        self._size = size
        self._queue: asyncio.Queue[RemotePage | _Failed | None] = asyncio.Queue(maxsize=size.ahead)
        self._stopping = False
        self._ended = False  # the end of the stream, a failure or a stop was handed out
        self._failure: BaseException | None = None
        self._task = asyncio.ensure_future(self._feed(cursor))

    @property
    def stopping(self) -> bool:
        """Whether the feed pulls no further page (the one in flight is dropped when it arrives)."""
        return self._stopping or self._asked_to_stop()

    async def group(self) -> list[RemotePage]:
        """The next pages: waits for the group's least weight (at least one page), then takes
        those already pulled, up to its most.

        An empty list: the stream ended (or the feed was stopped) and every page was handed out.
        """
        if self._failure is not None:
            raise self._failure
        pages: list[RemotePage] = []
        items = 0
        least, max_items = max(1, self._size.least), self._size.most
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._size.patience_s
        while not self._ended and (items < least or not self._queue.empty()):
            if pages and self._queue.empty():  # lighter than the least: wait, but not too long
                try:
                    item = await asyncio.wait_for(self._queue.get(), max(0.0, deadline - loop.time()))
                except TimeoutError:
                    break
            else:
                item = await self._queue.get()
            if item is None:
                self._ended = True
            elif isinstance(item, _Failed):
                self._ended = True
                if not pages:
                    raise item.error
                self._failure = item.error  # raised by the next call, once these pages are merged
            else:
                pages.append(item)
                items += page_items(item)
                if item.end_of_stream:
                    self._ended = True
                elif items >= max_items:
                    break
        return pages

    async def settle(self) -> None:
        """Stop pulling and wait for the pull in flight to finish (its page is dropped)."""
        self._stopping = True
        while not self._task.done():
            while not self._queue.empty():  # make room, so the feed never waits to put
                self._queue.get_nowait()
            await asyncio.wait([self._task], timeout=0.05)
        if not self._task.cancelled():
            self._task.exception()  # seen: a dropped pull's failure is never logged as unretrieved

    async def _feed(self, cursor: str | None) -> None:
        while not self.stopping:
            try:
                page = await self._pull(cursor)
            except Exception as error:
                await self._queue.put(_Failed(error))
                return
            if self.stopping:
                break
            await self._queue.put(page)
            if page.end_of_stream:
                return
            cursor = page.cursor
        await self._queue.put(None)
