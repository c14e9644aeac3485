"""Filler beats: what happens in each stage between the beats the workflow requires.

Each stage that can hold fillers has a palette of topics with weights and the
role of whoever says them ("worker" is whoever works the case in that stage),
and a share of the case's filler beats that a stretch in this stage attracts.
"""

from __future__ import annotations

from bisect import bisect
from itertools import accumulate
from random import Random

from core.domain.enums import Stage
from core.generator.beats import Topic

# Filler palettes: (topic, weight, who). "worker" is whoever works the case in that stage.
_Palette = tuple[tuple[Topic, float, str], ...]
_INTAKE: _Palette = (
    (Topic.PROVIDES_INFO, 3, "contact"),
    (Topic.REQUESTS_INFO, 2, "worker"),
    (Topic.TIER1_STEP, 3, "worker"),
    (Topic.CUSTOMER_FILE, 1.5, "contact"),
    (Topic.NOTE, 1, "worker"),
    (Topic.CHASES, 1, "contact"),
    (Topic.UPDATES, 1, "worker"),
)
_QUEUED: _Palette = (
    (Topic.SUMMARY, 1, "worker"),
    (Topic.CHASES, 1, "contact"),
    (Topic.ACCOUNT, 1, "lead"),
    (Topic.FIELD_CHANGE, 0.5, "system"),
    (Topic.NOTE, 1, "lead"),
)
_INVESTIGATING: _Palette = (
    (Topic.STEP, 7, "worker"),
    (Topic.LOG, 6, "system"),
    (Topic.NOTE, 2, "worker"),
    (Topic.UPDATES, 1.5, "worker"),
    (Topic.PROVIDES_INFO, 1.5, "contact"),
    (Topic.CHASES, 1, "contact"),
    (Topic.SPECIALIST_FILE, 1, "worker"),
    (Topic.CUSTOMER_FILE, 1, "contact"),
    (Topic.SUMMARY, 0.5, "worker"),
    (Topic.ACCOUNT, 0.3, "lead"),
    (Topic.FIELD_CHANGE, 0.4, "worker"),
)
_AWAITING_CUSTOMER: _Palette = ((Topic.REMINDS, 2, "worker"), (Topic.NOTE, 1, "worker"))
_AWAITING_ENGINEERING: _Palette = (
    (Topic.UPDATES, 2, "worker"),
    (Topic.CHASES, 1.5, "contact"),
    (Topic.NOTE, 1, "engineer"),
    (Topic.LOG, 1, "system"),
)
_AWAITING_APPROVAL: _Palette = (
    (Topic.NOTE, 1, "worker"),
    (Topic.CHASES, 1, "contact"),
    (Topic.ACCOUNT, 1, "lead"),
)
_PROPOSED: _Palette = ((Topic.NOTE, 1, "worker"), (Topic.REMINDS, 1, "worker"))

_PALETTES: dict[Stage, tuple[_Palette, float]] = {
    # stage: (palette, share of the filler beats a segment in this stage attracts)
    Stage.NEW: (_INTAKE, 1.0),
    Stage.REQUESTED: (_QUEUED, 0.3),
    Stage.TRIAGED: (_QUEUED, 0.2),
    Stage.INVESTIGATING: (_INVESTIGATING, 3.0),
    Stage.AWAITING_CUSTOMER: (_AWAITING_CUSTOMER, 0.5),
    Stage.AWAITING_ENGINEERING: (_AWAITING_ENGINEERING, 0.8),
    Stage.AWAITING_APPROVAL: (_AWAITING_APPROVAL, 0.4),
    Stage.RESOLUTION_PROPOSED: (_PROPOSED, 0.4),
}
_PALETTE_CUM = {
    palette: list(accumulate(weight for _t, weight, _w in palette)) for palette, _ in _PALETTES.values()
}
_WAITS: dict[Topic, float] = {
    Topic.PROVIDES_INFO: 4.0,
    Topic.CHASES: 3.0,
    Topic.LOG: 0.1,
    Topic.STEP: 0.6,
    Topic.TIER1_STEP: 0.6,
    Topic.NOTE: 0.8,
    Topic.FIELD_CHANGE: 0.3,
    Topic.CUSTOMER_FILE: 0.2,
    Topic.SPECIALIST_FILE: 0.3,
    Topic.REMINDS: 3.0,
}


def filler_share(stage: Stage) -> float:
    """The share of filler beats a stretch of the story in ``stage`` attracts (0 for none)."""
    entry = _PALETTES.get(stage)
    return entry[1] if entry is not None else 0.0


def draw_filler(rng: Random, stage: Stage) -> tuple[Topic, str, float]:
    """(topic, who says it, wait) of a filler beat in ``stage``; ``stage`` must attract fillers."""
    palette = _PALETTES[stage][0]
    cumulative = _PALETTE_CUM[palette]
    topic, _weight, who = palette[bisect(cumulative, rng.random() * cumulative[-1])]
    return topic, who, _WAITS.get(topic, 1.0)
