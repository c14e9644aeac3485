"""Writing generated rows with the raw DB-API cursor: ``executemany`` over tuples, no ORM objects.

The column lists here define the tuple layouts :mod:`core.generator.render`
produces. Everything is written with explicit ids inside the caller's
transaction (see :func:`core.db.bulk.bulk_load`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlalchemy.engine import Connection

from core.domain.enums import SourceSystem
from core.generator.organisation import Organisation
from core.generator.render import CaseRows
from core.generator.traits import StaffTraits

_LOCAL = SourceSystem.LOCAL.value


def _insert(table: str, columns: str, constants: dict[str, str] | None = None) -> str:
    names = [name.strip() for name in columns.split(",")]
    values = ["?"] * len(names)
    for name, literal in (constants or {}).items():
        names.append(name)
        values.append(literal)
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(values)})"


_SOURCE = {"source_system": f"'{_LOCAL}'"}
INSERT_AREA = _insert("product_areas", "id, key, name")
INSERT_TEAM = _insert("teams", "id, key, name, tier, product_area_id, wip_limit", _SOURCE)
UPDATE_TEAM_SECONDARY = "UPDATE teams SET secondary_team_id = ? WHERE id = ?"
INSERT_PERSON = _insert(
    "people",
    "id, name, email, role, team_id, capacity, presence, last_assigned_at",
    {**_SOURCE, "active": "1"},
)
INSERT_SKILL = _insert("person_skills", "id, person_id, skill, level")
INSERT_CUSTOMER = _insert("customers", "id, name, domain, tier, arr_cents, renewal_date", _SOURCE)
INSERT_CONTACT = _insert("contacts", "id, customer_id, name, email, title", _SOURCE)
INSERT_CASE = _insert(
    "cases",
    "id, number, subject, description, priority, stage, tier, customer_id, contact_id, product_area_id, "
    "team_id, assignee_id, created_at, updated_at, resolved_at, reopen_count, resolution, "
    "root_cause, defect_key, language, issue_type",
    _SOURCE,
)
INSERT_EVENT = _insert(
    "timeline_events",
    "id, case_id, kind, visibility, occurred_at, author_name, author_person_id, author_contact_id, "
    "body_text, body_html, meta_json",
    _SOURCE,
)
INSERT_ESCALATION = _insert(
    "escalations",
    "id, case_id, tier, reason_code, justification, override_reason, stage, team_id, requested_by_id, "
    "requested_at, closed_at",
)
INSERT_TRANSITION = _insert(
    "stage_transitions", "id, case_id, escalation_id, from_stage, to_stage, actor_id, at, reason"
)
INSERT_NOTE = _insert("investigation_notes", "id, case_id, author_id, kind, body, created_at, updated_at")


class RowWriter:
    """Inserts generated rows through the DB-API connection underneath ``connection``."""

    def __init__(self, connection: Connection) -> None:
        driver = connection.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        self._cursor = driver.cursor()

    def _many(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        if rows:
            self._cursor.executemany(sql, rows)

    def organisation(self, organisation: Organisation, staff: StaffTraits) -> None:
        """Areas, teams (lanes), people with skills, presence and last assignment, customers with contacts."""
        self._many(INSERT_AREA, [(i + 1, area.key, area.name) for i, area in enumerate(organisation.areas)])
        teams = organisation.teams
        self._many(
            INSERT_TEAM,
            [
                (
                    team.id,
                    team.key,
                    team.name,
                    team.tier,
                    None if team.area is None else team.area + 1,
                    team.wip_limit,
                )
                for team in teams
            ],
        )
        self._many(
            UPDATE_TEAM_SECONDARY,
            [(team.secondary_team_id, team.id) for team in teams if team.secondary_team_id is not None],
        )
        self._many(
            INSERT_PERSON,
            [
                (
                    person.id,
                    person.name,
                    person.email,
                    person.role.value,
                    person.team_id,
                    person.capacity,
                    staff.presence(person),
                    staff.last_assigned.get(person.id),
                )
                for person in organisation.people
            ],
        )
        skills = [*organisation.skills, *staff.skills]
        self._many(INSERT_SKILL, [(index + 1, *skill) for index, skill in enumerate(skills)])
        customers = organisation.customers
        self._many(
            INSERT_CUSTOMER,
            [(c.id, c.name, c.domain, c.tier.value, c.arr_cents, c.renewal.isoformat()) for c in customers],
        )
        self._many(
            INSERT_CONTACT,
            [(ct.id, c.id, ct.name, ct.email, ct.title) for c in customers for ct in c.contacts],
        )

    def cases(self, rows: CaseRows) -> None:
        """One batch of cases with their timelines, escalations, transitions and notes."""
        self._many(INSERT_CASE, rows.cases)
        self._many(INSERT_EVENT, rows.events)
        self._many(INSERT_ESCALATION, rows.escalations)
        self._many(INSERT_TRANSITION, rows.transitions)
        self._many(INSERT_NOTE, rows.notes)
