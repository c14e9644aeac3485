"""Where an export page says the next one starts, read from its raw bytes before it is decoded.

The ticket events export pages by time: the next page's ``start_time`` is this page's
``end_time``, so the next request can only leave once that is known. Decoding a page of a
thousand events takes a dozen milliseconds; reading those few top-level values straight
from the bytes takes microseconds, so the next request is sent while this page is decoded
and the helpdesk prepares it meanwhile.

Only a guess: the caller checks it against the decoded page and fetches again when it was
wrong. Inside a JSON string a quote is always escaped, so ``"end_time":`` in the raw bytes is
always a key; the last occurrence is taken (the export's own keys come after its records).
"""

from __future__ import annotations

import re

import orjson

from sync.connectors.zendesk.json_values import JsonObject

_KEYS: dict[str, re.Pattern[bytes]] = {
    "end_of_stream": re.compile(rb'"end_of_stream"\s*:\s*(true|false)'),
    "end_time": re.compile(rb'"end_time"\s*:\s*(-?\d+)'),
    "after_cursor": re.compile(rb'"after_cursor"\s*:\s*(null|"(?:[^"\\]|\\.)*")'),
}


def peek_paging(content: bytes) -> JsonObject:
    """The paging values (``end_of_stream``, ``end_time``, ``after_cursor``) found in ``content``,
    as the decoded page would hold them; a value not found is left out."""
    found: JsonObject = {}
    for key, pattern in _KEYS.items():
        start = content.rfind(b'"' + key.encode() + b'"')
        matched = pattern.match(content, start) if start >= 0 else None
        if matched is not None:
            found[key] = orjson.loads(matched.group(1))
    return found
