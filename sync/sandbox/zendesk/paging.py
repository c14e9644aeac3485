"""Zendesk's two list paginations: cursor (``page[size]``, ``page[after]``) and offset (``page``)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from sync.sandbox.zendesk import errors
from sync.sandbox.zendesk.shapes import JsonObject

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 100

Fetch = Callable[[int, int], tuple[list[JsonObject], int]]
"""Called with (start index, count); returns the records and how many there are in all."""

_CURSOR_PARAMS = ("page[size]", "page[after]", "page[before]")


def paginate(key: str, url: str, query: Mapping[str, str], fetch: Fetch) -> JsonObject:
    """The body of one page of a list endpoint; cursor style when any ``page[...]`` parameter is given."""
    if any(name in query for name in _CURSOR_PARAMS):
        return _cursor_page(key, url, query, fetch)
    return _offset_page(key, url, query, fetch)


def encode_cursor(index: int) -> str:
    """An opaque cursor for a position in a list (shaped like Zendesk's: base64 of a small JSON)."""
    return base64.b64encode(json.dumps({"o": "created_at,id", "v": str(index)}).encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        return int(json.loads(base64.b64decode(cursor, validate=True))["v"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise errors.bad_request(f"Invalid cursor {cursor!r}") from None


def int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole-number query parameter within ``low``..``high``; 400 otherwise."""
    text = query.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise errors.bad_request(f"{name} must be a whole number, not {text!r}") from None
    if not low <= value <= high:
        raise errors.bad_request(f"{name} must be from {low} to {high}, not {value}")
    return value


def _cursor_page(key: str, url: str, query: Mapping[str, str], fetch: Fetch) -> JsonObject:
    size = int_param(query, "page[size]", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    if "page[after]" in query:
        start = decode_cursor(query["page[after]"]) + 1
    elif "page[before]" in query:
        start = max(0, decode_cursor(query["page[before]"]) - size)
    else:
        start = 0
    items, total = fetch(start, size)
    after_cursor = encode_cursor(start + len(items) - 1) if items else None
    before_cursor = encode_cursor(start) if items else None
    kept = {name: value for name, value in query.items() if name not in _CURSOR_PARAMS}
    return {
        key: items,
        "meta": {
            "has_more": start + len(items) < total,
            "after_cursor": after_cursor,
            "before_cursor": before_cursor,
        },
        "links": {
            "prev": _link(url, kept, "page[before]", before_cursor, size) if before_cursor else None,
            "next": _link(url, kept, "page[after]", after_cursor, size) if after_cursor else None,
        },
    }


def _link(url: str, kept: Mapping[str, str], name: str, cursor: str | None, size: int) -> str:
    return f"{url}?{urlencode({**kept, name: cursor, 'page[size]': size})}"


def _offset_page(key: str, url: str, query: Mapping[str, str], fetch: Fetch) -> JsonObject:
    per_page = int_param(query, "per_page", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    page = int_param(query, "page", 1, 1, 1_000_000)
    start = (page - 1) * per_page
    items, total = fetch(start, per_page)
    kept = {name: value for name, value in query.items() if name not in ("page", "per_page")}
    has_next = start + len(items) < total

    def page_url(number: int) -> str:
        return f"{url}?{urlencode({**kept, 'page': number, 'per_page': per_page})}"

    return {
        key: items,
        "next_page": page_url(page + 1) if has_next else None,
        "previous_page": page_url(page - 1) if page > 1 else None,
        "count": total,
    }
