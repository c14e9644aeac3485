"""Zendesk's cursor pagination of list endpoints (``page[size]``, ``meta.has_more``, ``page[after]``)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from sync.connectors.zendesk.json_values import JsonObject, obj, objects, optional_text
from sync.http import ApiClient

LIST_PAGE_SIZE = 100  # Zendesk's maximum for cursor-paged lists


async def cursor_pages(
    api: ApiClient, path: str, key: str, page_size: int = LIST_PAGE_SIZE, *, newest_first: bool = False
) -> AsyncGenerator[list[JsonObject], None]:
    """The records under ``key`` of every page of ``path``, oldest first (``sort_order=desc``: newest)."""
    order: dict[str, str | int] = {"sort_order": "desc"} if newest_first else {}
    params: dict[str, str | int] = {"page[size]": page_size, **order}
    while True:
        body = obj(await api.send_json("GET", path, params=params))
        yield objects(body.get(key))
        meta = obj(body.get("meta"))
        after = optional_text(meta.get("after_cursor"))
        if meta.get("has_more") is not True or after is None:
            return
        params = {"page[size]": page_size, "page[after]": after, **order}
