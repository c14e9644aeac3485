"""Skill texts of the organisation's people: ``kind:value=level``, for example ``"area:sso=8"``.

``kind`` is ``area`` (a product area key), ``lang`` (a language code) or ``type``
(an issue type); the level goes from 0 to 10. The same ``kind:value`` part is what
``person_skills.skill`` holds and what routing matches against a case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SKILL_KINDS: tuple[str, ...] = ("area", "lang", "type")
MIN_SKILL_LEVEL = 0
MAX_SKILL_LEVEL = 10
SKILL_EXAMPLE = "area:sso=8"

_SKILL_TEXT = re.compile(r"^\s*([^:=\s]+):([^=\s]+)\s*=\s*(-?\d+)\s*$")


@dataclass(frozen=True)
class SkillLevel:
    """One skill of a person: ``skill`` is ``kind:value`` (``"lang:de"``), ``level`` 0–10."""

    skill: str
    level: int

    @property
    def kind(self) -> str:
        """``area``, ``lang`` or ``type``."""
        return self.skill.split(":", 1)[0]

    @property
    def value(self) -> str:
        """What the skill is about: the product area key, language code or issue type."""
        return self.skill.split(":", 1)[1]

    @property
    def text(self) -> str:
        """The skill as written in the configuration file."""
        return skill_text(self.skill, self.level)


def skill_text(skill: str, level: int) -> str:
    """``"area:sso=8"`` for ``skill`` ``"area:sso"`` at ``level`` 8."""
    return f"{skill}={level}"


def parse_skill(text: str) -> SkillLevel:
    """The skill ``text`` describes; raises ``ValueError`` saying what is wrong with it."""
    match = _SKILL_TEXT.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a skill; write kind:value=level, for example {SKILL_EXAMPLE!r}")
    kind, value, level_text = match.groups()
    if kind not in SKILL_KINDS:
        raise ValueError(f"{text!r}: the kind {kind!r} is not one of: {', '.join(SKILL_KINDS)}")
    level = int(level_text)
    if not MIN_SKILL_LEVEL <= level <= MAX_SKILL_LEVEL:
        raise ValueError(
            f"{text!r}: the level must be from {MIN_SKILL_LEVEL} to {MAX_SKILL_LEVEL}, not {level}"
        )
    return SkillLevel(skill=f"{kind}:{value}", level=level)
