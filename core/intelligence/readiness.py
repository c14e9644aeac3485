"""The readiness check: is the diagnostic context the target team requires in the case, and where?

The requirements come from the first readiness profile of the configuration
that matches the target team and the case's product area. Each required item
is looked for in the description, then in the timeline from the oldest event:
a configured pattern in the text, or an event of a configured kind (a log
excerpt, an attachment). The first place found is the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config.model import ReadinessItemRule, ReadinessRequirements, WorkspaceConfig
from core.db.models import TeamRow
from core.intelligence.case_context import CaseContext, load_case_context
from core.intelligence.text_scan import clip, excerpt_around, in_question


@dataclass(frozen=True)
class ReadinessItem:
    """One required piece of context: found or not, with the event and words it was found in.

    ``evidence_event_id`` is None when the item was found in the case description.
    """

    key: str
    label: str
    present: bool
    evidence_event_id: int | None = None
    evidence_excerpt: str = ""


@dataclass(frozen=True)
class Readiness:
    """The readiness of a case for the target team: every required item, in the configured order."""

    items: tuple[ReadinessItem, ...]

    @property
    def missing(self) -> tuple[ReadinessItem, ...]:
        """The items not found; escalating anyway needs an override reason."""
        return tuple(item for item in self.items if not item.present)

    @property
    def ready(self) -> bool:
        return not self.missing


def required_items(
    requirements: ReadinessRequirements, team_key: str, product_area_key: str
) -> tuple[ReadinessItemRule, ...]:
    """The items the first matching profile requires; every configured item when no profile matches."""
    rules = {rule.key: rule for rule in requirements.items}
    for profile in requirements.profiles:
        if profile.team not in ("", team_key) or profile.product_area not in ("", product_area_key):
            continue
        return tuple(rules[key] for key in profile.required if key in rules)
    return requirements.items


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:  # validated on save; a stored bad pattern simply detects nothing
        return None


def _sources(context: CaseContext) -> Iterator[tuple[int | None, str, str]]:
    """(event id or None for the description, event kind, text), in the order evidence is looked for."""
    if context.header.description.strip():
        yield None, "", context.header.description
    for event in context.timeline:
        yield event.id, event.kind.value, event.body_text


def find_item(context: CaseContext, rule: ReadinessItemRule) -> ReadinessItem:
    """Look for ``rule`` in the case; the first place it is found is the evidence."""
    patterns = [compiled for compiled in map(_compiled, rule.patterns) if compiled is not None]
    for event_id, kind, body in _sources(context):
        if kind and kind in rule.event_kinds:
            return ReadinessItem(rule.key, rule.label, True, event_id, clip(body))
        for pattern in patterns:
            for match in pattern.finditer(body):
                if in_question(body, match.end()):
                    continue  # "how many users are affected?" asks for the context, it does not give it
                excerpt = excerpt_around(body, match.start(), match.end())
                return ReadinessItem(rule.key, rule.label, True, event_id, excerpt)
    return ReadinessItem(rule.key, rule.label, False)


def check_readiness(
    session: Session, case_id: int, config: WorkspaceConfig, team_id: int | None
) -> Readiness:
    """The context team ``team_id`` (and the case's product area) requires, each item found or missing."""
    context = load_case_context(session, case_id)
    team_key = (
        "" if team_id is None else session.scalar(select(TeamRow.key).where(TeamRow.id == team_id)) or ""
    )
    rules = required_items(config.readiness, team_key, context.product_area_key)
    return Readiness(items=tuple(find_item(context, rule) for rule in rules))
