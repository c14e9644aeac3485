"""The sandbox Zendesk HTTP API (Starlette): every endpoint the connector uses, with the recorded shapes.

:func:`create_app` returns the ASGI app for a store. Every answer is JSON
(``application/json; charset=utf-8``) with a weak ``etag`` and the
rate-limit headers Zendesk sends; errors carry Zendesk's error bodies.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sync.sandbox.faults import AsgiApp, ConflictHook, FaultInjector, FaultMiddleware
from sync.sandbox.zendesk import errors
from sync.sandbox.zendesk.auth import authenticate, require_agent
from sync.sandbox.zendesk.envelope import DEFAULT_RATE_LIMIT, RateLimit, ZendeskEnvelope
from sync.sandbox.zendesk.feed import FeedPosition
from sync.sandbox.zendesk.model import User
from sync.sandbox.zendesk.paging import int_param, paginate
from sync.sandbox.zendesk.shapes import API, JsonObject, attachment_json, iso
from sync.sandbox.zendesk.store import ZendeskStore

EXPORT_PAGE_SIZE = 1000
UPLOAD_TOKEN_LIFETIME_S = 3 * 24 * 3600  # as Zendesk's answer says (the sandbox keeps them for good)
MAX_SHOW_MANY = 100
_INCLUDES = frozenset({"users", "groups", "organizations", "slas"})
"""What the ticket exports take in ``include``: side-loaded records, and the tickets' SLA targets."""


def create_app(
    store: ZendeskStore,
    rate_limit: RateLimit = DEFAULT_RATE_LIMIT,
    faults: FaultInjector | None = None,
    on_conflict: ConflictHook | None = None,
) -> AsgiApp:
    """The ASGI app serving ``store`` under ``/api/v2``.

    Every answer, faulty ones included, advertises ``rate_limit.per_minute``
    in the rate-limit headers and every request is logged in
    ``store.requests_seen``; with ``rate_limit.enforce`` requests beyond the
    limit in a clock minute get 429 with ``Retry-After`` (the seconds left in
    that minute). ``faults`` are applied after that, in front of the API.
    """
    api = _ZendeskApi(store)
    routes = [
        Route(f"{API}/incremental/tickets/cursor.json", api.incremental_tickets, methods=["GET"]),
        Route(f"{API}/incremental/tickets.json", api.incremental_tickets_by_time, methods=["GET"]),
        Route(f"{API}/incremental/ticket_events.json", api.incremental_ticket_events, methods=["GET"]),
        Route(f"{API}/tickets.json", api.create_ticket, methods=["POST"]),
        Route(f"{API}/tickets/show_many.json", api.show_many_tickets, methods=["GET"]),
        Route(f"{API}/tickets/{{ticket_id:int}}.json", api.ticket, methods=["GET", "PUT"]),
        Route(f"{API}/tickets/{{ticket_id:int}}/comments.json", api.comments, methods=["GET"]),
        Route(f"{API}/tickets/{{ticket_id:int}}/audits.json", api.audits, methods=["GET"]),
        Route(f"{API}/users/me.json", api.me, methods=["GET"]),
        Route(f"{API}/users/show_many.json", api.show_many_users, methods=["GET"]),
        Route(f"{API}/users/{{user_id:int}}.json", api.user, methods=["GET"]),
        Route(f"{API}/organizations.json", api.organizations, methods=["GET"]),
        Route(f"{API}/organizations/{{organization_id:int}}.json", api.organization, methods=["GET"]),
        Route(f"{API}/groups.json", api.groups, methods=["GET"]),
        Route(f"{API}/groups/{{group_id:int}}.json", api.group, methods=["GET"]),
        Route(f"{API}/ticket_fields.json", api.ticket_fields, methods=["GET"]),
        Route(f"{API}/uploads.json", api.upload, methods=["POST"]),
        Route("/attachments/token/{token}/", api.attachment_content, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={errors.ZendeskError: _zendesk_error, HTTPException: _http_error},
    )
    api_app: AsgiApp = app if faults is None else FaultMiddleware(app, faults, on_conflict)
    return ZendeskEnvelope(api_app, store, rate_limit)


def json_response(
    body: Mapping[str, object], status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A Zendesk-style JSON answer with a weak etag."""
    content = orjson.dumps(body)  # several times faster than json.dumps on a page of a thousand tickets
    etag = hashlib.md5(content, usedforsecurity=False).hexdigest()
    all_headers = {"etag": f'W/"{etag}"', **(headers or {})}
    return Response(content, status, all_headers, media_type="application/json; charset=utf-8")


async def _zendesk_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.ZendeskError)
    return json_response(exc.body, exc.status, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    error = errors.method_not_allowed() if exc.status_code == 405 else errors.invalid_endpoint()
    return json_response(error.body, exc.status_code if exc.status_code in (404, 405) else 404)


def _base(request: Request) -> str:
    """The server's own scheme and host, for the absolute URLs in answers."""
    return f"{request.url.scheme}://{request.url.netloc}"


def _includes_slas(request: Request) -> bool:
    """``include=slas``: show each ticket's SLA targets."""
    return "slas" in request.query_params.get("include", "").split(",")


def _newest_first(request: Request) -> bool:
    """``sort_order=desc``: newest records first."""
    return request.query_params.get("sort_order") == "desc"


def _start_time(query: Mapping[str, str]) -> int:
    """The ``start_time`` of a time-based export (Unix seconds); 422 when missing or not a number."""
    if "start_time" not in query:
        raise errors.invalid_value("start_time is required")
    try:
        return int(query["start_time"])
    except ValueError:
        raise errors.invalid_value("start_time must be a Unix time in seconds") from None


def _unpaged(key: str, records: list[JsonObject]) -> JsonObject:
    """A list answer that fits on one page, in the offset style."""
    return {key: records, "next_page": None, "previous_page": None, "count": len(records)}


def _ids(request: Request) -> list[int]:
    text = request.query_params.get("ids", "")
    parts = [part for part in text.split(",") if part.strip()]
    if len(parts) > MAX_SHOW_MANY:
        raise errors.too_many_values("ids", MAX_SHOW_MANY)
    try:
        return [int(part) for part in parts]
    except ValueError:
        raise errors.bad_request(f"ids must be whole numbers separated by commas, not {text!r}") from None


async def _json_body(request: Request, key: str) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"null")
    except (ValueError, UnicodeDecodeError):
        raise errors.bad_request("The request body is not valid JSON") from None
    record = body.get(key) if isinstance(body, dict) else None
    if not isinstance(record, dict):
        raise errors.bad_request(f"Parameter {key} is required and must be an object")
    return record


class _ZendeskApi:
    """The endpoint handlers over one store."""

    def __init__(self, store: ZendeskStore) -> None:
        self._store = store

    def _agent(self, request: Request) -> User:
        user = authenticate(self._store, request.headers.get("authorization"))
        require_agent(user)
        return user

    async def incremental_tickets(self, request: Request) -> Response:
        self._agent(request)
        query = request.query_params
        per_page = int_param(query, "per_page", EXPORT_PAGE_SIZE, 1, EXPORT_PAGE_SIZE)
        include = frozenset(part.strip() for part in query.get("include", "").split(",")) & _INCLUDES
        if "cursor" in query:
            try:
                position = FeedPosition.from_cursor(query["cursor"])
            except ValueError:
                raise errors.invalid_value("Invalid cursor") from None
        else:
            position = self._store.export_position(_start_time(query))
        base = _base(request)
        exclude_deleted = query.get("exclude_deleted") == "true"
        body, last, end_of_stream = self._store.export_page(
            position, per_page, base, include, exclude_deleted
        )
        after_cursor = last.cursor()
        next_query: dict[str, str | int] = {"cursor": after_cursor}
        if "per_page" in query:
            next_query["per_page"] = per_page
        if include:
            next_query["include"] = ",".join(sorted(include))
        if exclude_deleted:
            next_query["exclude_deleted"] = "true"
        body.update(
            after_url=f"{base}{API}/incremental/tickets/cursor.json?{urlencode(next_query)}",
            after_cursor=after_cursor,
            before_url=None,
            before_cursor=None,
            end_of_stream=end_of_stream,
        )
        return json_response(body)

    async def incremental_tickets_by_time(self, request: Request) -> Response:
        """The time-based ticket export: ``start_time`` in, ``end_time``/``next_page`` out."""
        self._agent(request)
        query = request.query_params
        per_page = int_param(query, "per_page", EXPORT_PAGE_SIZE, 1, EXPORT_PAGE_SIZE)
        include = frozenset(part.strip() for part in query.get("include", "").split(",")) & _INCLUDES
        body, end_time, end_of_stream = self._store.time_export_page(
            _start_time(query), per_page, _base(request), include
        )
        next_query = {**query, "start_time": str(end_time)}
        tickets = body["tickets"]
        assert isinstance(tickets, list)
        body.update(
            next_page=f"{_base(request)}{request.url.path}?{urlencode(next_query)}",
            count=len(tickets),
            end_time=end_time,
            end_of_stream=end_of_stream,
        )
        return json_response(body)

    async def incremental_ticket_events(self, request: Request) -> Response:
        """Time-based paging by ``start_time``/``end_time``; ``include=comment_events`` adds the comments."""
        self._agent(request)
        query = request.query_params
        per_page = int_param(query, "per_page", EXPORT_PAGE_SIZE, 1, EXPORT_PAGE_SIZE)
        start_time = _start_time(query)
        include_comments = "comment_events" in query.get("include", "").split(",")
        events, end_time, end_of_stream = self._store.ticket_events_page(
            start_time, per_page, include_comments
        )
        next_query = {**query, "start_time": str(end_time)}
        return json_response(
            {
                "ticket_events": events,
                "next_page": f"{_base(request)}{request.url.path}?{urlencode(next_query)}",
                "count": len(events),
                "end_of_stream": end_of_stream,
                "end_time": end_time,
            }
        )

    async def ticket(self, request: Request) -> Response:
        author = self._agent(request)
        ticket_id: int = request.path_params["ticket_id"]
        if request.method == "GET":
            ticket = self._store.show_ticket(ticket_id, _base(request), _includes_slas(request))
            return json_response({"ticket": ticket})
        changes = await _json_body(request, "ticket")
        ticket, audit = self._store.update_ticket(ticket_id, changes, author, _base(request))
        return json_response({"ticket": ticket, "audit": audit})

    async def create_ticket(self, request: Request) -> Response:
        author = self._agent(request)
        fields = await _json_body(request, "ticket")
        ticket, audit = self._store.create_ticket(fields, author, _base(request))
        return json_response({"ticket": ticket, "audit": audit}, 201, {"location": str(ticket["url"])})

    async def show_many_tickets(self, request: Request) -> Response:
        self._agent(request)
        tickets = self._store.show_many_tickets(_ids(request), _base(request), _includes_slas(request))
        return json_response(_unpaged("tickets", tickets))

    async def comments(self, request: Request) -> Response:
        self._agent(request)
        ticket_id: int = request.path_params["ticket_id"]
        self._store.show_ticket(ticket_id, "")  # 404 before paging
        body = paginate(
            "comments",
            f"{_base(request)}{request.url.path}",
            request.query_params,
            lambda start, size: self._store.comments_slice(ticket_id, start, size, _newest_first(request)),
        )
        return json_response(body)

    async def audits(self, request: Request) -> Response:
        self._agent(request)
        audits = self._store.audits(request.path_params["ticket_id"])
        if _newest_first(request):
            audits.reverse()
        body = paginate(
            "audits",
            f"{_base(request)}{request.url.path}",
            request.query_params,
            lambda start, size: (audits[start : start + size], len(audits)),
        )
        return json_response(body)

    async def me(self, request: Request) -> Response:
        user = authenticate(self._store, request.headers.get("authorization"))
        return json_response({"user": self._store.show_user(user.id, _base(request))})

    async def user(self, request: Request) -> Response:
        self._agent(request)
        return json_response({"user": self._store.show_user(request.path_params["user_id"], _base(request))})

    async def show_many_users(self, request: Request) -> Response:
        self._agent(request)
        users = self._store.show_many_users(_ids(request), _base(request))
        return json_response(_unpaged("users", users))

    async def organizations(self, request: Request) -> Response:
        self._agent(request)
        base = _base(request)
        body = paginate(
            "organizations",
            f"{base}{request.url.path}",
            request.query_params,
            lambda start, size: self._store.organizations_slice(start, size, base),
        )
        return json_response(body)

    async def organization(self, request: Request) -> Response:
        self._agent(request)
        organization_id = request.path_params["organization_id"]
        return json_response({"organization": self._store.show_organization(organization_id, _base(request))})

    async def groups(self, request: Request) -> Response:
        self._agent(request)
        base = _base(request)
        body = paginate(
            "groups",
            f"{base}{request.url.path}",
            request.query_params,
            lambda start, size: self._store.groups_slice(start, size, base),
        )
        return json_response(body)

    async def group(self, request: Request) -> Response:
        self._agent(request)
        group = self._store.show_group(request.path_params["group_id"], _base(request))
        return json_response({"group": group})

    async def ticket_fields(self, request: Request) -> Response:
        self._agent(request)
        fields = self._store.ticket_fields(_base(request))
        return json_response(_unpaged("ticket_fields", fields))

    async def upload(self, request: Request) -> Response:
        """``POST /uploads.json?filename=NAME`` with the file's bytes: 201 with its token and attachment."""
        self._agent(request)
        upload = self._store.upload(
            request.query_params.get("filename", ""),
            request.headers.get("content-type", ""),
            await request.body(),
            _base(request),
        )
        attachment = attachment_json(upload)
        expires_at = iso(self._store.now() + UPLOAD_TOKEN_LIFETIME_S)
        body = {"token": upload.token, "expires_at": expires_at, "attachments": [attachment]}
        return json_response({"upload": {**body, "attachment": attachment}}, 201)

    async def attachment_content(self, request: Request) -> Response:
        """An attachment's bytes at its ``content_url`` (the token in the URL is the key, as in Zendesk)."""
        upload = self._store.attachment(request.path_params["token"])
        disposition = f"attachment; filename*=UTF-8''{quote(upload.file_name)}"
        return Response(
            upload.content, 200, {"content-disposition": disposition}, media_type=upload.content_type
        )
