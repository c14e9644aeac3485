"""Collecting configuration problems: each check names the section and field it is about."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from core.config.errors import ConfigProblem

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_RULE = "use lower-case letters, digits and underscores, starting with a letter"


class Checker:
    """Collects problems instead of stopping at the first one."""

    def __init__(self) -> None:
        self.problems: list[ConfigProblem] = []

    def fail(self, section: str, field: str, message: str) -> None:
        self.problems.append(ConfigProblem(section, field, message))

    def text(self, section: str, field: str, value: str) -> None:
        if not value.strip():
            self.fail(section, field, "must not be empty")

    def key(
        self,
        section: str,
        field: str,
        value: str,
        pattern: re.Pattern[str] = KEY_PATTERN,
        rule: str = KEY_RULE,
    ) -> None:
        if not pattern.match(value):
            self.fail(section, field, f"{value!r} is not a valid key; {rule}")

    def at_least(self, section: str, field: str, value: float, minimum: float) -> None:
        if value < minimum:
            self.fail(section, field, f"must be at least {minimum:g}, not {value:g}")

    def between(self, section: str, field: str, value: float, minimum: float, maximum: float) -> None:
        if not minimum <= value <= maximum:
            self.fail(section, field, f"must be from {minimum:g} to {maximum:g}, not {value:g}")

    def weights(self, section: str, owner: object, names: Iterable[str]) -> None:
        for name in names:
            self.at_least(section, name, getattr(owner, name), 0)

    def texts(self, section: str, field: str, values: Sequence[str]) -> None:
        if not values:
            self.fail(section, field, "must list at least one entry")
        for index, value in enumerate(values, 1):
            self.text(section, f"{field}[{index}]", value)

    def unique(
        self,
        section: str,
        field: str,
        values: Sequence[str],
        normalise: Callable[[str], str] = str,
    ) -> None:
        """Each of ``values`` once (compared after ``normalise``); a repeat names its entry ``section[n]``."""
        seen: set[str] = set()
        for index, value in enumerate(values, 1):
            if normalise(value) in seen:
                self.fail(
                    f"{section}[{index}]", field, f"{value!r} is used twice; each {field} must be unique"
                )
            seen.add(normalise(value))

    def member(self, section: str, field: str, value: str, allowed: Iterable[str]) -> None:
        choices = list(allowed)
        if value not in choices:
            self.fail(section, field, f"{value!r} is not one of: {', '.join(choices)}")
