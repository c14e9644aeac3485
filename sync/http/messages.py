"""The server's own explanation of an error, pulled out of the JSON error bodies helpdesks send.

Shapes understood (any other body gives its plain text, shortened):

- Zendesk ``{"error": "RecordInvalid", "description": "...", "details": {"field": [{"description": ...}]}}``
  and ``{"error": {"title": ..., "message": ...}}``;
- ``{"description": ..., "errors": [{"field": ..., "message": ...}]}`` and ``{"errors": [{"message": ...}]}``;
- ``[{"message": ..., "errorCode": ...}]``.
"""

from __future__ import annotations

import json
from typing import Any

MAX_LENGTH = 300


def parse_body(text: str) -> Any:
    """The JSON value of ``text``, or the text itself when it is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def server_message(body: Any) -> str:
    """The most specific human-readable reason in an error ``body`` ("" when there is none)."""
    if isinstance(body, str):
        return _shorten(" ".join(body.split()))
    if isinstance(body, list):
        return _join(_text_of(item) for item in body)
    if not isinstance(body, dict):
        return ""
    specific = _join(_detail_lines(body.get("details"))) or _join(_text_of(e) for e in _as_list(body))
    if specific:
        return specific
    for key in ("description", "message", "error"):
        text = _text_of(body.get(key))
        if text:
            return _shorten(text)
    return ""


def _as_list(body: dict[str, Any]) -> list[Any]:
    errors = body.get("errors")
    return errors if isinstance(errors, list) else []


def _detail_lines(details: Any) -> list[str]:
    if not isinstance(details, dict):
        return []
    lines: list[str] = []
    for field, problems in details.items():
        for problem in problems if isinstance(problems, list) else [problems]:
            text = _text_of(problem)
            if text:
                lines.append(text if field == "base" or field.lower() in text.lower() else f"{field}: {text}")
    return lines


def _text_of(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        text = next((_text_of(value[k]) for k in ("description", "message", "title") if k in value), "")
        field = value.get("field")
        return f"{field}: {text}" if text and isinstance(field, str) and field else text
    return ""


def _join(texts: Any) -> str:
    return _shorten("; ".join(text for text in texts if text))


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1] + "…"
