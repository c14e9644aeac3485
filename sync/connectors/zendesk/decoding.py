"""Reading large JSON answers fast: orjson when it is installed, the standard library otherwise.

A first sync reads hundreds of megabytes of tickets and comments; decoding them is most of
the connector's own time, and orjson does it several times faster.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, NamedTuple

from sync.http import ApiClient, BadResponse
from sync.http.client import QueryParams

OFF_LOOP_BYTES = 64 * 1024  # smaller bodies decode in well under a millisecond

_loads: Callable[[bytes], Any]
try:  # pragma: no branch - one of the two is taken per installation
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - orjson is a declared dependency
    _loads = json.loads


class FetchedBody(NamedTuple):
    """An answer's raw body, and where it came from (for the error when it is not JSON)."""

    host: str
    path: str
    content: bytes


async def get_body(api: ApiClient, path: str, params: QueryParams | None = None) -> FetchedBody:
    """``GET path`` through ``api``: its raw body, not decoded yet."""
    response = await api.send("GET", path, params=params)
    return FetchedBody(api.host, response.url.path, response.content)


async def decoded(fetched: FetchedBody) -> Any:
    """The JSON of ``fetched`` (:class:`BadResponse` when it is not JSON).

    A large body is decoded on a worker thread: on the GUI's qasync loop, decoding a page of a
    thousand tickets on the loop's thread would stall the window.
    """
    content = fetched.content
    try:
        if len(content) < OFF_LOOP_BYTES:
            return _loads(content)
        return await asyncio.to_thread(_loads, content)
    except ValueError as error:
        raise BadResponse(fetched.host, fetched.path, f"not JSON: {error}") from error


async def get_json(api: ApiClient, path: str, params: QueryParams | None = None) -> Any:
    """``GET path`` through ``api`` and its decoded JSON body (:class:`BadResponse` when it is not JSON)."""
    return await decoded(await get_body(api, path, params))
