"""The organisation part of the configuration, read from and written to the workspace's tables.

Teams, people and their skills live in ``teams``, ``people`` and ``person_skills``
(cases and the sync engine refer to those rows), not in the stored configuration.

Reading (:func:`load_organisation`) gives every team, in tier then name order, and
every active person with their skills as sorted texts (``"area:sso=8"``). People
are known by e-mail address; a person stored without one is exported as
``person-<id>@local.invalid`` (see :func:`synthetic_email`), and a file naming that
address is matched back to the same person, who keeps having no address.

Writing (:func:`apply_organisation`) leaves the tables alone when the file holds
no teams and no people. Otherwise it makes the tables say what the file says:
teams are upserted by key, people by e-mail address (case-insensitive) and each
person's skills are replaced; people missing from the file become inactive (kept
for the history of their cases); a team missing from the file is deleted. Before
writing, :func:`organisation_problems` lists what the workspace refuses: product
areas it does not have, and teams left out of the file that cases, escalations or
routing records still refer to.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from core.config.errors import ConfigProblem
from core.config.routing_model import Organisation, PersonSettings, TeamSettings
from core.config.skills import parse_skill, skill_text
from core.db.models import (
    CaseRouteRow,
    CaseRow,
    EscalationRow,
    PersonRow,
    PersonSkillRow,
    ProductAreaRow,
    TeamRow,
)

EMPTY_ORGANISATION = Organisation(teams=(), people=())
_SYNTHETIC_EMAIL = re.compile(r"^person-(\d+)@local\.invalid$", re.IGNORECASE)


def synthetic_email(person_id: int) -> str:
    """The address a person stored without an e-mail address is exported under."""
    return f"person-{person_id}@local.invalid"


def load_organisation(session: Session) -> Organisation:
    """Every team and every active person of the workspace, as the configuration file shows them."""
    return _read(session).organisation


def organisation_problems(session: Session, organisation: Organisation) -> list[ConfigProblem]:
    """What the workspace refuses in ``organisation``: unknown product areas, teams still in use."""
    if _is_empty(organisation):
        return []
    areas = _area_ids(session)
    problems = [*_area_problems(organisation, areas)]
    kept = {team.key for team in organisation.teams}
    removed = session.execute(select(TeamRow.id, TeamRow.key, TeamRow.name).where(TeamRow.key.not_in(kept)))
    for team_id, key, name in removed:
        uses = _uses_of_team(session, team_id)
        if uses:
            problems.append(
                ConfigProblem(
                    "organisation.teams",
                    "",
                    f"team {key!r} ({name}) still has {_listing(uses)}; "
                    "keep it in the file or move its cases first",
                )
            )
    return problems


def apply_organisation(session: Session, organisation: Organisation) -> frozenset[int]:
    """Make the tables hold ``organisation`` (a valid one); the ids of the teams added, changed or removed.

    A team counts as changed when its own settings or one of its members changed.
    Nothing happens when ``organisation`` has no teams and no people.
    """
    if _is_empty(organisation):
        return frozenset()
    before = _read(session)
    teams = _apply_teams(session, organisation.teams, _area_ids(session))
    _apply_people(session, organisation.people, teams)
    _remove_teams(session, [row for key, row in teams.items() if key not in _keys(organisation.teams)])
    session.flush()
    after = _read(session)
    return _changed_teams(before, after)


@dataclass(frozen=True)
class _Snapshot:
    """The organisation as stored, with the id behind each team key."""

    organisation: Organisation
    team_ids: dict[str, int]


def _is_empty(organisation: Organisation) -> bool:
    return not organisation.teams and not organisation.people


def _keys(teams: Iterable[TeamSettings]) -> set[str]:
    return {team.key for team in teams}


def _area_ids(session: Session) -> dict[str, int]:
    return {key: area_id for area_id, key in session.execute(select(ProductAreaRow.id, ProductAreaRow.key))}


def _read(session: Session) -> _Snapshot:
    areas = {area_id: key for key, area_id in _area_ids(session).items()}
    team_rows = session.scalars(select(TeamRow).order_by(TeamRow.tier, TeamRow.name, TeamRow.id)).all()
    keys = {row.id: row.key for row in team_rows}
    teams = tuple(
        TeamSettings(
            key=row.key,
            name=row.name,
            tier=row.tier,
            product_area=areas.get(row.product_area_id, "") if row.product_area_id else "",
            wip_limit=row.wip_limit or 0,
            secondary_team=keys.get(row.secondary_team_id, "") if row.secondary_team_id else "",
        )
        for row in team_rows
    )
    position: dict[int | None, int] = {row.id: index for index, row in enumerate(team_rows)}
    people_rows = sorted(
        session.scalars(select(PersonRow).where(PersonRow.active.is_(True))),
        key=lambda row: (position.get(row.team_id, len(position)), row.name, row.id),
    )
    skills = _skills_of(session, [row.id for row in people_rows])
    people = tuple(
        PersonSettings(
            email=_email_of(row),
            name=row.name,
            role=row.role,
            team=keys.get(row.team_id, "") if row.team_id else "",
            capacity=row.capacity,
            presence=row.presence,
            skills=skills.get(row.id, ()),
        )
        for row in people_rows
    )
    return _Snapshot(Organisation(teams=teams, people=people), {row.key: row.id for row in team_rows})


def _email_of(row: PersonRow) -> str:
    return row.email.strip() if row.email and row.email.strip() else synthetic_email(row.id)


def _skills_of(session: Session, person_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    texts: dict[int, list[str]] = defaultdict(list)
    wanted = set(person_ids)
    rows = session.execute(
        select(PersonSkillRow.person_id, PersonSkillRow.skill, PersonSkillRow.level).order_by(
            PersonSkillRow.person_id, PersonSkillRow.skill
        )
    )
    for person_id, skill, level in rows:
        if person_id in wanted:
            texts[person_id].append(skill_text(skill, level))
    return {person_id: tuple(values) for person_id, values in texts.items()}


def _area_problems(organisation: Organisation, areas: dict[str, int]) -> Iterable[ConfigProblem]:
    known = ", ".join(sorted(areas)) or "none yet"
    for index, team in enumerate(organisation.teams, 1):
        if team.product_area and team.product_area not in areas:
            yield ConfigProblem(
                f"organisation.teams[{index}]",
                "product_area",
                f"team {team.key!r}: {team.product_area!r} is not a product area of this workspace; "
                f"known areas: {known}",
            )
    for index, person in enumerate(organisation.people, 1):
        for number, text in enumerate(person.skills, 1):
            try:
                skill = parse_skill(text)
            except ValueError:
                continue  # already reported by the rules that need no workspace
            if skill.kind == "area" and skill.value not in areas:
                yield ConfigProblem(
                    f"organisation.people[{index}]",
                    f"skills[{number}]",
                    f"{person.email}: {skill.value!r} is not a product area of this workspace; "
                    f"known areas: {known}",
                )


def _uses_of_team(session: Session, team_id: int) -> list[tuple[int, str]]:
    """How many cases, escalations and routing records refer to the team, as (count, noun) pairs."""
    counts = (
        (session.scalar(select(func.count()).where(CaseRow.team_id == team_id)) or 0, "case"),
        (session.scalar(select(func.count()).where(EscalationRow.team_id == team_id)) or 0, "escalation"),
        (
            session.scalar(
                select(func.count()).where(
                    or_(CaseRouteRow.from_team_id == team_id, CaseRouteRow.to_team_id == team_id)
                )
            )
            or 0,
            "routing record",
        ),
    )
    return [(count, noun) for count, noun in counts if count]


def _listing(uses: list[tuple[int, str]]) -> str:
    parts = [f"{count} {noun}{'s' if count != 1 else ''}" for count, noun in uses]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _apply_teams(
    session: Session, teams: Sequence[TeamSettings], areas: dict[str, int]
) -> dict[str, TeamRow]:
    """Upsert ``teams`` by key; every stored team by key (the ones about to be removed too)."""
    rows = {row.key: row for row in session.scalars(select(TeamRow))}
    for settings in teams:
        row = rows.get(settings.key)
        if row is None:
            row = TeamRow(key=settings.key)
            session.add(row)
            rows[settings.key] = row
        row.name = settings.name
        row.tier = settings.tier
        row.product_area_id = areas[settings.product_area] if settings.product_area else None
        row.wip_limit = settings.wip_limit or None
    session.flush()
    for settings in teams:  # secondary teams once every team has an id
        secondary = rows[settings.secondary_team].id if settings.secondary_team else None
        rows[settings.key].secondary_team_id = secondary
    return rows


def _apply_people(session: Session, people: Sequence[PersonSettings], teams: dict[str, TeamRow]) -> None:
    """Upsert ``people`` by e-mail address with their skills; everyone else becomes inactive."""
    stored = session.scalars(select(PersonRow).order_by(PersonRow.active.desc(), PersonRow.id)).all()
    by_email: dict[str, PersonRow] = {}
    by_id = {row.id: row for row in stored}
    for stored_row in stored:
        if stored_row.email and stored_row.email.strip():
            by_email.setdefault(stored_row.email.strip().casefold(), stored_row)
    kept: set[int] = set()
    for settings in people:
        matched = _match(settings.email, by_email, by_id)
        if matched is None:
            row = PersonRow(email=settings.email)
            session.add(row)
        else:
            row = matched
            if row.email and row.email.strip():
                row.email = settings.email
        row.name = settings.name
        row.role = settings.role
        row.team_id = teams[settings.team].id if settings.team else None
        row.capacity = settings.capacity
        row.presence = settings.presence
        row.active = True
        session.flush()
        kept.add(row.id)
        _replace_skills(session, row.id, settings.skills)
    for stored_row in stored:
        if stored_row.id not in kept and stored_row.active:
            stored_row.active = False


def _match(email: str, by_email: dict[str, PersonRow], by_id: dict[int, PersonRow]) -> PersonRow | None:
    """The stored person ``email`` names: by address, else by the synthetic address of one without any."""
    row = by_email.get(email.strip().casefold())
    if row is not None:
        return row
    synthetic = _SYNTHETIC_EMAIL.match(email.strip())
    if synthetic is None:
        return None
    candidate = by_id.get(int(synthetic.group(1)))
    if candidate is not None and not (candidate.email and candidate.email.strip()):
        return candidate
    return None


def _replace_skills(session: Session, person_id: int, texts: Sequence[str]) -> None:
    wanted = {skill.skill: skill.level for skill in map(parse_skill, texts)}
    current = {
        skill: level
        for skill, level in session.execute(
            select(PersonSkillRow.skill, PersonSkillRow.level).where(PersonSkillRow.person_id == person_id)
        )
    }
    if current == wanted:
        return
    session.execute(delete(PersonSkillRow).where(PersonSkillRow.person_id == person_id))
    session.add_all(
        PersonSkillRow(person_id=person_id, skill=skill, level=level)
        for skill, level in sorted(wanted.items())
    )


def _remove_teams(session: Session, removed: Sequence[TeamRow]) -> None:
    """Delete teams nothing refers to any more (checked before); inactive members lose their team."""
    if not removed:
        return
    ids = [row.id for row in removed]
    session.execute(update(TeamRow).where(TeamRow.secondary_team_id.in_(ids)).values(secondary_team_id=None))
    session.execute(update(PersonRow).where(PersonRow.team_id.in_(ids)).values(team_id=None))
    session.flush()
    for row in removed:
        session.delete(row)


def _changed_teams(before: _Snapshot, after: _Snapshot) -> frozenset[int]:
    ids = {**before.team_ids, **after.team_ids}
    old_teams = {team.key: team for team in before.organisation.teams}
    new_teams = {team.key: team for team in after.organisation.teams}
    changed = {key for key in old_teams.keys() | new_teams.keys() if old_teams.get(key) != new_teams.get(key)}
    old_people = {person.email.casefold(): person for person in before.organisation.people}
    new_people = {person.email.casefold(): person for person in after.organisation.people}
    for email in old_people.keys() | new_people.keys():
        old, new = old_people.get(email), new_people.get(email)
        if old != new:
            changed.update(person.team for person in (old, new) if person is not None and person.team)
    return frozenset(ids[key] for key in changed if key in ids)
