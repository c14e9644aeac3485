"""One problem in a policy document: the key, the value found and what is allowed there."""

from __future__ import annotations

import json
from dataclasses import dataclass

_MISSING = object()


@dataclass(frozen=True)
class PolicyProblem:
    """``key`` as a path (``connections[1].url``), the offending ``value`` as written, ``allowed``."""

    key: str
    value: str
    allowed: str

    def __str__(self) -> str:
        return f"{self.key}: found {self.value}; allowed: {self.allowed}"


def shown(value: object) -> str:
    """``value`` as the policy file spells it (JSON), shortened if long."""
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def problem(key: str, value: object, allowed: str) -> PolicyProblem:
    """A :class:`PolicyProblem` for ``value`` found at ``key``."""
    return PolicyProblem(key, shown(value), allowed)
