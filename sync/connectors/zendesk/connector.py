"""``ZendeskConnector``: the :class:`~sync.connectors.base.Connector` of Zendesk Support.

Pull: the incremental ticket export (``start_time=0`` first, then ``cursor`` until
``end_of_stream``) with users, groups and organizations side-loaded and each ticket's SLA
policy metrics (``include=slas``: Zendesk's own targets, stored as the case's vendor SLA);
then the incremental ticket events export with ``comment_events`` for the comments written
since the last pass (a few hundred requests for an account's whole history instead of one per
ticket). A scoped connection notices tickets moving into its scope (their earlier comments are
read too: :mod:`.scope`) and names those that changed and left it, so their cases say so.
Both positions travel in one cursor (:mod:`sync.connectors.zendesk.cursor`); the last page of
a pass re-reads its final second next time, because Zendesk's time-based export may still
add events to that second (the merge matches comments by id, so nothing doubles).

Push: one ``PUT /api/v2/tickets/{id}.json`` per outbox entry (:mod:`.push`) with
``safe_update`` and ``updated_stamp``, carrying the entry's idempotency key in
``metadata.custom.handoff_key`` (Zendesk keeps it on the audit, where
:meth:`ZendeskConnector.find_delivered` looks for it). A reply's or note's attached files are
uploaded first, from the workspace folder the delivery target names (:mod:`.uploads`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import httpx

from core.db.types import utc_now
from core.outbox import OutboxEntry
from core.policy import current_policy
from core.remote.delivery import DeliveryTarget
from core.remote.dtos import Conflict as RemoteConflict
from core.remote.dtos import (
    Connection,
    FieldConflict,
    PushResult,
    RemoteComment,
    RemotePage,
    RemoteTicket,
    RemoteUser,
)
from sync.connectors.base import AccountCheck, PushConflict, PushRejected
from sync.connectors.zendesk.cursor import Phase, SyncCursor
from sync.connectors.zendesk.decoding import FetchedBody, decoded, get_body
from sync.connectors.zendesk.fields import ZendeskFields
from sync.connectors.zendesk.json_values import (
    MARKER_FIELD,
    JsonObject,
    as_int,
    custom_field_values,
    handoff_key,
    id_text,
    moment,
    obj,
    objects,
    optional_text,
    text,
)
from sync.connectors.zendesk.mapping import (
    AGENT_ROLES,
    comment_of,
    comments_of_events,
    group_of,
    in_scope,
    is_deleted,
    organization_of,
    ticket_of,
    tickets_entering_scope,
    user_of,
)
from sync.connectors.zendesk.paging import cursor_pages
from sync.connectors.zendesk.peek import peek_paging
from sync.connectors.zendesk.push import PushPlan, plan_push
from sync.connectors.zendesk.scope import has_criteria, tickets_entering_custom_field_scope
from sync.connectors.zendesk.uploads import upload_files
from sync.http import (
    DEFAULT_RETRY,
    SHARED_RATE_LIMITS,
    ApiClient,
    AuthFailed,
    Conflict,
    Credentials,
    NotFound,
    RateLimits,
    Rejected,
    RetryPolicy,
    make_client,
)

API = "api/v2"
RESOURCE = "tickets"
SIDE_LOADS = "users,groups,organizations,slas"
SHOW_MANY_LIMIT = 100
FETCHED_AHEAD_FRESH_FOR = 30.0  # seconds; an older page fetched ahead is fetched again
COMMENT_ONLY_RETRIES = 2  # a comment conflicts with nothing: re-based on the new version this often


class ZendeskConnector:
    """Pulls a Zendesk account's escalations and pushes Handoff's changes to their tickets.

    ``client`` is a shared :class:`httpx.AsyncClient` (not closed by :meth:`aclose`); without
    one the connector builds its own with :func:`sync.http.make_client`, trusting the
    connection's extra CA bundle. ``page_size`` lowers the export page size (tests).
    """

    kind = "zendesk"

    def __init__(
        self,
        connection: Connection,
        credentials: Credentials,
        *,
        client: httpx.AsyncClient | None = None,
        retry: RetryPolicy = DEFAULT_RETRY,
        rate_limits: RateLimits = SHARED_RATE_LIMITS,
        page_size: int | None = None,
    ) -> None:
        self.connection = connection
        self._owns_client = client is None
        extra_roots = connection.ca_bundle or current_policy().ca_bundle  # the IT policy's, by default
        ca_bundle = Path(extra_roots) if extra_roots else None
        self._http = client if client is not None else make_client(ca_bundle=ca_bundle)
        self._api = ApiClient(
            self._http, connection.base_url, credentials, retry=retry, rate_limits=rate_limits
        )
        self._fields = ZendeskFields.of(connection.mapping)
        self._retry = retry
        self._page_size = page_size
        self._known_users: set[str] = set()
        self._skipped_tickets: set[str] = set()
        self._ahead: tuple[SyncCursor, float, asyncio.Task[FetchedBody]] | None = None
        self._superseded: set[asyncio.Task[FetchedBody]] = set()  # fetches ahead nobody needs, finishing

    # -- the account -----------------------------------------------------------------------------

    async def check(self) -> AccountCheck:
        """Who the credentials belong to (``users/me``); an anonymous answer counts as refused."""
        user = obj(obj(await self._api.send_json("GET", f"{API}/users/me.json")).get("user"))
        if user.get("id") is None:
            raise AuthFailed(self._api.host, 401, "Zendesk answered as an anonymous user")
        return AccountCheck(
            user_name=text(user.get("name")),
            user_email=optional_text(user.get("email")),
            is_agent=user.get("role") in AGENT_ROLES,
        )

    # -- pull ------------------------------------------------------------------------------------

    async def pull(self, cursor: str | None) -> RemotePage:
        """The next page after ``cursor``: tickets first, then the comments written meanwhile.

        While the caller stores this page, the page after it is already being fetched.
        """
        position = SyncCursor.decode(cursor)
        fetched = await self._fetched(position)
        # Where the next page starts, read from the raw bytes: it is asked for while this one is
        # decoded (checked against the decoded page below, and asked for again if wrong).
        guessed = _peeked_following(position, fetched.content)
        if guessed is not None and not guessed[1]:
            self._fetch_ahead(guessed[0])
        body = obj(await decoded(fetched))
        following, end_of_stream = _following(position, body)
        if not end_of_stream and guessed != (following, end_of_stream):
            self._fetch_ahead(following)
        if position.phase is Phase.TICKETS:
            # Mapping a thousand tickets takes tens of milliseconds: off the (GUI) loop's thread.
            return await asyncio.to_thread(self._tickets_page, body, following)
        return await self._comments_page(body, position, following, end_of_stream)

    async def _fetch(self, position: SyncCursor) -> FetchedBody:
        """The raw export page at ``position``, not decoded yet."""
        params: dict[str, str | int] = {}
        if self._page_size is not None:
            params["per_page"] = self._page_size
        if position.phase is Phase.EVENTS:
            params.update(start_time=position.events_from, include="comment_events")
            return await get_body(self._api, f"{API}/incremental/ticket_events.json", params)
        params["include"] = SIDE_LOADS
        if position.tickets is None:
            params["start_time"] = 0
        else:
            params["cursor"] = position.tickets
        return await get_body(self._api, f"{API}/incremental/tickets/cursor.json", params)

    async def _fetched(self, position: SyncCursor) -> FetchedBody:
        """The page at ``position``: the one fetched ahead when it is that one, else fetched now."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead_position, started, task = ahead
            if ahead_position == position and time.monotonic() - started <= FETCHED_AHEAD_FRESH_FOR:
                return await task
            await _discard(task)
        return await self._fetch(position)

    def _fetch_ahead(self, position: SyncCursor) -> None:
        superseded = self._ahead
        if superseded is not None:  # a wrong guess: left to finish (never cancelled halfway), then dropped
            self._superseded.add(superseded[2])
            superseded[2].add_done_callback(self._superseded.discard)
        task = asyncio.get_running_loop().create_task(self._fetch(position))
        task.add_done_callback(_retrieve_exception)  # raised by the pull that awaits it, never logged
        self._ahead = (position, time.monotonic(), task)

    def _tickets_page(self, body: JsonObject, following: SyncCursor) -> RemotePage:
        now = utc_now()
        tickets: dict[str, RemoteTicket] = {}
        deleted: dict[str, None] = {}
        left: dict[str, None] = {}
        # A first sync has no cases yet, so only a later pass says which tickets left the scope.
        notes_exits = following.events_from > 0 and has_criteria(self.connection.scope)
        for record in objects(body.get("tickets")):
            remote_id = id_text(record.get("id"))
            if remote_id is None:
                continue
            if is_deleted(record):
                deleted[remote_id] = None
                tickets.pop(remote_id, None)
                self._skipped_tickets.add(remote_id)
            elif in_scope(record, self.connection.scope):
                tickets[remote_id] = ticket_of(record, self._fields, self.connection.base_url, now)
                self._skipped_tickets.discard(remote_id)
            else:
                self._skipped_tickets.add(remote_id)
                if notes_exits:
                    left[remote_id] = None
        kept = tickets.values()
        people = {t.requester_id for t in kept} | {t.assignee_id for t in kept}
        users = [user_of(record) for record in _referenced(body, "users", people)]
        self._known_users.update(user.remote_id for user in users)
        organizations = _referenced(body, "organizations", {t.organization_id for t in kept})
        return RemotePage(
            resource=RESOURCE,
            cursor=following.encode(),
            end_of_stream=False,  # the comments pass follows
            tickets=tuple(kept),
            users=tuple(users),
            organizations=tuple(organization_of(record) for record in organizations),
            groups=tuple(group_of(r) for r in _referenced(body, "groups", {t.group_id for t in kept})),
            deleted_ticket_ids=tuple(deleted),
            left_scope_ticket_ids=tuple(t for t in left if t not in tickets and t not in deleted),
        )

    async def _comments_page(
        self, body: JsonObject, position: SyncCursor, following: SyncCursor, end_of_stream: bool
    ) -> RemotePage:
        events = objects(body.get("ticket_events"))
        found = await asyncio.to_thread(comments_of_events, events, frozenset(self._skipped_tickets))
        comments = {comment.remote_id: comment for comment in found}
        scope = self.connection.scope
        if position.events_from > 0 and has_criteria(scope):  # a first sync reads every comment
            entering = tickets_entering_scope(events, scope) | tickets_entering_custom_field_scope(
                events, scope
            )
            for ticket_id in sorted(entering - self._skipped_tickets):
                comments.update((c.remote_id, c) for c in await self.ticket_comments(ticket_id))
        authors = {comment.author_id for comment in comments.values() if comment.author_id}
        users = await self._users(authors - self._known_users)
        return RemotePage(
            resource=RESOURCE,
            cursor=following.encode(),
            end_of_stream=end_of_stream,
            comments=tuple(comments.values()),
            users=tuple(users),
        )

    async def ticket_comments(self, ticket_id: str) -> tuple[RemoteComment, ...]:
        """Every comment of one ticket, oldest first (the comments API, cursor paged)."""
        comments: list[RemoteComment] = []
        async for page in cursor_pages(self._api, f"{API}/tickets/{ticket_id}/comments.json", "comments"):
            comments.extend(comment_of(record, ticket_id) for record in page)
        return tuple(comments)

    async def _users(self, user_ids: frozenset[str] | set[str]) -> list[RemoteUser]:
        """The users with these ids (comment authors not side-loaded with their tickets)."""
        wanted = sorted(user_ids)
        users: list[RemoteUser] = []
        for start in range(0, len(wanted), SHOW_MANY_LIMIT):
            ids = ",".join(wanted[start : start + SHOW_MANY_LIMIT])
            body = obj(await self._api.send_json("GET", f"{API}/users/show_many.json", params={"ids": ids}))
            users.extend(user_of(record) for record in objects(body.get("users")))
        self._known_users.update(user.remote_id for user in users)
        return users

    # -- push ------------------------------------------------------------------------------------

    async def push(self, entry: OutboxEntry, target: DeliveryTarget) -> PushResult:
        """Deliver ``entry`` as one safe update of the ticket; see the module docstring."""
        ticket_id = _ticket_id(target)
        plan = plan_push(entry, self._fields)
        tokens = await upload_files(self._api, target.attachments_dir, plan.files, self._retry)
        version = target.version
        for _attempt in range(COMMENT_ONLY_RETRIES + 1):
            try:
                return await self._put(entry, ticket_id, plan, version, tokens)
            except Conflict:
                ticket = await self._show(ticket_id)
                if plan.local:
                    raise PushConflict(await self._conflict(ticket_id, ticket, plan)) from None
                version = text(ticket.get("updated_at"))  # only a comment: nothing to overwrite
        raise PushConflict(await self._conflict(ticket_id, await self._show(ticket_id), plan))

    async def _put(
        self, entry: OutboxEntry, ticket_id: str, plan: PushPlan, version: str | None, tokens: list[str]
    ) -> PushResult:
        changes: JsonObject = {
            **plan.with_uploads(tokens),
            "safe_update": True,
            "metadata": {"custom": {MARKER_FIELD: entry.idempotency_key}},
        }
        if version:
            changes["updated_stamp"] = version
        try:
            body = obj(
                await self._api.send_json("PUT", f"{API}/tickets/{ticket_id}.json", json={"ticket": changes})
            )
        except Rejected as error:
            raise PushRejected(error.server_message or error.user_message) from error
        except NotFound as error:
            raise PushRejected(_gone(ticket_id)) from error
        audit = obj(body.get("audit"))
        return PushResult(
            remote_ids=_audit_ids(audit),
            ticket_version=optional_text(obj(body.get("ticket")).get("updated_at")),
        )

    async def find_delivered(self, entry: OutboxEntry, target: DeliveryTarget) -> PushResult | None:
        """Whether ``entry`` already landed: its marker on one of the ticket's audits; an entry without a
        comment also counts as delivered when the ticket already shows every change it makes."""
        if target.remote_id is None:
            return None
        ticket_id = target.remote_id
        try:
            found = await self._audit_with_key(ticket_id, entry.idempotency_key)
        except NotFound:
            return None
        if found is not None:
            current = await self._show(ticket_id)
            latest = moment(found.get("created_at")) == moment(current.get("updated_at"))
            version = optional_text(current.get("updated_at")) if latest else None
            return PushResult(remote_ids=_audit_ids(found), ticket_version=version)
        try:
            plan = plan_push(entry, self._fields)
        except PushRejected:
            return None
        if not plan.has_comment and plan.applied_to(await self._show(ticket_id)):
            return PushResult()
        return None

    async def _audit_with_key(self, ticket_id: str, key: str) -> JsonObject | None:
        """The ticket's audit carrying ``key`` (newest audits read first: a lost push is recent)."""
        path = f"{API}/tickets/{ticket_id}/audits.json"
        async with contextlib.aclosing(cursor_pages(self._api, path, "audits", newest_first=True)) as pages:
            async for page in pages:
                for audit in page:
                    if handoff_key(audit.get("metadata")) == key:
                        return audit
        return None

    # -- conflicts -------------------------------------------------------------------------------

    async def _show(self, ticket_id: str) -> JsonObject:
        try:
            return obj(obj(await self._api.send_json("GET", f"{API}/tickets/{ticket_id}.json")).get("ticket"))
        except NotFound as error:
            raise PushRejected(_gone(ticket_id)) from error

    async def _conflict(self, ticket_id: str, ticket: JsonObject, plan: PushPlan) -> RemoteConflict:
        """Both values of every field the push sets, and who changed the ticket last and when."""
        remote = self._remote_values(ticket)
        updated_at = optional_text(ticket.get("updated_at"))
        return RemoteConflict(
            fields=tuple(FieldConflict(name, local, remote.get(name)) for name, local in plan.local.items()),
            remote_author=await self._last_author(ticket_id),
            remote_changed_at=moment(updated_at),
            remote_version=updated_at,
        )

    def _remote_values(self, ticket: JsonObject) -> dict[str, str | None]:
        """The ticket's values of the Handoff fields a push can set (ids for team and assignee)."""
        custom = custom_field_values(ticket)
        tier = custom.get(self._fields.tier_field_id) if self._fields.tier_field_id else None
        area = custom.get(self._fields.product_area_field_id) if self._fields.product_area_field_id else None
        return {
            "stage": self._fields.stage_of(text(ticket.get("status"))),
            "priority": self._fields.priority_of(optional_text(ticket.get("priority"))),
            "team": id_text(ticket.get("group_id")),
            "assignee": id_text(ticket.get("assignee_id")),
            "tier": None if tier is None else str(tier),
            "product_area": None if area is None else str(area),
        }

    async def _last_author(self, ticket_id: str) -> str | None:
        """The name of whoever made the ticket's latest change (its id when the user cannot be read)."""
        path = f"{API}/tickets/{ticket_id}/audits.json"
        async with contextlib.aclosing(
            cursor_pages(self._api, path, "audits", 1, newest_first=True)
        ) as pages:
            newest: list[JsonObject] = await anext(pages, [])
        last = newest[0] if newest else None
        author_id = id_text(last.get("author_id")) if last is not None else None
        if author_id is None:
            return None
        try:
            user = obj(obj(await self._api.send_json("GET", f"{API}/users/{author_id}.json")).get("user"))
        except NotFound:
            return author_id
        return optional_text(user.get("name")) or author_id

    async def aclose(self) -> None:
        """Finish fetching ahead and close the HTTP client the connector built (a shared one stays open)."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            await _discard(ahead[2])
        for superseded in list(self._superseded):
            await _discard(superseded)
        if self._owns_client:
            await self._http.aclose()


def _following(position: SyncCursor, body: JsonObject) -> tuple[SyncCursor, bool]:
    """Where the pull goes after the page ``body`` read at ``position``, and whether the pass ended."""
    finished = body.get("end_of_stream") is True
    if position.phase is Phase.TICKETS:
        after = optional_text(body.get("after_cursor")) or position.tickets
        phase = Phase.EVENTS if finished else Phase.TICKETS
        return SyncCursor(phase=phase, tickets=after, events_from=position.events_from), False
    end_time = as_int(body.get("end_time"))
    if end_time is None:
        next_from = position.events_from
    elif finished:
        next_from = max(position.events_from, end_time - 1)  # re-read the last second next pass
    else:
        next_from = max(position.events_from, end_time)
    phase = Phase.TICKETS if finished else Phase.EVENTS
    return SyncCursor(phase=phase, tickets=position.tickets, events_from=next_from), finished


def _peeked_following(position: SyncCursor, content: bytes) -> tuple[SyncCursor, bool] | None:
    """:func:`_following` from the paging values read off the raw page (None: not all found)."""
    paging = peek_paging(content)
    needed = (
        ("end_of_stream", "after_cursor")
        if position.phase is Phase.TICKETS
        else ("end_of_stream", "end_time")
    )
    if not all(key in paging for key in needed):
        return None
    return _following(position, paging)


def _retrieve_exception(task: asyncio.Task[FetchedBody]) -> None:
    if not task.cancelled():
        task.exception()


async def _discard(task: asyncio.Task[FetchedBody]) -> None:
    """Let a fetch ahead nobody needs finish and drop its outcome.

    It is not cancelled: an HTTP exchange cancelled halfway leaves its connection half-closed.
    """
    with contextlib.suppress(Exception):
        await task


def _ticket_id(target: DeliveryTarget) -> str:
    if target.remote_id is None:
        raise PushRejected("This case has no Zendesk ticket, so there is nothing to update in Zendesk.")
    return target.remote_id


def _gone(ticket_id: str) -> str:
    return (
        f"Zendesk ticket #{ticket_id} no longer exists (it was deleted or merged), "
        "so the change cannot be sent."
    )


def _audit_ids(audit: JsonObject) -> dict[str, str]:
    """The audit's id and the id of the comment it added, if any."""
    ids: dict[str, str] = {}
    audit_id = id_text(audit.get("id"))
    if audit_id is not None:
        ids["audit"] = audit_id
    comment_id = next(
        (
            id_text(event.get("id"))
            for event in objects(audit.get("events"))
            if event.get("type") == "Comment"
        ),
        None,
    )
    if comment_id is not None:
        ids["comment"] = comment_id
    return ids


def _referenced(body: JsonObject, key: str, ids: set[str | None]) -> list[JsonObject]:
    """The side-loaded records under ``key`` that the kept tickets refer to."""
    return [record for record in objects(body.get(key)) if id_text(record.get("id")) in ids]
