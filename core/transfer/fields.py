"""Typed, path-naming access to the JSON objects of a ``handoff-export`` document.

:class:`Fields` reads one object key by key and raises :class:`Invalid`
naming the field (with its path, such as ``timeline[2].occurred_at``) for
the first problem; :meth:`Fields.finish` refuses keys the format does not define.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from core.transfer.json_values import JsonObject
from core.transfer.schema import VERSION

E = TypeVar("E", bound=StrEnum)

_MISSING: Any = object()


class Invalid(Exception):
    """One bad field; caught per record and turned into a line of :class:`ImportValidationError`."""

    def __init__(self, field: str | None, problem: str) -> None:
        super().__init__(problem if field is None else f'field "{field}": {problem}')


def describe(value: object) -> str:
    """A short rendering of a JSON value for a problem message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    rendered = json.dumps(value, ensure_ascii=False)
    return rendered if len(rendered) <= 60 else rendered[:57] + '…"'


class Fields:
    """Typed access to one JSON object, naming the field (with its path) in every problem.

    A missing key takes the default when one is given and is otherwise
    "missing"; ``null`` is accepted only by the ``optional_*`` readers.
    """

    def __init__(self, value: object, path: str) -> None:
        if not isinstance(value, dict):
            raise Invalid(path or None, f"expected an object, got {describe(value)}")
        self._data: JsonObject = value
        self._path = path
        self._read: set[str] = set()

    def _name(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def _value(self, key: str, default: object = _MISSING) -> object:
        self._read.add(key)
        if key in self._data:
            return self._data[key]
        if default is _MISSING:
            raise Invalid(self._name(key), "missing; it is required")
        return default

    def _typed(self, key: str, expected: type, label: str, default: object, nullable: bool) -> Any:
        value = self._value(key, None if nullable and default is _MISSING else default)
        if value is None and nullable:
            return None
        if not isinstance(value, expected) or isinstance(value, bool):
            accepted = f"null or {label}" if nullable else label
            raise Invalid(self._name(key), f"expected {accepted}, got {describe(value)}")
        return value

    def text(self, key: str, *, default: str | None = None) -> str:
        value: str = self._typed(key, str, "a string", _MISSING if default is None else default, False)
        return value

    def optional_text(self, key: str) -> str | None:
        value: str | None = self._typed(key, str, "a string", _MISSING, True)
        return value

    def integer(self, key: str, *, default: int | None = None, minimum: int = 0) -> int:
        value: int = self._typed(key, int, "a whole number", _MISSING if default is None else default, False)
        self._check_minimum(key, value, minimum)
        return value

    def optional_integer(self, key: str, *, minimum: int = 0) -> int | None:
        value: int | None = self._typed(key, int, "a whole number", _MISSING, True)
        if value is not None:
            self._check_minimum(key, value, minimum)
        return value

    def boolean(self, key: str, *, default: bool | None = None) -> bool:
        value = self._value(key, _MISSING if default is None else default)
        if not isinstance(value, bool):
            raise Invalid(self._name(key), f"expected true or false, got {describe(value)}")
        return value

    def indexes(self, key: str) -> tuple[int, ...]:
        """A list of whole numbers (indexes into another list of the case); empty when missing."""
        items = self._typed(key, list, "a list", [], False)
        for position, item in enumerate(items):
            if not isinstance(item, int) or isinstance(item, bool) or item < 0:
                problem = f"expected an index (a whole number from 0), got {describe(item)}"
                raise Invalid(f"{self._name(key)}[{position}]", problem)
        return tuple(items)

    def matching(self, key: str, value: str | None, pattern: re.Pattern[str], example: str) -> None:
        """Refuse ``value`` (read from ``key``) unless it matches ``pattern`` entirely."""
        if value is not None and not pattern.fullmatch(value):
            raise Invalid(self._name(key), f"{describe(value)} is not {example}")

    def _check_minimum(self, key: str, value: int, minimum: int) -> None:
        if value < minimum:
            raise Invalid(self._name(key), f"{value} is less than {minimum}")

    def enum(self, key: str, enum_type: type[E], *, default: E | None = None) -> E:
        text = self.text(key, default=None if default is None else default.value)
        return self._member(key, text, enum_type)

    def enums(self, key: str, enum_type: type[E]) -> tuple[E, ...]:
        """A list of ``enum_type`` values; empty when missing or null."""
        items = self._typed(key, list, "a list", [], True) or []
        members: list[E] = []
        for position, item in enumerate(items):
            if not isinstance(item, str):
                raise Invalid(f"{self._name(key)}[{position}]", f"expected a text, got {describe(item)}")
            members.append(self._member(f"{key}[{position}]", item, enum_type))
        return tuple(members)

    def optional_enum(self, key: str, enum_type: type[E]) -> E | None:
        text = self.optional_text(key)
        return None if text is None else self._member(key, text, enum_type)

    def _member(self, key: str, text: str, enum_type: type[E]) -> E:
        try:
            return enum_type(text)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_type)
            raise Invalid(self._name(key), f"{describe(text)} is not one of {allowed}") from None

    def timestamp(self, key: str) -> datetime:
        return self._parse_timestamp(key, self.text(key))

    def optional_timestamp(self, key: str) -> datetime | None:
        text = self.optional_text(key)
        return None if text is None else self._parse_timestamp(key, text)

    def _parse_timestamp(self, key: str, text: str) -> datetime:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise Invalid(
                self._name(key), f"{describe(text)} is not an ISO-8601 date-time like 2026-11-02T09:00:00Z"
            ) from None
        if value.tzinfo is None:
            raise Invalid(
                self._name(key), f"{describe(text)} has no time zone; end it with Z or an offset like +01:00"
            )
        return value

    def optional_date(self, key: str) -> date | None:
        text = self.optional_text(key)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise Invalid(self._name(key), f"{describe(text)} is not a date like 2027-03-31") from None

    def optional_object(self, key: str) -> Fields | None:
        value = self._value(key, None)
        return None if value is None else Fields(value, self._name(key))

    def optional_mapping(self, key: str) -> JsonObject | None:
        value: JsonObject | None = self._typed(key, dict, "an object", _MISSING, True)
        return value

    def raw_list(self, key: str) -> list[object]:
        value: list[object] = self._typed(key, list, "a list", _MISSING, False)
        return value

    def objects(self, key: str) -> list[Fields]:
        items = self._typed(key, list, "a list", [], False)
        return [Fields(item, f"{self._name(key)}[{index}]") for index, item in enumerate(items)]

    def finish(self) -> None:
        """Refuse keys this format version does not define (a typo would otherwise lose data)."""
        for key in self._data:
            if key not in self._read:
                raise Invalid(self._name(key), f"is not a field of format version {VERSION}")
