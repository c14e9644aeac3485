"""A small, safe Markdown dialect for messages and notes, rendered to HTML and to plain text.

Supported: paragraphs, line breaks, ``**bold**``, ``*italic*`` / ``_italic_``, ```code```, fenced
code blocks, bulleted and numbered lists, and ``[links](https://…)`` (http, https and mailto only).
Everything else is text: it is HTML-escaped, so nothing a user types can become markup. The HTML
uses only tags that :func:`core.html_sanitizer.sanitize_customer_html` keeps.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

LINK_SCHEMES = ("http://", "https://", "mailto:")

_FENCE = re.compile(r"^\s*```")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,9}[.)]\s+(.*)$")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC_STAR = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_ITALIC_UNDERSCORE = re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
_STASH = re.compile("\x00(\\d+)\x00")


@dataclass(frozen=True)
class _Block:
    kind: str  # "paragraph", "bullets", "numbers" or "code"
    lines: tuple[str, ...]


def markdown_to_html(markdown: str) -> str:
    """``markdown`` as an HTML fragment (paragraphs, lists, code, emphasis and safe links)."""
    parts: list[str] = []
    for block in _blocks(markdown):
        if block.kind == "code":
            parts.append("<pre><code>" + html.escape("\n".join(block.lines), quote=False) + "</code></pre>")
        elif block.kind in ("bullets", "numbers"):
            tag = "ul" if block.kind == "bullets" else "ol"
            items = "".join(f"<li>{_inline_html(line)}</li>" for line in block.lines)
            parts.append(f"<{tag}>{items}</{tag}>")
        else:
            parts.append("<p>" + "<br>".join(_inline_html(line) for line in block.lines) + "</p>")
    return "".join(parts)


def markdown_to_text(markdown: str) -> str:
    """``markdown`` as readable plain text: emphasis markers dropped, links as "text (address)"."""
    parts: list[str] = []
    for block in _blocks(markdown):
        if block.kind == "code":
            parts.append("\n".join(block.lines))
        elif block.kind == "bullets":
            parts.append("\n".join(f"- {_inline_text(line)}" for line in block.lines))
        elif block.kind == "numbers":
            parts.append("\n".join(f"{n}. {_inline_text(line)}" for n, line in enumerate(block.lines, 1)))
        else:
            parts.append("\n".join(_inline_text(line) for line in block.lines))
    return "\n\n".join(parts)


def _blocks(markdown: str) -> list[_Block]:
    blocks: list[_Block] = []
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
        elif _FENCE.match(line):
            end = next((i for i in range(index + 1, len(lines)) if _FENCE.match(lines[i])), len(lines))
            blocks.append(_Block("code", tuple(lines[index + 1 : end])))
            index = end + 1
        else:
            kind, pattern = _list_kind(line)
            taken: list[str] = []
            while index < len(lines) and lines[index].strip() and not _FENCE.match(lines[index]):
                current = lines[index]
                if kind != "paragraph":
                    item = pattern.match(current) if pattern else None
                    if item is None:
                        if not taken:
                            break
                        taken[-1] += " " + current.strip()  # a continuation of the item above
                    else:
                        taken.append(item.group(1))
                elif _list_kind(current)[0] != "paragraph" and taken:
                    break  # a list starts right under a paragraph
                else:
                    taken.append(current.strip())
                index += 1
            blocks.append(_Block(kind, tuple(taken)))
    return blocks


def _list_kind(line: str) -> tuple[str, re.Pattern[str] | None]:
    if _BULLET.match(line):
        return "bullets", _BULLET
    if _NUMBERED.match(line):
        return "numbers", _NUMBERED
    return "paragraph", None


def _safe_url(url: str) -> str | None:
    return url if url.lower().startswith(LINK_SCHEMES) else None


def _inline_html(text: str) -> str:
    stash: list[str] = []

    def keep(fragment: str) -> str:
        stash.append(fragment)
        return f"\x00{len(stash) - 1}\x00"

    text = _CODE_SPAN.sub(lambda m: keep("<code>" + html.escape(m.group(1), quote=False) + "</code>"), text)

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), _safe_url(match.group(2))
        if url is None:
            return keep(html.escape(match.group(0), quote=False))
        shown = _emphasis(html.escape(label, quote=False))
        return keep(f'<a href="{html.escape(url, quote=True)}">{shown}</a>')

    text = _LINK.sub(link, text)
    text = _emphasis(html.escape(text, quote=False))
    return _unstash(text, stash)


def _emphasis(escaped: str) -> str:
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _ITALIC_STAR.sub(r"<em>\1</em>", escaped)
    return _ITALIC_UNDERSCORE.sub(r"<em>\1</em>", escaped)


def _inline_text(text: str) -> str:
    stash: list[str] = []

    def keep(fragment: str) -> str:
        stash.append(fragment)
        return f"\x00{len(stash) - 1}\x00"

    text = _CODE_SPAN.sub(lambda m: keep(m.group(1)), text)

    def link(match: re.Match[str]) -> str:
        if _safe_url(match.group(2)) is None:
            return keep(match.group(0))
        return keep(f"{_strip_emphasis(match.group(1))} ({match.group(2)})")

    text = _LINK.sub(link, text)
    return _unstash(_strip_emphasis(text), stash)


def _strip_emphasis(text: str) -> str:
    for pattern in (_BOLD, _ITALIC_STAR, _ITALIC_UNDERSCORE):
        text = pattern.sub(r"\1", text)
    return text


def _unstash(text: str, stash: list[str]) -> str:
    return _STASH.sub(lambda match: stash[int(match.group(1))], text)
