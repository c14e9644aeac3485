"""A small TOML writer for trees of tables, lists of tables and scalars (what the configuration holds).

Reading uses the standard library's :mod:`tomllib`; this writer produces text
that reads back to the same tree. Strings are written the way a person would
edit them: regular expressions as literal strings (no doubled backslashes),
message bodies as multi-line strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_LINE_LENGTH = 100
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def dumps(tree: Mapping[str, Any], comments: Mapping[str, str] | None = None) -> str:
    """TOML text for ``tree``; ``comments`` maps a table's dotted path to a comment written above it once."""
    writer = _Writer(comments or {})
    writer.table((), tree, array_item=False)
    return "\n".join(writer.lines).strip("\n") + "\n"


def _is_table_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, Mapping) for item in value)


class _Writer:
    """Writes tables depth first: a table's scalars under its header, then its sub-tables."""

    def __init__(self, comments: Mapping[str, str]) -> None:
        self.lines: list[str] = []
        self._comments = dict(comments)

    def table(self, path: tuple[str, ...], table: Mapping[str, Any], *, array_item: bool) -> None:
        scalars = [
            (key, value)
            for key, value in table.items()
            if not isinstance(value, Mapping) and not _is_table_list(value)
        ]
        if path and (scalars or array_item):
            self.lines.append("")
            comment = self._comments.pop(".".join(path), "")
            self.lines.extend(f"# {line}".rstrip() for line in comment.splitlines())
            dotted = ".".join(_key(part) for part in path)
            self.lines.append(f"[[{dotted}]]" if array_item else f"[{dotted}]")
        self.lines.extend(_assignment(key, value) for key, value in scalars)
        for key, value in table.items():
            if isinstance(value, Mapping):
                self.table((*path, key), value, array_item=False)
            elif _is_table_list(value):
                for item in value:
                    self.table((*path, key), item, array_item=True)


def _assignment(key: str, value: object) -> str:
    """``key = value``; a list too long for one line gets one item per line."""
    line = f"{_key(key)} = {_value(value)}"
    if len(line) <= _LINE_LENGTH or not isinstance(value, list):
        return line
    items = "".join(f"    {_value(item)},\n" for item in value)
    return f"{_key(key)} = [\n{items}]"


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _basic_string(key)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"TOML cannot hold {type(value).__name__} values")


def _string(value: str) -> str:
    if "\n" in value:
        return _multiline_string(value)
    if "'" not in value and "\\" in value and not _NEEDS_ESCAPE.search(value):
        return f"'{value}'"
    return _basic_string(value)


def _escape_controls(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def _basic_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + _escape_controls(escaped) + '"'


def _multiline_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    # The newline right after the opening quotes is not part of the value.
    return '"""\n' + _escape_controls(escaped) + '"""'
