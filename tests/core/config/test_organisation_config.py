"""Teams, people, skills, capacity and presence in the workspace configuration, stored in their tables."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import ConfigError, default_config, export_config, load_config, parse_config, save_config
from core.config.organisation_storage import synthetic_email
from core.config.routing_model import Organisation, PersonSettings, TeamSettings
from core.config.skills import SkillLevel, parse_skill
from core.config.storage import load_stored_config
from core.config.validation import validate
from core.db.models import PersonRow, PersonSkillRow, TeamRow
from core.db.runner import DbRunner
from tests.core.config.organisation_builders import SeededOrganisation, seed_organisation


@pytest.fixture
def seeded(db: DbRunner) -> SeededOrganisation:
    return db.write(seed_organisation).result()


def _organisation(db: DbRunner) -> Organisation:
    return db.read(load_config).result().organisation


def _with_organisation(organisation: Organisation) -> object:
    return dataclasses.replace(default_config(), organisation=organisation)


def _person(organisation: Organisation, name: str) -> PersonSettings:
    return next(person for person in organisation.people if person.name == name)


def _replace_person(organisation: Organisation, name: str, **changes: object) -> Organisation:
    people = tuple(
        dataclasses.replace(person, **changes) if person.name == name else person
        for person in organisation.people
    )
    return dataclasses.replace(organisation, people=people)


def _problems(db: DbRunner, organisation: Organisation) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        db.write(save_config, _with_organisation(organisation)).result()
    return [str(problem) for problem in caught.value.problems]


def test_the_configuration_shows_every_team_and_active_person_from_the_tables(
    db: DbRunner, seeded: SeededOrganisation
) -> None:
    organisation = _organisation(db)

    assert organisation.teams == (
        TeamSettings("frontline", "Frontline Support", 1, "", 0, ""),
        TeamSettings("billing-t2", "Billing Specialists", 2, "billing", 0, ""),
        TeamSettings("sso-t2", "SSO Specialists", 2, "sso", 8, "billing-t2"),
        TeamSettings("spare", "Spare Lane", 3, "", 0, ""),
    )
    assert organisation.people == (
        PersonSettings(
            synthetic_email(seeded.nameless),
            "Nils Nameless",
            "agent",
            "frontline",
            8,
            "available",
            ("lang:en=9",),
        ),
        PersonSettings(
            "tom@acme.example", "Tom Berg", "specialist", "billing-t2", 6, "available", ("area:billing=9",)
        ),
        PersonSettings("ana@acme.example", "Ana Lindqvist", "lead", "sso-t2", 3, "available", ()),
        PersonSettings(
            "priya@acme.example",
            "Priya Raman",
            "specialist",
            "sso-t2",
            6,
            "available",
            ("area:sso=8", "lang:de=7"),
        ),
    )


def test_an_exported_file_edited_and_saved_updates_teams_people_and_skills(
    db: DbRunner, seeded: SeededOrganisation
) -> None:
    exported = parse_config(export_config(db.read(load_config).result()))
    organisation = _replace_person(
        exported.organisation,
        "Priya Raman",
        capacity=4,
        presence="away",
        skills=("area:sso=10", "type:bug=6"),
    )
    newcomer = PersonSettings(
        "kai@acme.example", "Kai Osei", "specialist", "billing-t2", 5, "available", ("area:billing=6",)
    )
    people = (*(person for person in organisation.people if person.name != "Tom Berg"), newcomer)
    edited = dataclasses.replace(exported, organisation=dataclasses.replace(organisation, people=people))

    changes = db.write(save_config, edited).result()

    stored = _organisation(db)
    assert _person(stored, "Priya Raman") == PersonSettings(
        "priya@acme.example", "Priya Raman", "specialist", "sso-t2", 4, "away", ("area:sso=10", "type:bug=6")
    )
    assert _person(stored, "Kai Osei") == newcomer
    assert "Tom Berg" not in [person.name for person in stored.people]
    assert changes.config and changes.teams == {seeded.sso_team, seeded.billing_team}

    def tom(session: Session) -> tuple[bool, int | None, int]:
        row = session.scalars(select(PersonRow).where(PersonRow.email == "tom@acme.example")).one()
        skills = session.scalars(select(PersonSkillRow).where(PersonSkillRow.person_id == row.id)).all()
        return row.active, row.team_id, len(skills)

    assert db.read(tom).result() == (False, seeded.billing_team, 1)  # kept for the history of his cases
    assert parse_config(export_config(db.read(load_config).result())) == db.read(load_config).result()


def test_saving_the_same_organisation_changes_no_team(db: DbRunner, seeded: SeededOrganisation) -> None:
    config = db.read(load_config).result()

    changes = db.write(save_config, config).result()

    assert changes.config and changes.teams == frozenset()
    assert db.read(load_config).result() == config


def test_teams_are_upserted_by_key_with_their_secondary_team(
    db: DbRunner, seeded: SeededOrganisation
) -> None:
    organisation = _organisation(db)
    teams = (
        *(
            dataclasses.replace(team, wip_limit=12, secondary_team="night-shift")
            if team.key == "billing-t2"
            else team
            for team in organisation.teams
        ),
        TeamSettings("night-shift", "Night Shift", 2, "sso", 0, "sso-t2"),
    )

    changes = db.write(
        save_config, _with_organisation(dataclasses.replace(organisation, teams=teams))
    ).result()

    stored = _organisation(db)
    assert TeamSettings("billing-t2", "Billing Specialists", 2, "billing", 12, "night-shift") in stored.teams
    assert TeamSettings("night-shift", "Night Shift", 2, "sso", 0, "sso-t2") in stored.teams
    night_shift = db.read(
        lambda s: s.scalars(select(TeamRow.id).where(TeamRow.key == "night-shift")).one()
    ).result()
    assert changes.teams == {seeded.billing_team, night_shift}


def test_a_person_without_an_email_address_is_matched_back_by_the_synthetic_one(
    db: DbRunner, seeded: SeededOrganisation
) -> None:
    organisation = _replace_person(_organisation(db), "Nils Nameless", capacity=9, presence="away")

    db.write(save_config, _with_organisation(organisation)).result()

    def nils(session: Session) -> tuple[int, str, str | None, bool]:
        row = session.get_one(PersonRow, seeded.nameless)
        return row.capacity, row.presence, row.email, row.active

    assert db.read(nils).result() == (9, "away", None, True)
    assert _person(_organisation(db), "Nils Nameless").email == synthetic_email(seeded.nameless)


def test_a_file_without_an_organisation_leaves_the_teams_and_people_as_they_are(
    db: DbRunner, seeded: SeededOrganisation
) -> None:
    before = _organisation(db)
    text = export_config(default_config()).replace("teams = []\npeople = []\n", "")
    assert "teams = []" not in text
    without = dataclasses.replace(
        parse_config(text), reminders=dataclasses.replace(default_config().reminders, business_days=(3,))
    )

    changes = db.write(save_config, without).result()

    assert _organisation(db) == before
    assert db.read(load_config).result().reminders.business_days == (3,)
    assert changes.teams == frozenset()


def test_an_unused_team_left_out_of_the_file_is_deleted(db: DbRunner, seeded: SeededOrganisation) -> None:
    organisation = _organisation(db)
    kept = tuple(team for team in organisation.teams if team.key != "spare")

    changes = db.write(
        save_config, _with_organisation(dataclasses.replace(organisation, teams=kept))
    ).result()

    assert [team.key for team in _organisation(db).teams] == ["frontline", "billing-t2", "sso-t2"]
    assert changes.teams == {seeded.spare_team}


def test_a_team_with_cases_cannot_be_removed_and_nothing_changes(
    db: DbRunner, seeded: SeededOrganisation
) -> None:
    before = db.read(load_config).result()
    organisation = before.organisation
    teams = tuple(team for team in organisation.teams if team.key != "sso-t2")
    people = tuple(
        dataclasses.replace(person, team="") if person.team == "sso-t2" else person
        for person in organisation.people
    )
    edited = dataclasses.replace(
        _with_organisation(Organisation(teams=teams, people=people)),
        reminders=dataclasses.replace(default_config().reminders, business_days=(4,)),
    )

    with pytest.raises(ConfigError) as caught:
        db.write(save_config, edited).result()

    assert [str(problem) for problem in caught.value.problems] == [
        "[organisation.teams]: team 'sso-t2' (SSO Specialists) still has 1 case; "
        "keep it in the file or move its cases first"
    ]
    assert db.read(load_config).result() == before


def test_product_areas_must_exist_in_the_workspace(db: DbRunner, seeded: SeededOrganisation) -> None:
    before = _organisation(db)
    organisation = before
    teams = tuple(
        dataclasses.replace(team, product_area="ssso") if team.key == "sso-t2" else team
        for team in organisation.teams
    )
    organisation = _replace_person(
        dataclasses.replace(organisation, teams=teams),
        "Tom Berg",
        skills=("area:billing=9", "area:payroll=4"),
    )

    assert _problems(db, organisation) == [
        "[organisation.teams[3]] product_area: team 'sso-t2': 'ssso' is not a product area of this "
        "workspace; known areas: billing, sso",
        "[organisation.people[2]] skills[2]: tom@acme.example: 'payroll' is not a product area of this "
        "workspace; known areas: billing, sso",
    ]
    assert _organisation(db) == before


def test_every_rule_of_teams_and_people_names_its_section_and_field() -> None:
    teams = (
        TeamSettings("sso-t2", "SSO Specialists", 2, "sso", 8, "sso-t2"),
        TeamSettings("Billing Team", " ", 4, "", -1, "nowhere"),
        TeamSettings("sso-t2", "Duplicate", 2, "", 0, ""),
    )
    people = (
        PersonSettings(
            "priya@acme.example", "Priya", "wizard", "night", 101, "asleep", ("area:sso=8", "area:sso=9")
        ),
        PersonSettings(
            "PRIYA@acme.example", "", "agent", "", -1, "available", ("sso=8", "skill:x=3", "lang:de=11")
        ),
        PersonSettings("", "Anon", "agent", "sso-t2", 6, "away", ()),
    )

    problems = [str(problem) for problem in validate(_with_organisation(Organisation(teams, people)))]

    assert problems == [
        "[organisation.teams[1]] secondary_team: a team cannot overflow to itself; "
        "name another team or leave it empty",
        "[organisation.teams[2]] key: 'Billing Team' is not a valid key; "
        "use lower-case letters, digits, hyphens and underscores",
        "[organisation.teams[2]] name: must not be empty",
        "[organisation.teams[2]] tier: must be from 1 to 3, not 4",
        "[organisation.teams[2]] wip_limit: must be at least 0, not -1",
        "[organisation.teams[2]] secondary_team: 'nowhere' is not a team in this file; "
        "known teams: sso-t2, Billing Team, sso-t2",
        "[organisation.teams[3]] key: 'sso-t2' is used twice; each key must be unique",
        "[organisation.people[1]] role: 'wizard' is not one of: agent, specialist, lead, engineer, manager",
        "[organisation.people[1]] team: 'night' is not a team in this file; "
        "leave it empty or use one of: sso-t2, Billing Team, sso-t2",
        "[organisation.people[1]] capacity: must be from 0 to 100, not 101",
        "[organisation.people[1]] presence: 'asleep' is not one of: available, away",
        "[organisation.people[1]] skills[2]: 'area:sso' is listed twice; give each skill once",
        "[organisation.people[2]] name: must not be empty",
        "[organisation.people[2]] capacity: must be from 0 to 100, not -1",
        "[organisation.people[2]] skills[1]: 'sso=8' is not a skill; "
        "write kind:value=level, for example 'area:sso=8'",
        "[organisation.people[2]] skills[2]: 'skill:x=3': the kind 'skill' is not one of: area, lang, type",
        "[organisation.people[2]] skills[3]: 'lang:de=11': the level must be from 0 to 10, not 11",
        "[organisation.people[3]] email: must not be empty",
        "[organisation.people[2]] email: 'PRIYA@acme.example' is used twice; each email must be unique",
    ]


def test_an_organisation_in_the_file_round_trips_through_toml() -> None:
    organisation = Organisation(
        teams=(TeamSettings("sso-t2", "SSO Specialists", 2, "sso", 8, ""),),
        people=(
            PersonSettings(
                "priya@acme.example", "Priya Raman", "specialist", "sso-t2", 6, "away", ("area:sso=8",)
            ),
        ),
    )
    config = _with_organisation(organisation)

    text = export_config(config)

    assert "[[organisation.teams]]" in text and "[[organisation.people]]" in text
    assert 'skills = ["area:sso=8"]' in text
    assert parse_config(text) == config


def test_skill_texts_read_as_kind_value_and_level() -> None:
    assert parse_skill(" type:feature_request = 7 ") == SkillLevel("type:feature_request", 7)
    assert parse_skill("lang:pt-BR=3").kind == "lang"
    assert parse_skill("area:sso=0").text == "area:sso=0"


def test_rules_can_be_read_without_the_organisation(db: DbRunner, seeded: SeededOrganisation) -> None:
    routing = dataclasses.replace(default_config().routing, default_capacity=9)
    db.write(save_config, dataclasses.replace(db.read(load_config).result(), routing=routing)).result()

    stored = db.read(load_stored_config).result()

    assert stored.routing.default_capacity == 9
    assert stored.organisation == Organisation(teams=(), people=())
    assert len(db.read(load_config).result().organisation.people) == 4
