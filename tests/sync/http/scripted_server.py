"""A Starlette app that answers each path with replies scripted by the test, and records every request.

Replies can be delayed (for timeouts) or cut off mid-body (a dropped connection), so the
HTTP layer is exercised over a real socket with real TLS by :class:`LoopbackServer`.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a status, a JSON or text body, headers; optionally slow or cut off."""

    status: int = 200
    body: Any = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


@dataclass(frozen=True)
class Seen:
    """A request as the server received it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


class _DroppedResponse(Response):
    """Announces a body, sends part of it and stops: the server closes the connection mid-answer."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]})
        await send({"type": "http.response.body", "body": b'{"partial": ', "more_body": True})
        # Returning with the body unfinished makes the server close the connection.


class ScriptedServer:
    """Replies per path, in order; the last reply of a path repeats. Unscripted paths answer 404."""

    def __init__(self) -> None:
        self._script: dict[str, deque[Reply]] = defaultdict(deque)
        self.requests: list[Seen] = []
        self.app = Starlette(routes=[Route("/{path:path}", self._answer, methods=METHODS)])

    def on(self, path: str, *replies: Reply) -> None:
        """Answer requests to ``path`` with ``replies`` in order (the last one repeats)."""
        self._script[path].extend(replies)

    def seen(self, path: str) -> list[Seen]:
        """The requests received for ``path``."""
        return [request for request in self.requests if request.path == path]

    async def _answer(self, request: Request) -> Response:
        self.requests.append(
            Seen(
                request.method,
                request.url.path,
                request.url.query,
                dict(request.headers),
                await request.body(),
            )
        )
        queue = self._script.get(request.url.path)
        if not queue:
            return Response(json.dumps({"error": "InvalidEndpoint"}), 404, media_type="application/json")
        reply = queue.popleft() if len(queue) > 1 else queue[0]
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.drop:
            return _DroppedResponse()
        if reply.text is not None:
            return Response(reply.text, reply.status, headers=reply.headers, media_type="text/plain")
        content = json.dumps(reply.body if reply.body is not None else {})
        return Response(content, reply.status, headers=reply.headers, media_type="application/json")
