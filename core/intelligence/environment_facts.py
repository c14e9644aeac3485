"""Environment facts found in case text: product version, OS, browser, error codes, request and job ids.

Extraction is by patterns only (no network, no model), so the same text always
gives the same facts. Operating systems and browsers are found first, so the
version in "iOS 17.5.1" or "Safari 17.5" is not mistaken for the product version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class FactKind(StrEnum):
    """What an environment fact is."""

    PRODUCT_VERSION = "product_version"
    OS = "os"
    BROWSER = "browser"
    ERROR_CODE = "error_code"
    IDENTIFIER = "identifier"


FACT_LABELS: dict[FactKind, str] = {
    FactKind.PRODUCT_VERSION: "Product version",
    FactKind.OS: "Operating system",
    FactKind.BROWSER: "Browser",
    FactKind.ERROR_CODE: "Error code",
    FactKind.IDENTIFIER: "ID",
}

_OS = re.compile(
    r"\b(?:Windows(?:\s+(?:11|10|Server\s+\d{4}))?(?:\s+\d{2}H\d)?"
    r"|macOS(?:\s+\d+(?:\.\d+)*)?(?:\s+(?:Sonoma|Ventura|Monterey|Sequoia|Big Sur))?"
    r"|Ubuntu(?:\s+\d+\.\d+(?:\s+LTS)?)?"
    r"|iOS(?:\s+\d+(?:\.\d+)*)?"
    r"|Android(?:\s+\d+)?"
    r"|ChromeOS|Linux)\b"
)
_BROWSER = re.compile(r"\b(?:Chrome|Firefox|Safari|Edge)(?:\s+\d+(?:\.\d+)*)?\b")
_VERSION = re.compile(
    r"\bversion\s*:?\s*v?(\d+(?:\.\d+)+)\b"
    r"|(?<![\w.])v?(\d{1,2}\.\d{1,3}\.\d{1,3})(?!\w|\.\d)",
    re.IGNORECASE,
)
_ERROR_CODE = re.compile(r"\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)*_\d{2,}\b|\bHTTP\s+[1-5]\d\d\b")
_IDENTIFIER = re.compile(
    r"\b(?:req|job|rpt|acct|wh|txn|trace|evt)_[A-Za-z0-9]{4,}\b"
    r"|\bINV-\d{4}-\d+\b"
    r"|\b(?:request|job|trace|correlation)\s+id\s*[:=#]?\s*([A-Za-z0-9][A-Za-z0-9_-]{3,})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EnvironmentFact:
    """One fact and the timeline event it was first found in (None: the case description)."""

    kind: FactKind
    value: str
    event_id: int | None

    @property
    def label(self) -> str:
        return FACT_LABELS[self.kind]


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def facts_in(text: str) -> list[tuple[FactKind, str]]:
    """The facts of one text, in the order: OS, browser, version, error codes, ids."""
    found: list[tuple[FactKind, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in ((FactKind.OS, _OS), (FactKind.BROWSER, _BROWSER)):
        for match in pattern.finditer(text):
            found.append((kind, " ".join(match.group(0).split())))
            taken.append(match.span())
    for match in _VERSION.finditer(text):
        if not _overlaps(match.span(), taken):
            found.append((FactKind.PRODUCT_VERSION, match.group(1) or match.group(2)))
    for match in _ERROR_CODE.finditer(text):
        found.append((FactKind.ERROR_CODE, " ".join(match.group(0).split())))
    for match in _IDENTIFIER.finditer(text):
        found.append((FactKind.IDENTIFIER, match.group(1) or match.group(0)))
    return found


def extract_facts(
    sources: Iterable[tuple[int | None, str]], per_kind: int = 5
) -> tuple[EnvironmentFact, ...]:
    """Distinct facts of ``sources`` ((event id, text) in reading order); at most ``per_kind`` per kind."""
    facts: list[EnvironmentFact] = []
    seen: set[tuple[FactKind, str]] = set()
    counts: dict[FactKind, int] = dict.fromkeys(FactKind, 0)
    for event_id, text in sources:
        for kind, value in facts_in(text):
            if (kind, value.lower()) in seen or counts[kind] >= per_kind:
                continue
            seen.add((kind, value.lower()))
            counts[kind] += 1
            facts.append(EnvironmentFact(kind, value, event_id))
    order = list(FactKind)
    return tuple(sorted(facts, key=lambda fact: order.index(fact.kind)))
