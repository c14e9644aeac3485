"""A real request logged at DEBUG (httpx, httpcore and this layer) leaves no credential in the log text."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator

import pytest

from sync.http import Credentials, RedactionFilter, install_redaction
from sync.http.redaction import HTTP_LIBRARY_LOGGERS
from tests.sync.http.conftest import API_PREFIX, EMAIL, TOKEN, ClientFactory
from tests.sync.http.scripted_server import Reply, ScriptedServer


@pytest.fixture
def redacted_root(caplog: pytest.LogCaptureFixture) -> Iterator[RedactionFilter]:
    """Root logging at DEBUG into caplog, redacted; the filter is taken off again afterwards."""
    caplog.set_level(logging.DEBUG)
    installed = install_redaction()
    yield installed
    root = logging.getLogger()
    for holder in (root, *root.handlers, *(logging.getLogger(name) for name in HTTP_LIBRARY_LOGGERS)):
        holder.removeFilter(installed)


@pytest.mark.asyncio
async def test_debug_logs_of_a_real_request_hold_no_token(
    make_api: ClientFactory,
    scripted: ScriptedServer,
    caplog: pytest.LogCaptureFixture,
    redacted_root: RedactionFilter,
) -> None:
    scripted.on(f"{API_PREFIX}/tickets.json", Reply(500), Reply(body={"tickets": []}))
    api = make_api(credentials=Credentials.api_token(EMAIL, TOKEN))

    response = await api.send("GET", "tickets.json", params={"access_token": TOKEN, "page": "2"})
    # What a careless caller might log: the request's headers, the raw token, a URL with it.
    logging.getLogger("handoff.sync").debug("sent %s", dict(response.request.headers))
    logging.getLogger("handoff.sync").warning("token %s for %s", TOKEN, response.request.url)

    text = caplog.text
    basic = base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
    assert "HTTP Request: GET" in text  # httpx's own lines were captured
    assert "httpcore" in text  # and httpcore's debug trace
    assert "retrying" in text
    assert TOKEN not in text
    assert basic not in text
    assert "page=2" in text
