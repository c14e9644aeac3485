"""A :class:`WorkspaceConfig` as a plain tree of tables, lists and scalars (for TOML and JSON), and back.

Decoding checks types and names every problem by section and field. A whole
missing table (a section or a list of tables) takes its default value, so a
file written by an older Handoff, or one holding only the sections a team
changed, still loads; a missing scalar inside a table is a problem.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any

from core.config.errors import ConfigProblem
from core.config.model import WorkspaceConfig

_EMPTY: dict[type, Any] = {str: "", int: 0, float: 0.0, bool: False}
_TYPE_NAMES: dict[type, str] = {
    str: "a text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
}


def to_tree(value: object) -> Any:
    """``value`` (a config dataclass, tuple or scalar) as dicts, lists and scalars."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_tree(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [to_tree(item) for item in value]
    return value


def from_tree(
    data: Mapping[str, Any], defaults: WorkspaceConfig
) -> tuple[WorkspaceConfig, list[ConfigProblem]]:
    """The configuration ``data`` describes, and every type problem found.

    Where a value has the wrong type, the result holds an empty value of the
    right type instead, so the other rules can still be checked and reported.
    """
    decoder = _Decoder()
    config: WorkspaceConfig = decoder.table(WorkspaceConfig, data, defaults, section="")
    return config, decoder.problems


def _is_table_type(annotation: Any) -> bool:
    return isinstance(annotation, type) and dataclasses.is_dataclass(annotation)


def _join(section: str, name: str) -> str:
    return f"{section}.{name}" if section else name


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


class _Decoder:
    """Walks a tree alongside the dataclass types, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[ConfigProblem] = []

    def _problem(self, section: str, field: str, message: str) -> None:
        self.problems.append(ConfigProblem(section or "(top level)", field, message))

    def table(self, cls: type[Any], data: object, default: object, *, section: str) -> Any:
        if not isinstance(data, Mapping):
            self._problem(section, "", f"expected a table, not {_describe(data)}")
            return default if default is not None else self._empty(cls)
        hints = typing.get_type_hints(cls)
        names = [field.name for field in dataclasses.fields(cls)]
        for key in data:
            if key not in hints:
                self._problem(section, str(key), f"unknown field (known fields: {', '.join(names)})")
        values = {name: self._field(hints[name], data, name, default, section) for name in names}
        return cls(**values)

    def _field(
        self, annotation: Any, data: Mapping[str, Any], name: str, default: object, section: str
    ) -> Any:
        default_value = getattr(default, name) if default is not None else None
        nested = self._nested_table_type(annotation)
        if name not in data:
            if nested is not None and default is not None:
                return default_value
            self._problem(section, name, f"missing; expected {self._expected(annotation)}")
            return self._empty(annotation)
        value = data[name]
        if _is_table_type(annotation):
            return self.table(annotation, value, default_value, section=_join(section, name))
        if typing.get_origin(annotation) is tuple:
            return self._list(typing.get_args(annotation)[0], value, name, section)
        return self._scalar(annotation, value, section, name)

    @staticmethod
    def _nested_table_type(annotation: Any) -> type[Any] | None:
        if _is_table_type(annotation):
            return typing.cast(type[Any], annotation)
        if typing.get_origin(annotation) is tuple and _is_table_type(typing.get_args(annotation)[0]):
            return typing.cast(type[Any], typing.get_args(annotation)[0])
        return None

    def _expected(self, annotation: Any) -> str:
        if _is_table_type(annotation):
            return "a table"
        if typing.get_origin(annotation) is tuple:
            item = typing.get_args(annotation)[0]
            return "a list of tables" if _is_table_type(item) else f"a list of {_TYPE_NAMES[item]}s"
        return _TYPE_NAMES[annotation]

    def _list(self, item_type: Any, value: object, name: str, section: str) -> tuple[Any, ...]:
        if not isinstance(value, list):
            self._problem(section, name, f"expected a list, not {_describe(value)}")
            return ()
        if _is_table_type(item_type):
            path = _join(section, name)
            return tuple(
                self.table(item_type, item, None, section=f"{path}[{index}]")
                for index, item in enumerate(value, 1)
            )
        return tuple(
            self._scalar(item_type, item, section, f"{name}[{index}]") for index, item in enumerate(value, 1)
        )

    def _scalar(self, expected: type, value: object, section: str, field: str) -> Any:
        if expected is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if expected is bool:
            accepted = isinstance(value, bool)
        else:
            accepted = isinstance(value, expected) and not isinstance(value, bool)
        if not accepted:
            self._problem(section, field, f"expected {_TYPE_NAMES[expected]}, not {_describe(value)}")
            return _EMPTY[expected]
        return value

    def _empty(self, annotation: Any) -> Any:
        """A value of type ``annotation`` that holds nothing (stands in for a value of the wrong type)."""
        if typing.get_origin(annotation) is tuple:
            return ()
        if _is_table_type(annotation):
            hints = typing.get_type_hints(annotation)
            return annotation(
                **{field.name: self._empty(hints[field.name]) for field in dataclasses.fields(annotation)}
            )
        return _EMPTY[annotation]
