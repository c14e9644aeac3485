"""Problems found in a workspace configuration, each naming the section and field it is about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigProblem:
    """One problem: ``section`` as written in the file (``escalation.complexity``, ``templates[2]``)."""

    section: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"[{self.section}] {self.field}" if self.field else f"[{self.section}]"
        return f"{where}: {self.message}"


class ConfigError(ValueError):
    """A configuration that cannot be used; ``problems`` lists every problem found, not only the first."""

    def __init__(self, problems: Iterable[ConfigProblem]) -> None:
        self.problems: tuple[ConfigProblem, ...] = tuple(problems)
        count = len(self.problems)
        heading = f"The configuration has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([heading, *(f"  {problem}" for problem in self.problems)]))
