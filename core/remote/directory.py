"""The people, contacts, customers and teams a pulled page names, matched by remote id in bulk.

One query per table and page: organizations → customers, end users → contacts, agents →
people (an agent without a remote id yet is matched to an existing person by e-mail), groups →
teams (a group the connection's mapping names is matched to that team by key).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.bulk import insert_rows, table_of
from core.db.lookups import rows_by_remote_id
from core.db.models import ContactRow, CustomerRow, PersonRow, TeamRow
from core.domain.enums import CustomerTier, PersonRole
from core.remote.dtos import Connection, RemoteGroup, RemoteOrganization, RemotePage, RemoteUser

# A customer first seen in a helpdesk: its commercial tier is not known there.
DEFAULT_CUSTOMER_TIER = CustomerTier.BUSINESS.value
DEFAULT_TEAM_TIER = 2

RowT = TypeVar("RowT", ContactRow, CustomerRow, PersonRow, TeamRow)
# session.info key: the rows matched by remote id in this session's transaction, by table.
_FOUND_ROWS = "handoff.remote.found_rows"
_ABSENT = object()  # in _FOUND_ROWS: no row has this remote id (yet)
_CONTACT_REFS = "handoff.remote.contact_refs"  # the same for contacts only referred to
_NARROW_ABOVE = 50  # remote ids to look up: more than this, find which exist before reading rows


@dataclass(frozen=True)
class ContactRef:
    """What tickets and comments need of a contact (new contacts are inserted without ORM objects)."""

    id: int
    name: str
    customer_id: int | None


@dataclass
class Directory:
    """The page's records by remote id, loaded or added (every one has its id)."""

    kind: str
    customers: dict[str, int] = field(default_factory=dict)  # organization id → customer id
    contacts: dict[str, ContactRef] = field(default_factory=dict)
    people: dict[str, PersonRow] = field(default_factory=dict)
    teams: dict[str, TeamRow] = field(default_factory=dict)
    changed_teams: set[int] = field(default_factory=set)
    new_teams: list[TeamRow] = field(default_factory=list)

    def customer_id(self, organization_id: str | None) -> int | None:
        return self.customers.get(organization_id) if organization_id else None

    def team_id(self, group_id: str | None) -> int | None:
        row = self.teams.get(group_id) if group_id else None
        return row.id if row is not None else None


def load_directory(session: Session, connection: Connection, page: RemotePage) -> Directory:
    """Match and upsert what ``page`` names; returns the records by remote id."""
    directory = Directory(kind=connection.kind)
    org_ids = {org.remote_id for org in page.organizations}
    org_ids |= {user.organization_id for user in page.users if user.organization_id}
    org_ids |= {ticket.organization_id for ticket in page.tickets if ticket.organization_id}
    user_ids = {user.remote_id for user in page.users}
    user_ids |= {
        user_id for ticket in page.tickets for user_id in (ticket.requester_id, ticket.assignee_id) if user_id
    }
    user_ids |= {comment.author_id for comment in page.comments if comment.author_id}
    group_ids = {group.remote_id for group in page.groups}
    group_ids |= {ticket.group_id for ticket in page.tickets if ticket.group_id}
    kind = connection.kind
    # Most ids are end users: that they are nobody's person is remembered too (agents this
    # transaction adds are recorded below).
    directory.people = _by_remote_id(session, PersonRow, kind, user_ids, absent_too=True)
    directory.teams = _by_remote_id(session, TeamRow, kind, group_ids)
    _merge_organizations(
        session, directory, _by_remote_id(session, CustomerRow, kind, org_ids), page.organizations
    )
    _merge_groups(session, directory, connection, page.groups, group_ids)
    _merge_agents(session, directory, [user for user in page.users if user.is_agent])
    session.flush()
    _remember(session, PersonRow, kind, directory.people)
    directory.changed_teams |= {row.id for row in directory.new_teams}
    end_users = [user for user in page.users if not user.is_agent]
    listed = {user.remote_id for user in end_users}
    # Rows only for the contacts the page brings (they may change); the others (comment
    # authors, requesters) need only their id, name and customer.
    _merge_end_users(
        session, directory, _by_remote_id(session, ContactRow, kind, user_ids & listed), end_users
    )
    refs: dict[str, ContactRef] = session.info.setdefault(_CONTACT_REFS, {})
    refs.update(
        (remote_id, directory.contacts[remote_id]) for remote_id in listed & directory.contacts.keys()
    )
    directory.contacts.update(_contact_refs(session, kind, user_ids - listed, refs))
    return directory


def _contact_refs(
    session: Session, kind: str, remote_ids: set[str], found: dict[str, ContactRef]
) -> dict[str, ContactRef]:
    """The contacts with these remote ids, as refs (``found``: those read earlier in the transaction)."""
    missing = [remote_id for remote_id in remote_ids if remote_id not in found]
    columns = ("id", "name", "customer_id")
    for remote_id, contact_id, name, customer_id in rows_by_remote_id(
        session.connection(), table_of(ContactRow), kind, missing, columns
    ):
        found[str(remote_id)] = ContactRef(int(contact_id), str(name), customer_id)
    return {remote_id: found[remote_id] for remote_id in remote_ids if remote_id in found}


def _by_remote_id(
    session: Session, table: type[RowT], kind: str, remote_ids: set[str], *, absent_too: bool = False
) -> dict[str, RowT]:
    """The rows of ``table`` with these remote ids. Rows found earlier in the same transaction
    (the pages merged together) are not read again; with ``absent_too``, neither are the ids not
    found (the caller records the rows it adds with :func:`_remember`)."""
    if not remote_ids:
        return {}
    found: dict[tuple[type[Any], str, str], Any] = session.info.setdefault(_FOUND_ROWS, {})
    known = {remote_id: found.get((table, kind, remote_id)) for remote_id in remote_ids}
    missing = [remote_id for remote_id, row in known.items() if row is None]
    existing = sorted(missing)
    if absent_too or len(missing) > _NARROW_ABOVE:
        # Which exist, by one cheap lookup: most of many ids are new (a first sync) or nobody's
        # (people: end users); rows are then read only for those.
        narrowed = rows_by_remote_id(session.connection(), table_of(table), kind, missing, ())
        existing = sorted(str(remote_id) for (remote_id,) in narrowed)
    if existing:
        model: Any = table
        for row in session.scalars(
            select(table).where(model.source_system == kind, model.remote_id.in_(existing))
        ):
            if row.remote_id is not None:
                known[row.remote_id] = found[(table, kind, row.remote_id)] = row
    if absent_too:
        found.update(((table, kind, remote_id), _ABSENT) for remote_id in missing if known[remote_id] is None)
    return {remote_id: row for remote_id, row in known.items() if row is not None and row is not _ABSENT}


def _remember(session: Session, table: type[RowT], kind: str, rows: dict[str, RowT]) -> None:
    """Rows added or matched by the caller: found by :func:`_by_remote_id` from now on."""
    found: dict[tuple[type[Any], str, str], Any] = session.info.setdefault(_FOUND_ROWS, {})
    found.update(((table, kind, remote_id), row) for remote_id, row in rows.items())


def _merge_organizations(
    session: Session,
    directory: Directory,
    known: dict[str, CustomerRow],
    organizations: Iterable[RemoteOrganization],
) -> None:
    directory.customers = {remote_id: row.id for remote_id, row in known.items()}
    fresh: dict[str, dict[str, object]] = {}
    for org in organizations:
        row = known.get(org.remote_id)
        if row is None:
            fresh[org.remote_id] = {
                "name": org.name or org.remote_id,
                "domain": org.domain,
                "tier": DEFAULT_CUSTOMER_TIER,
                "arr_cents": 0,
                "source_system": directory.kind,
                "remote_id": org.remote_id,
            }
            continue
        _set(row, "name", org.name or row.name)
        if org.domain:
            _set(row, "domain", org.domain)
    directory.customers.update(insert_by_remote_id(session, CustomerRow, fresh))


def _merge_groups(
    session: Session,
    directory: Directory,
    connection: Connection,
    groups: Iterable[RemoteGroup],
    group_ids: set[str],
) -> None:
    """Groups become teams; a group the mapping gives a team key is that team (its name stays local)."""
    mapped_keys = {group_id: team_key for team_key, group_id in connection.mapping.team_groups}
    unmatched = {
        group_id: mapped_keys[group_id]
        for group_id in group_ids - set(directory.teams)
        if group_id in mapped_keys
    }
    if unmatched:
        by_key = {
            row.key: row
            for row in session.scalars(
                select(TeamRow).where(TeamRow.key.in_(sorted(set(unmatched.values()))))
            )
        }
        for group_id, key in unmatched.items():
            row = by_key.get(key)
            if row is not None:
                row.remote_id = group_id
                row.source_system = directory.kind
                directory.teams[group_id] = row
    for group in groups:
        row = directory.teams.get(group.remote_id)
        if row is None:
            row = TeamRow(
                key=f"{directory.kind}-{group.remote_id}",
                name=group.name or group.remote_id,
                tier=DEFAULT_TEAM_TIER,
                source_system=directory.kind,
                remote_id=group.remote_id,
            )
            session.add(row)
            directory.teams[group.remote_id] = row
            directory.new_teams.append(row)
        elif group.remote_id not in mapped_keys and _set(row, "name", group.name or row.name) and row.id:
            directory.changed_teams.add(row.id)


def _merge_agents(session: Session, directory: Directory, agents: list[RemoteUser]) -> None:
    _match_agents_by_email(session, directory, agents)
    for user in agents:
        _merge_agent(session, directory, user)


def _match_agents_by_email(session: Session, directory: Directory, agents: list[RemoteUser]) -> None:
    """Agents seen for the first time: the people of the workspace with their e-mail and no remote id."""
    emails = {
        user.email.lower(): user for user in agents if user.email and user.remote_id not in directory.people
    }
    if not emails:
        return
    rows = session.scalars(
        select(PersonRow)
        .where(func.lower(PersonRow.email).in_(sorted(emails)), PersonRow.remote_id.is_(None))
        .order_by(PersonRow.id)
    )
    for row in rows:
        user = emails.pop((row.email or "").lower(), None)
        if user is not None:
            row.remote_id = user.remote_id
            row.source_system = directory.kind
            directory.people[user.remote_id] = row


def _merge_agent(session: Session, directory: Directory, user: RemoteUser) -> None:
    row = directory.people.get(user.remote_id)
    if row is None:
        row = PersonRow(
            name=user.name or user.email or user.remote_id,
            email=user.email,
            role=PersonRole.AGENT.value,
            source_system=directory.kind,
            remote_id=user.remote_id,
        )
        session.add(row)
        directory.people[user.remote_id] = row
        return
    if not row.email and user.email:
        row.email = user.email


def _merge_end_users(
    session: Session, directory: Directory, known: dict[str, ContactRow], users: Iterable[RemoteUser]
) -> None:
    directory.contacts = {
        remote_id: ContactRef(row.id, row.name, row.customer_id) for remote_id, row in known.items()
    }
    fresh: dict[str, dict[str, object]] = {}
    for user in users:
        customer_id = directory.customer_id(user.organization_id)
        row = known.get(user.remote_id)
        if row is None:
            fresh[user.remote_id] = {
                "customer_id": customer_id,
                "name": user.name or user.email or user.remote_id,
                "email": user.email,
                "source_system": directory.kind,
                "remote_id": user.remote_id,
            }
            continue
        _set(row, "name", user.name or row.name)
        if user.email:
            _set(row, "email", user.email)
        if customer_id is not None:
            _set(row, "customer_id", customer_id)
        directory.contacts[user.remote_id] = ContactRef(row.id, row.name, row.customer_id)
    for remote_id, contact_id in insert_by_remote_id(session, ContactRow, fresh).items():
        values = fresh[remote_id]
        customer = values["customer_id"]
        directory.contacts[remote_id] = ContactRef(
            contact_id, str(values["name"]), customer if isinstance(customer, int) else None
        )


def insert_by_remote_id(
    session: Session, table: type[Any], rows: dict[str, dict[str, object]]
) -> dict[str, int]:
    """Insert ``rows`` (by remote id; each has its ``source_system`` and ``remote_id``) in one
    executemany without ORM objects, then read their new ids by remote id (one query).

    Not ``INSERT … RETURNING``: SQLite does not promise the order of returned rows, so
    SQLAlchemy would send one statement per row to match ids to rows.
    """
    if not rows:
        return {}
    model: Any = table
    values = list(rows.values())
    # Straight to the driver, many rows a statement (the ORM's bulk path costs more per row than SQLite).
    insert_rows(session.connection(), table_of(table), values)
    source = values[0]["source_system"]
    found = session.execute(
        select(model.remote_id, model.id).where(
            model.source_system == source, model.remote_id.in_(list(rows))
        )
    )
    ids = {str(remote_id): int(row_id) for remote_id, row_id in found}
    return {remote_id: ids[remote_id] for remote_id in rows}


def _set(row: object, name: str, value: object) -> bool:
    """Set ``row.name`` to ``value`` only when it differs (an unchanged row stays clean)."""
    if getattr(row, name) == value:
        return False
    setattr(row, name, value)
    return True
