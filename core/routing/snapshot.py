"""From the workspace database to the routing engine's inputs: the organisation snapshot and case profiles.

A few grouped queries, whatever the number of cases: teams, active members, their
skills, and the open cases grouped by assignee, team, priority, tier and whether they
count towards load. Runs on the DB thread; the values it returns are frozen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from core.config.routing_model import RoutingRules
from core.config.storage import load_stored_config
from core.db.types import parse_utc
from core.domain.enums import Priority, Stage
from core.routing.engine import case_weight, counts_towards_load, is_on_board
from core.routing.types import CaseProfile, MemberState, Presence, RoutingSnapshot, TeamState

# SQLite allows many more bound values, but chunks keep each statement small and its plan cached.
_CHUNK = 500


@dataclass
class _Tally:
    """Weight units of active work and open cards, accumulated from grouped rows."""

    load: int = 0
    cards: int = 0


@dataclass
class _Loads:
    """Tallies per person and per team."""

    people: dict[int, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    teams: dict[int, _Tally] = field(default_factory=lambda: defaultdict(_Tally))


def load_routing_rules(session: Session) -> RoutingRules:
    """The workspace's routing rules, without reading its organisation (``load_config`` reads both)."""
    return load_stored_config(session).routing


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """``ids`` (deduplicated, in order) in lists small enough for one ``IN`` clause."""
    unique = list(dict.fromkeys(int(i) for i in ids))
    for start in range(0, len(unique), _CHUNK):
        yield unique[start : start + _CHUNK]


def _open_case_loads(session: Session, rules: RoutingRules) -> _Loads:
    """Load and open cards per person and per team, from one grouped query."""
    rows = session.execute(
        text(
            "SELECT assignee_id, team_id, priority, tier, stage, count(*) FROM cases "
            "WHERE (assignee_id IS NOT NULL OR team_id IS NOT NULL) "
            "AND stage NOT IN ('resolved', 'closed') "
            "GROUP BY assignee_id, team_id, priority, tier, stage"
        )
    ).all()
    loads = _Loads()
    for assignee_id, team_id, priority, tier, stage_value, count in rows:
        stage = Stage(stage_value)
        weight = (
            case_weight(Priority(priority), tier, rules) * count if counts_towards_load(stage, rules) else 0
        )
        cards = count if is_on_board(stage) else 0
        for key, tallies in ((assignee_id, loads.people), (team_id, loads.teams)):
            if key is not None:
                tallies[key].load += weight
                tallies[key].cards += cards
    return loads


def _skills_by_person(session: Session) -> dict[int, dict[str, int]]:
    rows = session.execute(
        text(
            "SELECT s.person_id, s.skill, s.level FROM person_skills s "
            "JOIN people p ON p.id = s.person_id WHERE p.active AND p.team_id IS NOT NULL"
        )
    ).all()
    skills: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, skill, level in rows:
        skills[person_id][skill] = level
    return skills


def _members_by_team(session: Session, rules: RoutingRules, loads: _Loads) -> dict[int, list[MemberState]]:
    skills = _skills_by_person(session)
    rows = session.execute(
        text(
            "SELECT id, name, role, capacity, presence, last_assigned_at, team_id FROM people "
            "WHERE active AND team_id IS NOT NULL ORDER BY name, id"
        )
    ).all()
    members: dict[int, list[MemberState]] = defaultdict(list)
    for person_id, name, role, capacity, presence, last_assigned_at, team_id in rows:
        tally = loads.people.get(person_id, _Tally())
        members[team_id].append(
            MemberState(
                person_id=person_id,
                name=name,
                role=role,
                capacity=rules.default_capacity if capacity is None else capacity,
                presence=Presence.AWAY if presence == Presence.AWAY.value else Presence.AVAILABLE,
                skills=skills.get(person_id, {}),
                load=tally.load,
                open_cases=tally.cards,
                last_assigned_at=parse_utc(last_assigned_at) if last_assigned_at is not None else None,
            )
        )
    return members


def load_snapshot(
    session: Session, rules: RoutingRules, now: datetime, *, tiers: Iterable[int] | None = None
) -> RoutingSnapshot:
    """The organisation now: teams in board order (tier, then name), members by name, loads by weight.

    ``tiers`` keeps only teams of those tiers (None: every team).
    """
    loads = _open_case_loads(session, rules)
    members = _members_by_team(session, rules, loads)
    rows = session.execute(
        text(
            "SELECT t.id, t.key, t.name, t.tier, a.key, t.wip_limit, t.secondary_team_id FROM teams t "
            "LEFT JOIN product_areas a ON a.id = t.product_area_id ORDER BY t.tier, t.name, t.id"
        )
    ).all()
    wanted = None if tiers is None else set(tiers)
    teams = []
    for team_id, key, name, tier, area, wip_limit, secondary_team_id in rows:
        if wanted is not None and tier not in wanted:
            continue
        tally = loads.teams.get(team_id, _Tally())
        teams.append(
            TeamState(
                team_id=team_id,
                key=key,
                name=name,
                tier=tier,
                product_area=area,
                wip_limit=wip_limit or None,
                secondary_team_id=secondary_team_id,
                members=tuple(members.get(team_id, ())),
                load=tally.load,
                open_cases=tally.cards,
            )
        )
    return RoutingSnapshot(teams=tuple(teams), taken_at=now)


_PROFILE_SQL = text(
    """
    SELECT c.id, c.number, c.subject, c.priority, c.tier, c.stage, a.key, c.language, c.issue_type,
           c.team_id, c.assignee_id, c.created_at,
           (SELECT max(e.requested_at) FROM escalations e WHERE e.case_id = c.id AND e.closed_at IS NULL)
    FROM cases c
    LEFT JOIN product_areas a ON a.id = c.product_area_id
    WHERE c.id IN :ids
    """
).bindparams(bindparam("ids", expanding=True))


def load_profiles(session: Session, case_ids: Sequence[int] | Iterable[int]) -> dict[int, CaseProfile]:
    """What routing needs to know of each case (unknown ids are left out)."""
    profiles: dict[int, CaseProfile] = {}
    for chunk in chunks(case_ids):
        for row in session.execute(_PROFILE_SQL, {"ids": chunk}):
            (case_id, number, subject, priority, tier, stage, area, language, issue_type) = row[:9]
            team_id, assignee_id, created_at, requested_at = row[9:]
            profiles[case_id] = CaseProfile(
                case_id=case_id,
                number=number,
                subject=subject,
                priority=Priority(priority),
                tier=tier,
                stage=Stage(stage),
                product_area=area,
                language=language or None,
                issue_type=issue_type or None,
                team_id=team_id,
                assignee_id=assignee_id,
                waiting_since=parse_utc(requested_at if requested_at is not None else created_at),
            )
    return profiles
