"""The in-memory, thread-safe state of a sandbox Zendesk account, and the changes the API makes to it.

The HTTP app (:mod:`sync.sandbox.zendesk.app`) and tests share one store:
tests read it (``ticket``, ``comments``, ``requests_seen``) and act as the
customer or another agent (``add_customer_reply``, ``edit_as_other_agent``,
``delete_ticket``). Every change bumps the ticket's ``updated_at`` (by at
least one second, so a stale ``updated_stamp`` is always detected) and moves
the ticket to the end of the incremental export.
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from sync.sandbox.zendesk import errors, shapes
from sync.sandbox.zendesk.events import AuditTimeline
from sync.sandbox.zendesk.feed import ChangeFeed, FeedPosition
from sync.sandbox.zendesk.model import (
    ATTACHMENT_ID_BASE,
    DELETED,
    MAX_COMMENTS_PER_TICKET,
    MAX_UPLOAD_BYTES,
    PRIORITIES,
    STATUSES,
    TICKET_TYPES,
    USER_ID_BASE,
    Audit,
    AuditEvent,
    Change,
    Comment,
    CommentAdded,
    Group,
    Organization,
    Ticket,
    TicketField,
    Upload,
    User,
)
from sync.sandbox.zendesk.shapes import JsonObject

REQUESTS_KEPT = 200_000
OTHER_AGENT_ID = USER_ID_BASE + 999_999
OTHER_AGENT_TAG = "edited_by_other_agent"
_TAG_SPLIT = re.compile(r"\s+")
_HTML_TAG = re.compile(r"<[^>]+>")


class ZendeskStore:
    """Users, organizations, groups, ticket fields and tickets of one sandbox account; thread-safe."""

    def __init__(
        self, *, base_url: str = "https://127.0.0.1", clock: Callable[[], float] = time.time
    ) -> None:
        self.base_url = base_url
        """Used for the ``url`` fields of records read through the store's own methods."""
        self._clock = clock
        self._lock = threading.RLock()
        self._users: dict[int, User] = {}
        self._organizations: dict[int, Organization] = {}
        self._groups: dict[int, Group] = {}
        self._fields: dict[int, TicketField] = {}
        self._custom_field_ids: tuple[int, ...] = ()
        self._tickets: dict[int, Ticket] = {}
        self._deleted = 0
        self._feed = ChangeFeed()
        self._timeline = AuditTimeline()
        self._timeline_stale = False
        self._latest_stamp = 0
        self._api_tokens: dict[str, tuple[str, int]] = {}
        self._bearer_tokens: dict[str, int] = {}
        self._next_ticket_id = 1
        self._uploads: dict[str, Upload] = {}  # by token, until a comment takes them
        self._attachments: dict[str, Upload] = {}  # by token, once on a comment
        self.max_upload_bytes = MAX_UPLOAD_BYTES
        """The largest file ``POST /uploads.json`` accepts (lower it in tests)."""
        self.requests_seen: deque[tuple[str, str]] = deque(maxlen=REQUESTS_KEPT)
        """``(method, path)`` of every request the server received, oldest first."""
        self.add_user(
            User(OTHER_AGENT_ID, "Another Agent", "another.agent@sandbox.test", "agent", None, self.now())
        )

    # -- time -------------------------------------------------------------------------

    def now(self) -> int:
        """The current time in whole Unix seconds."""
        return int(self._clock())

    # -- building the account ------------------------------------------------------------------

    def add_user(self, user: User) -> None:
        with self._lock:
            self._users[user.id] = user

    def add_organization(self, organization: Organization) -> None:
        with self._lock:
            self._organizations[organization.id] = organization

    def add_group(self, group: Group) -> None:
        with self._lock:
            self._groups[group.id] = group

    def add_ticket_field(self, ticket_field: TicketField) -> None:
        with self._lock:
            self._fields[ticket_field.id] = ticket_field
            self._custom_field_ids = tuple(
                field.id
                for field in sorted(self._fields.values(), key=lambda f: f.position)
                if not field.system
            )

    def add_seeded_ticket(self, ticket: Ticket) -> None:
        """Add a ticket with its comments as they were before the sandbox started (no audits recorded).

        Seed tickets in the order of their ``updated_at``, as the export lists them.
        """
        with self._lock:
            ticket.seeded_audits = len(ticket.comments)
            self._timeline_stale = True
            self._tickets[ticket.id] = ticket
            self._next_ticket_id = max(self._next_ticket_id, ticket.id + 1)
            if ticket.status == DELETED:
                self._deleted += 1
            self._feed.touch(ticket.id, ticket.updated_at)

    def add_api_token(self, email: str, token: str) -> None:
        """Accept ``email/token:TOKEN`` (Basic) and ``Bearer TOKEN`` for the user with that email."""
        with self._lock:
            user = self._user_by_email(email)
            self._api_tokens[email.lower()] = (token, user.id)
            self._bearer_tokens[token] = user.id

    def revoke_api_token(self, email: str) -> None:
        """An admin revokes the user's token: it gets 401 from now on (Basic and Bearer alike)."""
        with self._lock:
            known = self._api_tokens.pop(email.lower(), None)
            if known is not None:
                self._bearer_tokens.pop(known[0], None)

    # -- authentication ------------------------------------------------------------------------

    def user_for_api_token(self, email: str, token: str) -> User | None:
        with self._lock:
            known = self._api_tokens.get(email.lower())
            if known is None or not hmac.compare_digest(known[0], token):
                return None
            return self._users[known[1]]

    def user_for_bearer_token(self, token: str) -> User | None:
        with self._lock:
            user_id = self._bearer_tokens.get(token)
            return None if user_id is None else self._users[user_id]

    # -- reads for tests and the demo ----------------------------------------------------------

    @property
    def tickets_count(self) -> int:
        """How many tickets exist (deleted ones not counted)."""
        with self._lock:
            return len(self._tickets) - self._deleted

    @property
    def ticket_ids(self) -> list[int]:
        """Ids of the tickets that are not deleted, ascending."""
        with self._lock:
            return sorted(ticket.id for ticket in self._tickets.values() if ticket.status != DELETED)

    def ticket(self, ticket_id: int) -> JsonObject:
        """The ticket as the API shows it (status ``deleted`` once deleted); KeyError if unknown."""
        with self._lock:
            return shapes.ticket_json(self._tickets[ticket_id], self.base_url, self._custom_field_ids)

    def comments(self, ticket_id: int) -> list[JsonObject]:
        """Every comment of the ticket, oldest first, as the API lists them; KeyError if unknown."""
        with self._lock:
            ticket = self._tickets[ticket_id]
            return [shapes.comment_json(ticket, index) for index in range(len(ticket.comments))]

    def user(self, user_id: int) -> JsonObject:
        with self._lock:
            return shapes.user_json(self._users[user_id], self.base_url)

    def agent_ids(self) -> list[int]:
        """Ids of the agents and admins."""
        with self._lock:
            return [user.id for user in self._users.values() if user.role != "end-user"]

    def group_ids(self) -> list[int]:
        with self._lock:
            return list(self._groups)

    # -- changes made by the customer or another agent -----------------------------------------

    def add_customer_reply(self, ticket_id: int, body: str) -> JsonObject:
        """The requester answers by email: a public comment; a pending or solved ticket opens again."""
        with self._lock:
            ticket = self._live_ticket(ticket_id)
            changes: dict[str, Any] = {"comment": {"body": body, "public": True}}
            if ticket.status in ("pending", "solved"):
                changes["status"] = "open"
            self._apply(ticket, changes, author_id=ticket.requester_id, channel="email")
            return shapes.comment_json(ticket, len(ticket.comments) - 1)

    def edit_as_other_agent(self, ticket_id: int, **fields: Any) -> JsonObject:
        """Another agent changes the ticket (default: adds a tag), so a stale ``safe_update`` gets 409.

        ``fields`` take the shapes of a ``PUT`` body (``status="hold"``,
        ``comment={"body": "…", "public": False}``, …).
        """
        with self._lock:
            ticket = self._live_ticket(ticket_id)
            changes = dict(fields) or {"tags": [*ticket.tags, OTHER_AGENT_TAG]}
            self._apply(ticket, changes, author_id=OTHER_AGENT_ID, channel="web")
            return shapes.ticket_json(ticket, self.base_url, self._custom_field_ids)

    def delete_ticket(self, ticket_id: int) -> None:
        """Delete the ticket: reads answer 404, the export lists it once more with status ``deleted``."""
        with self._lock:
            ticket = self._live_ticket(ticket_id)
            ticket.status = DELETED
            ticket.updated_at = self._next_stamp(ticket)
            self._deleted += 1
            self._feed.touch(ticket.id, ticket.updated_at)

    # -- the API's reads -----------------------------------------------------------------------

    def show_ticket(self, ticket_id: int, base: str, slas: bool = False) -> JsonObject:
        """The ticket (with its SLA targets if ``slas``); 404 for an unknown or deleted one."""
        with self._lock:
            return shapes.ticket_json(
                self._live_ticket(ticket_id), base, self._custom_field_ids, slas_at=self._slas_at(slas)
            )

    def show_many_tickets(self, ticket_ids: Iterable[int], base: str, slas: bool = False) -> list[JsonObject]:
        """The tickets that exist among ``ticket_ids``, in the order asked (unknown ids are left out)."""
        with self._lock:
            return [
                shapes.ticket_json(ticket, base, self._custom_field_ids, slas_at=self._slas_at(slas))
                for ticket in (self._tickets.get(ticket_id) for ticket_id in ticket_ids)
                if ticket is not None and ticket.status != DELETED
            ]

    def export_position(self, start_time: int) -> FeedPosition:
        """Where an export starting at ``start_time`` begins; 422 for a start time in the future."""
        with self._lock:
            self._check_start_time(start_time)
            return self._feed.position_before(start_time)

    def export_page(
        self,
        position: FeedPosition,
        per_page: int,
        base: str,
        include: frozenset[str],
        exclude_deleted: bool = False,
    ) -> tuple[JsonObject, FeedPosition, bool]:
        """One page of the incremental export after ``position``: the body's records, new position, end."""
        with self._lock:
            ticket_ids, last, end_of_stream = self._feed.page_after(position, per_page)
            tickets = [self._tickets[ticket_id] for ticket_id in ticket_ids]
            if exclude_deleted:
                tickets = [ticket for ticket in tickets if ticket.status != DELETED]
            body: JsonObject = {
                "tickets": [
                    shapes.ticket_json(
                        ticket,
                        base,
                        self._custom_field_ids,
                        export=True,
                        slas_at=self._slas_at("slas" in include),
                    )
                    for ticket in tickets
                ]
            }
            body.update(self._side_loads(tickets, base, include))
            return body, last, end_of_stream

    def time_export_page(
        self, start_time: int, per_page: int, base: str, include: frozenset[str]
    ) -> tuple[JsonObject, int, bool]:
        """One page of the time-based ticket export: the body's records, the end time, end of stream."""
        with self._lock:
            self._check_start_time(start_time)
            ticket_ids, end_time, end_of_stream = self._feed.page_from_time(start_time, per_page)
            tickets = [self._tickets[ticket_id] for ticket_id in ticket_ids]
            body: JsonObject = {
                "tickets": [
                    shapes.ticket_json(
                        ticket,
                        base,
                        self._custom_field_ids,
                        export=True,
                        slas_at=self._slas_at("slas" in include),
                    )
                    for ticket in tickets
                ]
            }
            body.update(self._side_loads(tickets, base, include))
            return body, end_time, end_of_stream

    def _side_loads(self, tickets: list[Ticket], base: str, include: frozenset[str]) -> JsonObject:
        loads: JsonObject = {}
        if "users" in include:
            user_ids = {
                user_id
                for ticket in tickets
                for user_id in (ticket.requester_id, ticket.submitter_id, ticket.assignee_id)
                if user_id is not None
            }
            loads["users"] = [
                shapes.user_json(self._users[i], base) for i in sorted(user_ids) if i in self._users
            ]
        if "groups" in include:
            group_ids = {ticket.group_id for ticket in tickets if ticket.group_id is not None}
            loads["groups"] = [
                shapes.group_json(self._groups[i], base) for i in sorted(group_ids) if i in self._groups
            ]
        if "organizations" in include:
            organization_ids = {
                ticket.organization_id for ticket in tickets if ticket.organization_id is not None
            }
            loads["organizations"] = [
                shapes.organization_json(self._organizations[i], base)
                for i in sorted(organization_ids)
                if i in self._organizations
            ]
        return loads

    def comments_slice(
        self, ticket_id: int, start: int, size: int, newest_first: bool = False
    ) -> tuple[list[JsonObject], int]:
        """Comments ``start``..``start+size-1`` of a ticket (oldest first by default) and the total."""
        with self._lock:
            ticket = self._live_ticket(ticket_id)
            total = len(ticket.comments)
            positions = range(start, min(start + size, total))
            if newest_first:
                positions = range(total - 1 - start, max(total - 1 - start - size, -1), -1)
            return [shapes.comment_json(ticket, index) for index in positions], total

    def audits(self, ticket_id: int) -> list[JsonObject]:
        """Every audit of a ticket, oldest first (seeded comments have one synthesized audit each)."""
        with self._lock:
            ticket = self._live_ticket(ticket_id)
            return [shapes.audit_json(ticket, ticket.audit(number)) for number in range(ticket.audit_count)]

    def ticket_events_page(
        self, start_time: int, per_page: int, include_comments: bool
    ) -> tuple[list[JsonObject], int, bool]:
        """Audits from ``start_time`` on as ticket events: the events, the next start time, end of stream."""
        with self._lock:
            self._check_start_time(start_time)
            if self._timeline_stale:
                self._timeline.rebuild(
                    (ticket.audit(number).created_at, ticket.id, number)
                    for ticket in self._tickets.values()
                    for number in range(ticket.audit_count)
                )
                self._timeline_stale = False
            entries, next_start, end_of_stream = self._timeline.page(start_time, per_page)
            events = []
            for _, ticket_id, number in entries:
                ticket = self._tickets[ticket_id]
                events.append(shapes.ticket_event_json(ticket, ticket.audit(number), include_comments))
            return events, next_start, end_of_stream

    def show_user(self, user_id: int, base: str) -> JsonObject:
        with self._lock:
            user = self._users.get(user_id)
            if user is None:
                raise errors.not_found()
            return shapes.user_json(user, base)

    def show_many_users(self, user_ids: Iterable[int], base: str) -> list[JsonObject]:
        with self._lock:
            return [shapes.user_json(self._users[i], base) for i in user_ids if i in self._users]

    def organizations_slice(self, start: int, size: int, base: str) -> tuple[list[JsonObject], int]:
        """Organizations ``start``..``start+size-1`` by ascending id, and how many there are."""
        with self._lock:
            return _slice(self._organizations, start, size, lambda o: shapes.organization_json(o, base))

    def groups_slice(self, start: int, size: int, base: str) -> tuple[list[JsonObject], int]:
        """Groups ``start``..``start+size-1`` by ascending id, and how many there are."""
        with self._lock:
            return _slice(self._groups, start, size, lambda g: shapes.group_json(g, base))

    def show_organization(self, organization_id: int, base: str) -> JsonObject:
        with self._lock:
            organization = self._organizations.get(organization_id)
            if organization is None:
                raise errors.not_found()
            return shapes.organization_json(organization, base)

    def show_group(self, group_id: int, base: str) -> JsonObject:
        with self._lock:
            group = self._groups.get(group_id)
            if group is None:
                raise errors.not_found()
            return shapes.group_json(group, base)

    def ticket_fields(self, base: str) -> list[JsonObject]:
        with self._lock:
            ordered = sorted(self._fields.values(), key=lambda field: field.position)
            return [shapes.ticket_field_json(field, base) for field in ordered]

    # -- the API's writes ----------------------------------------------------------------------

    def update_ticket(
        self, ticket_id: int, changes: Mapping[str, Any], author: User, base: str
    ) -> tuple[JsonObject, JsonObject]:
        """``PUT /tickets/{id}.json``: validate, check ``safe_update``, apply; the ticket and its audit."""
        with self._lock:
            ticket = self._live_ticket(ticket_id)
            stamp = changes.get("updated_stamp")
            if changes.get("safe_update") and stamp is not None and _parse_stamp(stamp) != ticket.updated_at:
                raise errors.update_conflict()
            audit = self._apply(ticket, changes, author_id=author.id, channel="api")
            return (
                shapes.ticket_json(ticket, base, self._custom_field_ids),
                shapes.audit_json(ticket, audit),
            )

    def create_ticket(
        self, fields: Mapping[str, Any], author: User, base: str
    ) -> tuple[JsonObject, JsonObject]:
        """``POST /tickets.json``: a new ticket from its first comment; the ticket and its audit."""
        with self._lock:
            comment = fields.get("comment")
            if not isinstance(comment, Mapping) or not _comment_text(comment)[0].strip():
                raise errors.field_invalid("description", "Description: cannot be blank", "BlankValue")
            requester_id = fields.get("requester_id", author.id)
            if requester_id not in self._users:
                raise errors.field_invalid("requester", "Requester: is invalid")
            now = self.now()
            subject = str(fields.get("subject") or _comment_text(comment)[0][:60])
            ticket = Ticket(
                id=self._next_ticket_id,
                subject=subject,
                description=_comment_text(comment)[0],
                status="new",
                priority=None,
                type=None,
                requester_id=requester_id,
                submitter_id=author.id,
                assignee_id=None,
                organization_id=self._users[requester_id].organization_id,
                group_id=None,
                tags=(),
                custom_fields={},
                created_at=now,
                updated_at=now - 1,  # _apply moves it to now
                channel="api",
            )
            initial = {key: value for key, value in fields.items() if key not in ("subject", "requester_id")}
            initial.setdefault("status", "open" if fields.get("assignee_id") else "new")
            self._validate(ticket, initial)
            self._next_ticket_id += 1
            self._tickets[ticket.id] = ticket
            audit = self._apply(ticket, initial, author_id=author.id, channel="api", creating=True)
            return (
                shapes.ticket_json(ticket, base, self._custom_field_ids),
                shapes.audit_json(ticket, audit),
            )

    def upload(self, file_name: str, content_type: str, content: bytes, base: str) -> Upload:
        """``POST /uploads.json``: keep the file until a comment names its token; 413 when too large."""
        with self._lock:
            if not file_name.strip():
                raise errors.field_invalid("filename", "Filename: cannot be blank", "BlankValue")
            if len(content) > self.max_upload_bytes:
                raise errors.upload_too_large(self.max_upload_bytes)
            upload = Upload(
                id=ATTACHMENT_ID_BASE + len(self._uploads) + len(self._attachments) + 1,  # never reused
                token=secrets.token_urlsafe(18),
                file_name=file_name.strip(),
                content_type=content_type or "application/octet-stream",
                content=content,
                base=base,
            )
            self._uploads[upload.token] = upload
            return upload

    def attachment(self, token: str) -> Upload:
        """An uploaded file by its token (on a comment or still waiting for one); 404 if unknown."""
        with self._lock:
            upload = self._attachments.get(token) or self._uploads.get(token)
            if upload is None:
                raise errors.not_found()
            return upload

    # -- internals -----------------------------------------------------------------------------

    def _slas_at(self, slas: bool) -> int | None:
        return self.now() if slas else None

    def _check_start_time(self, start_time: int) -> None:
        """422 for a start time in the future (changes may be stamped a second or two ahead of the clock)."""
        if start_time > max(self.now(), self._latest_stamp) + 1:
            raise errors.invalid_value("Too recent start_time. Use a start_time in the past")

    def _live_ticket(self, ticket_id: int) -> Ticket:
        ticket = self._tickets.get(ticket_id)
        if ticket is None or ticket.status == DELETED:
            raise errors.not_found()
        return ticket

    def _user_by_email(self, email: str) -> User:
        for user in self._users.values():
            if user.email.lower() == email.lower():
                return user
        raise KeyError(email)

    def _next_stamp(self, ticket: Ticket) -> int:
        """When a change happens: now, or a second after the ticket's last change if that is later."""
        stamp = max(self.now(), ticket.updated_at + 1)
        self._latest_stamp = max(self._latest_stamp, stamp)
        return stamp

    def _validate(self, ticket: Ticket, changes: Mapping[str, Any]) -> None:
        """Raise the 422 a real Zendesk would give for ``changes``; nothing is changed."""
        if ticket.status == "closed":
            raise errors.field_invalid("status", "Status: closed prevents ticket update", "ClosedTicket")
        if "status" in changes and changes["status"] not in STATUSES:
            raise errors.field_invalid("status", f"Status: {changes['status']!r} is not a valid status")
        if "priority" in changes and changes["priority"] not in (*PRIORITIES, None):
            raise errors.field_invalid("priority", f"Priority: {changes['priority']!r} is not valid")
        if "type" in changes and changes["type"] not in (*TICKET_TYPES, None):
            raise errors.field_invalid("type", f"Type: {changes['type']!r} is not valid")
        assignee_id = changes.get("assignee_id")
        if assignee_id is not None:
            assignee = self._users.get(assignee_id) if isinstance(assignee_id, int) else None
            if assignee is None or assignee.role == "end-user":
                raise errors.field_invalid("assignee", "Assignee: is not an agent")
        group_id = changes.get("group_id")
        if group_id is not None and group_id not in self._groups:
            raise errors.field_invalid("group", "Group: is invalid")
        if "tags" in changes and not isinstance(changes["tags"], list | tuple):
            raise errors.field_invalid("tags", "Tags: must be a list")
        custom_fields = changes.get("custom_fields", [])
        if not isinstance(custom_fields, list) or not all(
            isinstance(item, Mapping) and "id" in item for item in custom_fields
        ):
            raise errors.field_invalid("custom_fields", "Custom fields: must be a list of {id, value}")
        metadata = changes.get("metadata")
        if metadata is not None and not (
            isinstance(metadata, Mapping) and isinstance(metadata.get("custom", {}), Mapping)
        ):
            raise errors.field_invalid("metadata", "Metadata: must be an object with a custom object")
        comment = changes.get("comment")
        if comment is not None:
            if not isinstance(comment, Mapping):
                raise errors.field_invalid("comment", "Comment: is invalid")
            if not _comment_text(comment)[0].strip():
                raise errors.field_invalid("base", "Comment: cannot be blank", "BlankValue")
            author_id = comment.get("author_id")
            if author_id is not None and author_id not in self._users:
                raise errors.field_invalid("author", "Author: is invalid")
            tokens = _upload_tokens(comment)
            if tokens is None or any(token not in self._uploads for token in tokens):
                raise errors.field_invalid("uploads", "Uploads: the upload token is invalid or has expired")
            if len(ticket.comments) >= MAX_COMMENTS_PER_TICKET:
                raise errors.field_invalid(
                    "base", f"Ticket: has reached the limit of {MAX_COMMENTS_PER_TICKET} comments"
                )

    def _apply(
        self,
        ticket: Ticket,
        changes: Mapping[str, Any],
        *,
        author_id: int,
        channel: str,
        creating: bool = False,
    ) -> Audit:
        """Validate then apply ``changes`` in one step, recording an audit; bumps ``updated_at``."""
        self._validate(ticket, changes)
        now = self._next_stamp(ticket)
        kind = "Create" if creating else "Change"
        events: list[AuditEvent] = []
        comment = changes.get("comment")
        if comment is not None:
            body, html_body = _comment_text(comment)
            attached = tuple(self._uploads.pop(token) for token in _upload_tokens(comment) or ())
            self._attachments.update((upload.token, upload) for upload in attached)
            ticket.comments.append(
                Comment(
                    author_id=comment.get("author_id") or author_id,
                    body=body,
                    html_body=html_body,
                    public=bool(comment.get("public", True)),
                    created_at=now,
                    audit_index=ticket.audit_count,
                    channel=channel,
                    attachments=attached,
                )
            )
            events.append(CommentAdded(len(ticket.comments) - 1))
        for name in ("subject", "status", "priority", "type", "assignee_id", "group_id"):
            if name in changes and (creating or changes[name] != getattr(ticket, name)):
                events.append(Change(name, changes[name], getattr(ticket, name), kind))
                setattr(ticket, name, changes[name])
        if "tags" in changes:
            tags = _normalize_tags(changes["tags"])
            if tags != ticket.tags:
                events.append(Change("tags", tags, ticket.tags, kind))
                ticket.tags = tags
        for item in changes.get("custom_fields", []):
            field_id, value = item["id"], item.get("value")
            if field_id in self._fields and ticket.custom_fields.get(field_id) != value:
                events.append(Change(str(field_id), value, ticket.custom_fields.get(field_id), kind))
                ticket.custom_fields[field_id] = value
        custom = (changes.get("metadata") or {}).get("custom")
        audit = Audit(
            ticket.audit_count, author_id, now, tuple(events), channel, dict(custom) if custom else None
        )
        ticket.audits.append(audit)
        if not self._timeline_stale:
            self._timeline.add(now, ticket.id, audit.number)
        ticket.updated_at = now
        self._feed.touch(ticket.id, now)
        return audit


def _comment_text(comment: Mapping[str, Any]) -> tuple[str, str | None]:
    """(plain body, html body or None) of a comment given as ``body`` or ``html_body``."""
    html_body = comment.get("html_body")
    if isinstance(html_body, str) and html_body:
        return _HTML_TAG.sub("", html_body).strip(), html_body
    body = comment.get("body")
    return (body if isinstance(body, str) else ""), None


def _upload_tokens(comment: Mapping[str, Any]) -> list[str] | None:
    """The distinct upload tokens a comment names (one token may come as a plain string, as the
    recorded ticket creation shows); None when ``uploads`` is neither."""
    uploads = comment.get("uploads", [])
    if isinstance(uploads, str):
        uploads = [uploads]
    if not isinstance(uploads, list) or not all(isinstance(token, str) for token in uploads):
        return None
    return list(dict.fromkeys(uploads))


def _normalize_tags(tags: Iterable[object]) -> tuple[str, ...]:
    """Zendesk tags: lower case, no spaces (a space separates tags), no duplicates, order kept."""
    result: dict[str, None] = {}
    for tag in tags:
        for part in _TAG_SPLIT.split(str(tag).strip().lower()):
            if part:
                result[part] = None
    return tuple(result)


def _parse_stamp(stamp: object) -> int | None:
    """Unix seconds of an ``updated_stamp`` (ISO 8601); None when it cannot be read (never matches)."""
    if not isinstance(stamp, str):
        return None
    try:
        return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def _slice(
    records: Mapping[int, Any], start: int, size: int, render: Callable[[Any], JsonObject]
) -> tuple[list[JsonObject], int]:
    ids = sorted(records)
    return [render(records[record_id]) for record_id in ids[start : start + size]], len(ids)
