"""The ids of what imported records name: customers, contacts, teams, product areas and people.

The document refers to them by name: an existing row is reused (teams and
product areas also match by key), otherwise one is created on first use.
Existing rows are never modified.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from core.db.models import ContactRow, CustomerRow, PersonRow, ProductAreaRow, TeamRow
from core.domain.enums import PersonRole
from core.transfer.schema import ContactRecord, CustomerRecord

_KEY_LENGTH = 64

Values = dict[str, Any]


class References:
    """Ids of the customers, contacts, teams, product areas and people that records name.

    Existing rows are read once; a name not found is created on first use and
    counted in :attr:`created` (by table name).
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.created: Counter[str] = Counter()
        self.new_team_ids: list[int] = []
        self._customers = _first_ids(connection, select(CustomerRow.name, CustomerRow.id))
        self._people = _first_ids(connection, select(PersonRow.name, PersonRow.id))
        self._contacts: dict[tuple[int | None, str], int] = {}
        contacts = select(ContactRow.customer_id, ContactRow.email, ContactRow.name, ContactRow.id)
        for customer_id, email, name, contact_id in connection.execute(contacts.order_by(ContactRow.id)):
            self._contacts.setdefault(_contact_key(customer_id, email, name), contact_id)
        self._teams = _NamedKeyed(connection, TeamRow)
        self._areas = _NamedKeyed(connection, ProductAreaRow)

    def _create(self, table: type[Any], values: Values) -> int:
        row_id: int = self._connection.execute(
            insert(table).values(**values).returning(table.id)
        ).scalar_one()
        self.created[table.__tablename__] += 1
        return row_id

    def customer(self, record: CustomerRecord | None) -> int | None:
        """The customer named like ``record``; created with the record's tier, ARR and renewal if new."""
        if record is None:
            return None
        if record.name not in self._customers:
            self._customers[record.name] = self._create(
                CustomerRow,
                {
                    "name": record.name,
                    "tier": record.tier.value,
                    "arr_cents": record.arr_cents,
                    "renewal_date": record.renewal_date,
                    "domain": record.domain,
                },
            )
        return self._customers[record.name]

    def contact(self, record: ContactRecord | None, customer_id: int | None) -> int | None:
        """The customer's contact with the record's email (or, lacking one, its name)."""
        if record is None:
            return None
        key = _contact_key(customer_id, record.email, record.name)
        if key not in self._contacts:
            self._contacts[key] = self._create(
                ContactRow, {"customer_id": customer_id, "name": record.name, "email": record.email}
            )
        return self._contacts[key]

    def person(self, name: str | None, role: PersonRole = PersonRole.SPECIALIST) -> int | None:
        """The person named ``name``; one created for it gets ``role`` (a decider is a lead)."""
        if name is None:
            return None
        if name not in self._people:
            self._people[name] = self._create(PersonRow, {"name": name, "role": role.value})
        return self._people[name]

    def team(self, name: str | None) -> int | None:
        """The team named (or keyed) ``name``; a new one gets a fresh key."""
        if name is None:
            return None
        team_id = self._teams.find(name)
        if team_id is None:
            team_id = self._create(TeamRow, {"name": name, "key": self._teams.new_key(name)})
            self._teams.add(name, team_id)
            self.new_team_ids.append(team_id)
        return team_id

    def product_area(self, name: str | None) -> int | None:
        """The product area named (or keyed) ``name``; a new one gets a fresh key."""
        if name is None:
            return None
        area_id = self._areas.find(name)
        if area_id is None:
            area_id = self._create(ProductAreaRow, {"name": name, "key": self._areas.new_key(name)})
            self._areas.add(name, area_id)
        return area_id


def _first_ids(connection: Connection, statement: Any) -> dict[str, int]:
    """``name → id`` for a two-column select; with duplicate names the oldest row wins."""
    ids: dict[str, int] = {}
    for name, row_id in connection.execute(statement.order_by(statement.selected_columns[1])):
        ids.setdefault(name, row_id)
    return ids


def _contact_key(customer_id: int | None, email: str | None, name: str) -> tuple[int | None, str]:
    """Contacts are the same person when they share a customer and an email (or, lacking one, a name)."""
    return (customer_id, email.casefold() if email else f"name:{name}")


class _NamedKeyed:
    """The rows of a table with a unique ``key`` and a display ``name``, found by either."""

    def __init__(self, connection: Connection, table: type[TeamRow] | type[ProductAreaRow]) -> None:
        rows = connection.execute(select(table.key, table.name, table.id).order_by(table.id)).all()
        self._keys: dict[str, int] = {key: row_id for key, _name, row_id in rows}
        self._names: dict[str, int] = {}
        for _key, name, row_id in rows:
            self._names.setdefault(name, row_id)

    def find(self, name_or_key: str) -> int | None:
        """The row named ``name_or_key``, else the row with that key (a name wins)."""
        return self._names.get(name_or_key, self._keys.get(name_or_key))

    def add(self, name: str, row_id: int) -> None:
        self._names[name] = row_id

    def new_key(self, name: str) -> str:
        """A slug of ``name`` (``Identity & SSO`` → ``identity-sso``) that no row uses yet; reserves it."""
        base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[: _KEY_LENGTH - 8] or "imported"
        key, suffix = base, 1
        while key in self._keys:
            suffix += 1
            key = f"{base}-{suffix}"
        self._keys[key] = -1  # taken; the real id is found by name from now on
        return key
