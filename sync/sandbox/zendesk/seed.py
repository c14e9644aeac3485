"""Seeding the sandbox Zendesk from the workspace generator (cached per case count and seed).

:func:`load_seed` generates a throwaway workspace with :mod:`core.generator`,
reads its teams, customers, contacts, people, cases and customer-visible
timeline events into a compact :class:`SeedData` (plain tuples, times relative
to the generation hour) and caches it as a pickle under the user's cache
folder, keyed by (cases, seed). :func:`seed_store` maps it onto a
:class:`ZendeskStore`: teams become groups, customers organizations, people
agents, contacts end-users, cases tickets (id = case number) and the
customer messages and agent replies public comments, with times moved to the
current hour.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, text

from core.generator import generate_workspace
from core.generator.traits import ISSUE_TYPES
from core.workspace import open_workspace
from sync.sandbox.zendesk.model import (
    END_USER_ID_BASE,
    FIELD_ID_BASE,
    GROUP_ID_BASE,
    ORGANIZATION_ID_BASE,
    USER_ID_BASE,
    Comment,
    Group,
    Organization,
    Ticket,
    TicketField,
    User,
)
from sync.sandbox.zendesk.shapes import html_of
from sync.sandbox.zendesk.store import ZendeskStore

SEED_FORMAT = 2
"""Bump when SeedData changes, so old cache files are not read."""

STATUS_OF_STAGE = {
    "new": "new",
    "requested": "open",
    "triaged": "open",
    "investigating": "open",
    "awaiting_customer": "pending",
    "awaiting_engineering": "hold",
    "awaiting_approval": "hold",
    "resolution_proposed": "pending",
    "resolved": "solved",
    "closed": "closed",
}
ZENDESK_SLA_METRIC = {
    "first_reply": "first_reply_time",
    "next_reply": "next_reply_time",
    "periodic_update": "periodic_update_time",
    "resolution": "requester_wait_time",
}
"""Handoff's SLA metrics as Zendesk names them (time in stage has no Zendesk counterpart)."""
TYPE_OF_ISSUE = {"bug": "problem", "incident": "incident", "question": "question"}
ADMIN_ROLES = frozenset({"lead", "manager"})

# The custom ticket fields of the sandbox account.
FIELD_PRODUCT_AREA = FIELD_ID_BASE + 1
FIELD_ISSUE_TYPE = FIELD_ID_BASE + 2
FIELD_LANGUAGE = FIELD_ID_BASE + 3
FIELD_ESCALATION_TIER = FIELD_ID_BASE + 4
_SYSTEM_FIELDS = (
    ("subject", "Subject"),
    ("description", "Description"),
    ("status", "Status"),
    ("tickettype", "Type"),
    ("priority", "Priority"),
    ("group", "Group"),
    ("assignee", "Assignee"),
)

# (number, subject, description, priority, stage, contact_id, customer_id, team_id, assignee_id,
#  created, updated, product_area_key, issue_type, language, tier)
SeedTicket = tuple[
    int,
    str,
    str,
    str,
    str,
    int | None,
    int | None,
    int | None,
    int | None,
    int,
    int,
    str | None,
    str | None,
    str | None,
    int,
]
# (kind, author person id or contact id, body, occurred); kind is "customer_message" or "agent_reply"
SeedComment = tuple[str, int | None, str, int]


@dataclass(frozen=True)
class SeedData:
    """What the sandbox needs from a generated workspace; times are seconds relative to ``anchor``."""

    anchor: int
    groups: list[tuple[int, str, int]]  # team id, name, tier
    organizations: list[tuple[int, str, str | None, str]]  # customer id, name, domain, tier
    agents: list[tuple[int, str, str | None, str, int | None]]  # person id, name, email, role, team id
    end_users: list[tuple[int, str, str | None, int | None]]  # contact id, name, email, customer id
    product_areas: list[str]
    tickets: list[SeedTicket]
    comments: list[list[SeedComment]]  # aligned with tickets
    slas: list[tuple[int | None, str | None]]  # aligned with tickets: next SLA deadline, its metric


def default_cache_dir() -> Path:
    """Where generated seeds are kept between runs."""
    return Path(platformdirs.user_cache_dir("handoff", appauthor=False)) / "sandbox-seeds"


def load_seed(cases: int, seed: int, cache_dir: Path | None = None) -> SeedData:
    """The seed for (cases, seed): read from the cache, or generated (and cached) the first time."""
    folder = cache_dir or default_cache_dir()
    path = folder / f"zendesk-v{SEED_FORMAT}-{cases}-{seed}.pickle"
    if path.exists():
        with path.open("rb") as stream:
            data = pickle.load(stream)
        if isinstance(data, SeedData):
            return data
    data = generate_seed(cases, seed)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return data


def generate_seed(cases: int, seed: int) -> SeedData:
    """Generate a temporary workspace with ``cases`` cases and read the seed out of it."""
    anchor = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with tempfile.TemporaryDirectory(prefix="handoff-sandbox-seed-") as folder:
        engine, _ = open_workspace(Path(folder))
        try:
            generate_workspace(engine, cases=cases, seed=seed, anchor=anchor)
            return read_seed(engine, int(anchor.timestamp()))
        finally:
            engine.dispose()


def _epoch(value: str | datetime) -> int:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return int(moment.replace(tzinfo=UTC).timestamp())


def read_seed(engine: Engine, anchor: int) -> SeedData:
    """A workspace read into a seed (times relative to ``anchor``, in epoch seconds)."""
    with engine.connect() as connection:

        def rows(sql: str) -> list[Any]:
            return [tuple(row) for row in connection.execute(text(sql))]

        groups = rows("SELECT id, name, tier FROM teams ORDER BY id")
        organizations = rows("SELECT id, name, domain, tier FROM customers ORDER BY id")
        agents = rows("SELECT id, name, email, role, team_id FROM people ORDER BY id")
        end_users = rows("SELECT id, name, email, customer_id FROM contacts ORDER BY id")
        areas = rows("SELECT id, key FROM product_areas ORDER BY id")
        area_keys = {area_id: key for area_id, key in areas}
        case_rows = rows(
            "SELECT id, number, subject, description, priority, stage, contact_id, customer_id, team_id, "
            "assignee_id, created_at, updated_at, product_area_id, issue_type, language, tier, "
            "sla_due_at, sla_metric FROM cases ORDER BY id"
        )
        comments_by_case: dict[int, list[SeedComment]] = {}
        events = connection.execute(
            text(
                "SELECT case_id, kind, author_person_id, author_contact_id, body_text, occurred_at "
                "FROM timeline_events WHERE visibility = 'customer' "
                "AND kind IN ('customer_message', 'agent_reply') ORDER BY case_id, occurred_at, id"
            )
        )
        for case_id, kind, person_id, contact_id, body, occurred_at in events:
            author = contact_id if kind == "customer_message" else person_id
            comments_by_case.setdefault(case_id, []).append(
                (kind, author, body, _epoch(occurred_at) - anchor)
            )
    tickets: list[SeedTicket] = []
    comments: list[list[SeedComment]] = []
    slas: list[tuple[int | None, str | None]] = []
    for row in case_rows:
        (case_id, number, subject, description, priority, stage, contact_id, customer_id, team_id,
         assignee_id, created_at, updated_at, area_id, issue_type, language, tier, sla_due_at,
         sla_metric) = row  # fmt: skip
        slas.append((_epoch(sla_due_at) - anchor if sla_due_at is not None else None, sla_metric))
        tickets.append(
            (
                number,
                subject,
                description,
                priority,
                stage,
                contact_id,
                customer_id,
                team_id,
                assignee_id,
                _epoch(created_at) - anchor,
                _epoch(updated_at) - anchor,
                area_keys.get(area_id),
                issue_type,
                language,
                tier,
            )
        )
        comments.append(comments_by_case.get(case_id, []))
    return SeedData(
        anchor=anchor,
        groups=groups,
        organizations=organizations,
        agents=agents,
        end_users=end_users,
        product_areas=[str(key) for _, key in areas],
        tickets=tickets,
        comments=comments,
        slas=slas,
    )


def seed_store(store: ZendeskStore, data: SeedData, *, now: int | None = None) -> None:
    """Fill an empty ``store`` from ``data``, with times moved so the generation hour is the current hour."""
    current = store.now() if now is None else now
    anchor = current - current % 3600

    def at(offset: int) -> int:
        return min(anchor + offset, current)

    created = at(-400 * 86400)
    for group_team_id, name, team_tier in data.groups:
        store.add_group(Group(GROUP_ID_BASE + group_team_id, name, f"Tier {team_tier} support team", created))
    for organization_customer_id, name, domain, customer_tier in data.organizations:
        store.add_organization(
            Organization(
                ORGANIZATION_ID_BASE + organization_customer_id,
                name,
                (domain,) if domain else (),
                (customer_tier,),
                created,
            )
        )
    for person_id, name, email, role, team_id in data.agents:
        store.add_user(
            User(
                USER_ID_BASE + person_id,
                name,
                email or f"person{person_id}@support.sandbox.test",
                "admin" if role in ADMIN_ROLES else "agent",
                None,
                created,
                default_group_id=GROUP_ID_BASE + team_id if team_id is not None else None,
            )
        )
    for contact_id, name, email, customer_id in data.end_users:
        store.add_user(
            User(
                END_USER_ID_BASE + contact_id,
                name,
                email or f"contact{contact_id}@customer.sandbox.test",
                "end-user",
                ORGANIZATION_ID_BASE + customer_id if customer_id is not None else None,
                created,
            )
        )
    _add_ticket_fields(store, data.product_areas, created)
    fallback_requester = END_USER_ID_BASE + data.end_users[0][0] if data.end_users else USER_ID_BASE
    order = sorted(range(len(data.tickets)), key=lambda index: _last_change(data, index))
    for index in order:
        ticket = _ticket(data.tickets[index], data.comments[index], at, fallback_requester)
        due_offset, metric = data.slas[index]
        if due_offset is not None and metric in ZENDESK_SLA_METRIC:
            ticket.sla_due_at, ticket.sla_metric = anchor + due_offset, ZENDESK_SLA_METRIC[metric]
        store.add_seeded_ticket(ticket)


def _last_change(data: SeedData, index: int) -> int:
    comments = data.comments[index]
    return max(data.tickets[index][10], comments[-1][3] if comments else data.tickets[index][10])


def _ticket(
    row: SeedTicket, seed_comments: list[SeedComment], at: Callable[[int], int], fallback: int
) -> Ticket:
    (number, subject, description, priority, stage, contact_id, customer_id, team_id, assignee_id,
     created, updated, area, issue_type, language, tier) = row  # fmt: skip
    requester = END_USER_ID_BASE + contact_id if contact_id is not None else fallback
    comments = [
        Comment(
            author_id=(END_USER_ID_BASE if kind == "customer_message" else USER_ID_BASE) + author
            if author is not None
            else requester,
            body=body,
            html_body=html_of(body),  # rendered once, stored as Zendesk stores it (never per request)
            public=True,
            created_at=at(occurred),
            audit_index=position,
            channel="email" if kind == "customer_message" else "web",
        )
        for position, (kind, author, body, occurred) in enumerate(seed_comments)
    ]
    if not comments:
        comments.append(Comment(requester, description, None, True, at(created), 0, "email"))
    tags = tuple(tag for tag in (area, issue_type, f"tier_{tier}") if tag)
    custom_fields: dict[int, object] = {
        FIELD_PRODUCT_AREA: area,
        FIELD_ISSUE_TYPE: issue_type,
        FIELD_LANGUAGE: language,
        FIELD_ESCALATION_TIER: tier,
    }
    return Ticket(
        id=number,
        subject=subject,
        description=comments[0].body,
        status=STATUS_OF_STAGE.get(stage, "open"),
        priority=priority if priority in ("urgent", "high", "normal", "low") else None,
        type=TYPE_OF_ISSUE.get(issue_type or "", "task" if issue_type else None),
        requester_id=requester,
        submitter_id=requester,
        assignee_id=USER_ID_BASE + assignee_id if assignee_id is not None else None,
        organization_id=ORGANIZATION_ID_BASE + customer_id if customer_id is not None else None,
        group_id=GROUP_ID_BASE + team_id if team_id is not None else None,
        tags=tags,
        custom_fields=custom_fields,
        created_at=at(created),
        updated_at=max(at(updated), comments[-1].created_at),
        comments=comments,
    )


def _add_ticket_fields(store: ZendeskStore, product_areas: list[str], created: int) -> None:
    for position, (kind, title) in enumerate(_SYSTEM_FIELDS):
        store.add_ticket_field(
            TicketField(FIELD_ID_BASE + 100 + position, kind, title, "", position, True, created_at=created)
        )
    custom = (
        (FIELD_PRODUCT_AREA, "tagger", "Product area", tuple(product_areas)),
        (FIELD_ISSUE_TYPE, "tagger", "Issue type", ISSUE_TYPES),
        (FIELD_LANGUAGE, "text", "Language", ()),
        (FIELD_ESCALATION_TIER, "integer", "Escalation tier", ()),
    )
    for offset, (field_id, kind, title, options) in enumerate(custom):
        store.add_ticket_field(
            TicketField(field_id, kind, title, "", len(_SYSTEM_FIELDS) + offset, False, options, created)
        )
