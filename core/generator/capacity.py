"""Sizing the generated organisation to its workload, so the board looks like a real team's.

The generator assigns cases first; this pass then gives each worker a capacity
(in routing weight units) a little above or below the load they actually carry,
and each team a WIP limit around its open card count. Most people and lanes
have some room; about one in five people and a few lanes are over, which is what
a lead rebalancing a board sees on a normal morning.
"""

from __future__ import annotations

import math
from collections import defaultdict
from random import Random

from sqlalchemy import Connection, text

from core.config.defaults import DEFAULT_ROUTING
from core.domain.enums import Priority, Stage
from core.routing.engine import case_weight, counts_towards_load, is_on_board

CAPACITY_SLACK = (0.85, 1.7)
"""Capacity as a share of the load a worker carries (below 1.0: over capacity)."""
WIP_SLACK = (0.9, 1.35)
"""WIP limit as a share of the lane's open cards (below 1.0: over the limit)."""
_UNSIZED_ROLES = ("manager",)


def size_to_workload(connection: Connection, rng: Random) -> None:
    """Set people's capacity and teams' WIP limits from the generated cases (one pass, a few statements)."""
    rules = DEFAULT_ROUTING
    person_load: dict[int, int] = defaultdict(int)
    team_cards: dict[int, int] = defaultdict(int)
    open_cases = connection.execute(
        text(
            "SELECT assignee_id, team_id, priority, tier, stage FROM cases "
            "WHERE stage NOT IN ('resolved', 'closed')"
        )
    )
    for assignee_id, team_id, priority, tier, stage_value in open_cases:
        stage = Stage(stage_value)
        if team_id is not None and is_on_board(stage):
            team_cards[team_id] += 1
        if assignee_id is not None and counts_towards_load(stage, rules):
            person_load[assignee_id] += case_weight(Priority(priority), tier, rules)
    people = connection.execute(text("SELECT id, role, capacity FROM people ORDER BY id")).all()
    connection.execute(
        text("UPDATE people SET capacity = :capacity WHERE id = :id"),
        [
            {"id": person_id, "capacity": _capacity(rng, base, person_load.get(person_id, 0))}
            for person_id, role, base in people
            if role not in _UNSIZED_ROLES
        ],
    )
    teams = connection.execute(text("SELECT id FROM teams ORDER BY id")).scalars().all()
    connection.execute(
        text("UPDATE teams SET wip_limit = :limit WHERE id = :id"),
        [{"id": team_id, "limit": _wip_limit(rng, team_cards.get(team_id, 0))} for team_id in teams],
    )


def _capacity(rng: Random, base: int, load: int) -> int:
    """An even number of units around ``load`` (never below the role's usual ``base``)."""
    sized = 2 * math.ceil(load * rng.uniform(*CAPACITY_SLACK) / 2)
    return max(base, sized)


def _wip_limit(rng: Random, cards: int) -> int:
    """A round limit around ``cards`` (at least 5)."""
    return max(5, round(cards * rng.uniform(*WIP_SLACK)))
