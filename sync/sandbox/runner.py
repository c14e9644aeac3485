"""Run an ASGI app with uvicorn on the loopback interface, in a background thread.

:class:`LoopbackServer` binds its own socket first (port 0 picks a free one),
so the real port is known before the server starts; ``start()`` returns once
the server accepts connections and ``stop()`` shuts it down and joins the
thread. It serves HTTPS when given a :class:`~sync.sandbox.tls.LocalCertificate`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from sync.sandbox.tls import LocalCertificate

LOOPBACK_HOST = "127.0.0.1"
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0
# Requests still running at stop() get this long to finish before they are cancelled.
GRACEFUL_SHUTDOWN_S = 2
_POLL_INTERVAL_S = 0.005
_REAP_INTERVAL_S = 0.01
_ABORT_MARGIN_S = 0.2


class ServerStartError(RuntimeError):
    """The loopback server did not come up (the app failed its startup, or it took too long)."""


class _ShutdownCancellations(logging.Filter):
    """Requests still running when the server stops are cancelled on purpose: say so at DEBUG, not ERROR."""

    def filter(self, record: logging.LogRecord) -> bool:
        cancelled = record.exc_info is not None and isinstance(record.exc_info[1], asyncio.CancelledError)
        if cancelled or record.msg == _UVICORN_CANCEL_MESSAGE:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


_UVICORN_CANCEL_MESSAGE = "Cancel %s running task(s), timeout graceful shutdown exceeded"
_shutdown_filter = _ShutdownCancellations()


def _quiet_shutdown_cancellations() -> None:
    logger = logging.getLogger("uvicorn.error")
    if _shutdown_filter not in logger.filters:
        logger.addFilter(_shutdown_filter)


class _PromptlyStoppingServer(uvicorn.Server):
    """uvicorn, but connections it has asked to close do not wait for the client at shutdown.

    A TLS close waits for the peer's close_notify, which an idle kept-alive
    client never sends; uvicorn would then wait out its graceful timeout and
    leave the transports unclosed. Closing connections whose responses are
    fully written are aborted instead. Requests still running get the grace
    period to finish; then their connections are aborted (the client sees the
    server disconnect rather than a made-up 500) and uvicorn cancels them.
    """

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        helpers = [
            asyncio.create_task(self._abort_closing_connections()),
            asyncio.create_task(self._abort_all_connections_after(GRACEFUL_SHUTDOWN_S - _ABORT_MARGIN_S)),
        ]
        try:
            await super().shutdown(sockets=sockets)
        finally:
            for helper in helpers:
                helper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await helper
            self._abort_connections()
            await asyncio.sleep(0)  # let the aborted transports report connection_lost

    async def _abort_closing_connections(self) -> None:
        while True:
            for connection in list(self.server_state.connections):
                transport = connection.transport
                if transport.is_closing() and transport.get_write_buffer_size() == 0:
                    transport.abort()
            await asyncio.sleep(_REAP_INTERVAL_S)

    async def _abort_all_connections_after(self, delay: float) -> None:
        """Requests still running when the grace period ends see their connection drop, as in a crash."""
        await asyncio.sleep(delay)
        self._abort_connections()

    def _abort_connections(self) -> None:
        for connection in list(self.server_state.connections):
            connection.transport.abort()


class LoopbackServer:
    """An ASGI app served by uvicorn on ``127.0.0.1`` from a daemon thread; a context manager.

    ``base_url`` is ``https://127.0.0.1:PORT`` with a certificate, ``http://...``
    without. uvicorn logs at WARNING and writes no access log.
    """

    def __init__(self, app: Any, certificate: LocalCertificate | None = None, port: int = 0) -> None:
        self._app = app
        self._certificate = certificate
        self._requested_port = port
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    @property
    def port(self) -> int:
        """The port the server listens on (known once started)."""
        if self._port is None:
            raise RuntimeError("The server has not been started")
        return self._port

    @property
    def scheme(self) -> str:
        """``https`` with a certificate, ``http`` otherwise."""
        return "https" if self._certificate is not None else "http"

    @property
    def base_url(self) -> str:
        """``https://127.0.0.1:PORT`` (or ``http://``), without a trailing slash."""
        return f"{self.scheme}://{LOOPBACK_HOST}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the server thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> LoopbackServer:
        """Bind, start serving in a background thread and return once connections are accepted.

        After :meth:`stop` it can start again, on the same port.
        """
        if self._thread is not None:
            raise RuntimeError("The server was already started")
        _quiet_shutdown_cancellations()
        # A restart comes back on the same port, so clients find the server where it was.
        sock = _bind_loopback(self._port if self._port is not None else self._requested_port)
        self._socket = sock
        self._port = sock.getsockname()[1]
        server = _PromptlyStoppingServer(self._config())
        self._server = server
        self._thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"loopback-server-{self._port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise ServerStartError(f"The server on port {self._port} did not start")
            time.sleep(_POLL_INTERVAL_S)
        return self

    def stop(self) -> None:
        """Stop accepting connections, let running requests finish briefly, join the thread, free the port."""
        server, thread, sock = self._server, self._thread, self._socket
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(STOP_TIMEOUT_S)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(STOP_TIMEOUT_S)
        if sock is not None:
            sock.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _config(self) -> uvicorn.Config:
        certificate = self._certificate
        return uvicorn.Config(
            self._app,
            loop="asyncio",
            http="h11",
            ws="none",
            lifespan="auto",
            log_config=None,
            log_level="warning",
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
            ssl_certfile=str(certificate.cert_path) if certificate else None,
            ssl_keyfile=str(certificate.key_path) if certificate else None,
        )


def _bind_loopback(port: int) -> socket.socket:
    """A listening TCP socket on 127.0.0.1 (``port`` 0 lets the system pick a free one)."""
    # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY only on sockets that name it, and without it
    # every answer written in two parts waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((LOOPBACK_HOST, port))
        sock.listen(128)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock
