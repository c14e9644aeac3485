"""Small text helpers shared by the case-intelligence functions: sentences, quotes, excerpts."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_END_OF_SENTENCE = re.compile(r"[.!?](?=\s|$)|\n")
EXCERPT_WIDTH = 160
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^.!?]{0,40}[,!]?$", re.IGNORECASE
)


def without_quoted_lines(text: str) -> str:
    """``text`` without the lines an e-mail reply quotes (``> …``): they repeat someone else's words."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


def message_body(text: str) -> str:
    """What a message says: without quoted lines, the signature (after ``--``) and a greeting line."""
    lines: list[str] = []
    for line in without_quoted_lines(text).splitlines():
        if line.strip() in ("--", "-- "):
            break
        lines.append(line)
    while lines and (not lines[0].strip() or _GREETING.match(lines[0].strip())):
        lines.pop(0)
    return "\n".join(lines)


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (split at . ! ? and line breaks), whitespace-normalized, non-empty."""
    parts = (" ".join(part.split()) for part in _SENTENCE_END.split(text))
    return [part for part in parts if part]


def clip(text: str, width: int = EXCERPT_WIDTH) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis when longer than ``width``."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1].rsplit(" ", 1)[0]
    return cut + "…"


def excerpt_around(text: str, start: int, end: int, width: int = EXCERPT_WIDTH) -> str:
    """The part of ``text`` around ``text[start:end]``, on one line, at most about ``width`` characters."""
    margin = max(0, (width - (end - start)) // 2)
    left = max(0, start - margin)
    right = min(len(text), end + margin)
    # Start and end on word boundaries, unless that would cut into the match.
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    body = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + body + ("…" if right < len(text) else "")


def in_question(text: str, position: int) -> bool:
    """Whether the sentence of ``text`` that holds ``position`` ends with a question mark."""
    end = _END_OF_SENTENCE.search(text, position)
    return end is not None and end.group(0) == "?"
