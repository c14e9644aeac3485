"""The loopback server: real TLS verified against the local certificate, plain HTTP, a clean stop."""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import statistics
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync.sandbox.runner import GRACEFUL_SHUTDOWN_S, LoopbackServer
from sync.sandbox.tls import LocalCertificate, make_certificate

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def hello_app(scope: Scope, receive: Receive, send: Send) -> None:
    """A bare ASGI app that answers every HTTP request with ``hello <path>``."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": f"hello {scope['path']}".encode()})


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> LocalCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def test_https_request_verified_against_the_certificate_file_succeeds(certificate: LocalCertificate) -> None:
    with (
        LoopbackServer(hello_app, certificate) as server,
        httpx.Client(verify=certificate.client_context()) as client,
    ):
        response = client.get(f"{server.base_url}/ping")

    assert server.base_url.startswith("https://127.0.0.1:")
    assert response.status_code == 200
    assert response.text == "hello /ping"


def test_https_also_verifies_for_localhost(certificate: LocalCertificate) -> None:
    context = ssl.create_default_context(cafile=certificate.cert_path)
    with LoopbackServer(hello_app, certificate) as server, httpx.Client(verify=context) as client:
        response = client.get(f"https://localhost:{server.port}/by-name")

    assert response.text == "hello /by-name"


def test_default_verification_rejects_the_self_signed_certificate(certificate: LocalCertificate) -> None:
    with (
        LoopbackServer(hello_app, certificate) as server,
        httpx.Client() as client,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.get(f"{server.base_url}/ping")


def test_plain_http_mode_serves_without_tls() -> None:
    with LoopbackServer(hello_app) as server, httpx.Client() as client:
        response = client.get(f"{server.base_url}/plain")

    assert server.base_url == f"http://127.0.0.1:{server.port}"
    assert response.text == "hello /plain"


def test_stop_frees_the_port_and_ends_the_thread(certificate: LocalCertificate) -> None:
    threads_before = set(threading.enumerate())
    server = LoopbackServer(hello_app, certificate).start()
    port = server.port
    with httpx.Client(verify=certificate.client_context()) as client:
        # A kept-alive connection must not hold the shutdown up.
        assert client.get(f"{server.base_url}/").status_code == 200
        server.stop()

        with pytest.raises(httpx.ConnectError):
            client.get(f"https://127.0.0.1:{port}/")

    assert not server.running
    assert set(threading.enumerate()) <= threads_before
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))


def test_a_requested_port_is_used(certificate: LocalCertificate) -> None:
    with socket.socket() as finder:
        finder.bind(("127.0.0.1", 0))
        free_port = finder.getsockname()[1]

    with LoopbackServer(hello_app, port=free_port) as server, httpx.Client() as client:
        assert server.port == free_port
        assert client.get(f"http://127.0.0.1:{free_port}/x").text == "hello /x"


def test_certificate_files_are_pem_and_the_key_is_private(certificate: LocalCertificate) -> None:
    assert certificate.cert_path.read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert Path(certificate.key_path).stat().st_mode & 0o077 == 0


async def sleepy_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers after 30 s: a request still running when the server stops."""
    if scope["type"] == "http":
        await asyncio.sleep(30)
        await hello_app(scope, receive, send)


def test_stop_cancels_a_request_still_running_without_logging_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = LoopbackServer(sleepy_app).start()
    outcome: list[BaseException | httpx.Response] = []

    def call() -> None:
        try:
            outcome.append(httpx.get(f"{server.base_url}/slow", timeout=20))
        except httpx.TransportError as error:
            outcome.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(0.3)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        server.stop()
    caller.join(10)

    assert time.monotonic() - started < GRACEFUL_SHUTDOWN_S + 1.5
    assert isinstance(outcome[0], httpx.TransportError)
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_answers_written_in_parts_are_not_held_back_by_delayed_acks() -> None:
    with LoopbackServer(hello_app) as server, httpx.Client() as client:
        client.get(f"{server.base_url}/")
        durations = []
        for _ in range(21):
            started = time.perf_counter()
            client.get(f"{server.base_url}/")
            durations.append(time.perf_counter() - started)

    # Without TCP_NODELAY each kept-alive request waits ~40 ms for the client's delayed ACK.
    assert statistics.median(durations) < 0.02


def test_a_stopped_server_starts_again_on_the_same_port(certificate: LocalCertificate) -> None:
    server = LoopbackServer(hello_app, certificate).start()
    first_url = server.base_url
    with httpx.Client(verify=certificate.client_context()) as client:
        assert client.get(f"{first_url}/one").text == "hello /one"
        server.stop()
        with pytest.raises(httpx.ConnectError):
            client.get(f"{first_url}/gone")

        server.start()
        try:
            again = client.get(f"{first_url}/two")
        finally:
            server.stop()

    assert server.base_url == first_url
    assert again.text == "hello /two"
