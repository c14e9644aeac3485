"""Pulling the next page while the current one is merged, so the network and the DB thread work
at the same time (the merge of a page and the fetch of the next take similar time)."""

from __future__ import annotations

import asyncio
import contextlib

from core.remote.dtos import RemotePage
from sync.connectors.base import Connector


class PagesAhead:
    """Pulls pages for one run, at most one fetched ahead.

    :meth:`fetch_ahead` starts pulling the page after ``cursor``; :meth:`page` returns it when
    asked for that cursor (its failure, if any, is raised there, as if pulled then) or pulls
    directly otherwise. :meth:`settle` lets a page nobody asked for finish (never cancelled, so
    no connection is left half-read) and drops it.
    """

    def __init__(self, connector: Connector) -> None:
        self._connector = connector
        self._ahead: tuple[str, asyncio.Task[RemotePage]] | None = None

    def fetch_ahead(self, cursor: str) -> None:
        """Start pulling the page after ``cursor`` in the background."""
        task = asyncio.ensure_future(self._connector.pull(cursor))
        task.add_done_callback(_retrieve)
        self._ahead = (cursor, task)

    async def page(self, cursor: str | None) -> RemotePage:
        """The page after ``cursor``: the one fetched ahead when it is for that cursor."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            if ahead[0] == cursor:
                return await ahead[1]
            await _finish(ahead[1])
        return await self._connector.pull(cursor)

    async def settle(self) -> None:
        """Wait for a page fetched ahead and not asked for, and drop it."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            await _finish(ahead[1])


async def _finish(task: asyncio.Task[RemotePage]) -> None:
    with contextlib.suppress(Exception):
        await task


def _retrieve(task: asyncio.Task[RemotePage]) -> None:
    """Mark a failure as seen, so a page dropped unread never logs "exception never retrieved"."""
    if not task.cancelled():
        task.exception()
