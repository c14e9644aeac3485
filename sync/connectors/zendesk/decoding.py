"""Reading large JSON answers fast: orjson when it is installed, the standard library otherwise.

A first sync reads hundreds of megabytes of tickets and comments; decoding them is most of
the connector's own time, and orjson does it several times faster.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from sync.http import ApiClient, BadResponse
from sync.http.client import QueryParams

OFF_LOOP_BYTES = 64 * 1024  # smaller bodies decode in well under a millisecond

_loads: Callable[[bytes], Any]
try:  # pragma: no branch - one of the two is taken per installation
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - orjson is a declared dependency
    _loads = json.loads


async def get_json(api: ApiClient, path: str, params: QueryParams | None = None) -> Any:
    """``GET path`` through ``api`` and its decoded JSON body (:class:`BadResponse` when it is not JSON).

    A large body is decoded on a worker thread: on the GUI's qasync loop, decoding a page of a
    thousand tickets on the loop's thread would stall the window.
    """
    response = await api.send("GET", path, params=params)
    content = response.content
    try:
        if len(content) < OFF_LOOP_BYTES:
            return _loads(content)
        return await asyncio.to_thread(_loads, content)
    except ValueError as error:
        raise BadResponse(api.host, response.url.path, f"not JSON: {error}") from error
