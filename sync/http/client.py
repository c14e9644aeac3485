""":class:`ApiClient`: every request to a remote system, with pacing, retries and typed errors.

One ApiClient sends to one base URL with one set of credentials over a shared
:class:`httpx.AsyncClient` (see :func:`sync.http.tls.make_client`). ``send`` returns 2xx
responses; anything else becomes a :class:`~sync.http.errors.SyncHttpError`:

- 401/403 :class:`AuthFailed`, 404 :class:`NotFound`, 409 :class:`Conflict`, other 4xx
  :class:`Rejected`: never retried;
- 429: waits exactly ``Retry-After`` (holding back every client of the host), then sends
  again, up to the policy's total wait; beyond it :class:`RateLimited`;
- 5xx, timeouts, dropped connections, refused connections: jittered exponential backoff,
  then :class:`Retryable` (:class:`Unreachable` when the host could not be reached);
- an untrusted certificate: :class:`TlsFailure` at once.
"""

from __future__ import annotations

import asyncio
import logging
import random as random_module
import ssl
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from sync.http.auth import Credentials
from sync.http.backoff import DEFAULT_RETRY, RetryPolicy, backoff_delay, parse_retry_after
from sync.http.errors import (
    AuthFailed,
    BadResponse,
    Conflict,
    NotFound,
    RateLimited,
    Rejected,
    Retryable,
    SyncHttpError,
    TlsFailure,
    UnexpectedStatus,
    Unreachable,
)
from sync.http.messages import parse_body, server_message
from sync.http.ratelimit import SHARED_RATE_LIMITS, RateLimits, host_key

log = logging.getLogger("handoff.sync.http")

Sleep = Callable[[float], Awaitable[None]]
QueryParams = Mapping[str, str | int | float | bool | None]

# Failures before the request left this machine: the server cannot have applied it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)


class ApiClient:
    """Sends requests to ``base_url`` with ``credentials``; see the module docstring for the outcomes.

    ``sleep`` and ``random`` are injectable so tests see every wait without waiting;
    ``rate_limits`` defaults to the process-wide registry shared by all clients of a host.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        credentials: Credentials,
        *,
        retry: RetryPolicy = DEFAULT_RETRY,
        rate_limits: RateLimits = SHARED_RATE_LIMITS,
        sleep: Sleep = asyncio.sleep,
        random: Callable[[], float] = random_module.random,
    ) -> None:
        self._http = http
        self._base = httpx.URL(base_url.rstrip("/") + "/")
        self._credentials = credentials
        self._retry = retry
        self._limits = rate_limits
        self._sleep = sleep
        self._random = random

    @property
    def base_url(self) -> str:
        """The base URL every relative path is resolved against (with a trailing slash)."""
        return str(self._base)

    @property
    def host(self) -> str:
        """``host`` or ``host:port`` of the base URL, as error messages name it."""
        return _display_host(self._base)

    def is_online(self) -> bool | None:
        """Whether the host answered the last request sent to it (None before any request)."""
        return self._limits.is_online(self._base)

    def url_for(self, path: str) -> httpx.URL:
        """The absolute URL of ``path`` (relative to the base URL, or absolute on the same host).

        An absolute URL on another host is refused: the credentials never leave their host.
        """
        url = httpx.URL(path)
        if url.is_absolute_url:
            if host_key(url) != host_key(self._base):
                raise ValueError(f"refusing to send credentials for {self.host} to {_display_host(url)}")
            return url
        return self._base.join(path.lstrip("/"))

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json: Any = None,
        retry: RetryPolicy | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> httpx.Response:
        """Send one request and return its 2xx response, retrying as ``retry`` allows.

        ``content`` sends raw bytes instead of ``json`` (a file upload), as ``content_type``.
        """
        policy = retry or self._retry
        url = self.url_for(path)
        attempt = _Attempts(policy, method.upper())
        headers = {"Authorization": self._credentials.header}
        if content_type is not None:
            headers["Content-Type"] = content_type
        while True:
            await self._pace(url, attempt)
            try:
                response = await self._http.request(
                    method,
                    url,
                    params=params,
                    json=json,
                    content=content,
                    headers=headers,
                )
            except httpx.TransportError as error:
                failure = self._transport_failure(error, url)
                delay = attempt.after_failure(failure, self._random)
            else:
                self._limits.mark_reachable(url, True)
                self._limits.observe(url, response.headers)
                if response.is_success:
                    return response
                if response.status_code == 429:
                    self._rate_limited(response, url, attempt)
                    continue  # _pace waits out the hold just placed on the host
                if response.status_code < 500:
                    raise _error_for(response, url)
                status = response.status_code
                failure = Retryable(
                    f"{self.host} is having trouble (HTTP {status}); Handoff tries again later.",
                    host=self.host,
                    status=status,
                    may_have_landed=True,
                )
                delay = attempt.after_failure(failure, self._random)
            log.debug("%s %s failed (%s); retrying in %.2f s", method, url.path, failure.status or "", delay)
            await self._sleep(delay)

    async def send_json(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json: Any = None,
        retry: RetryPolicy | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        """Like :meth:`send`, returning the decoded JSON body (not JSON: :class:`BadResponse`)."""
        response = await self.send(
            method, path, params=params, json=json, retry=retry, content=content, content_type=content_type
        )
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as error:
            raise BadResponse(self.host, response.url.path, f"not JSON: {error}") from error

    async def _pace(self, url: httpx.URL, attempt: _Attempts) -> None:
        """Wait for the host's next free slot; a wait beyond the policy's budget raises RateLimited."""
        delay = self._limits.reserve(url)
        if delay <= 0:
            return
        if not attempt.may_wait(delay):
            raise RateLimited(self.host, delay)
        attempt.waited += delay
        log.debug("pacing requests to %s: waiting %.2f s", self.host, delay)
        await self._sleep(delay)

    def _rate_limited(self, response: httpx.Response, url: httpx.URL, attempt: _Attempts) -> None:
        """Hold the host back as the 429 asks; raise RateLimited when this call may not wait that long."""
        told = parse_retry_after(response.headers.get("Retry-After"))
        wait = told if told is not None else backoff_delay(attempt.rate_limited, attempt.policy, self._random)
        self._limits.hold(url, wait)  # every client of the host waits, not only this one
        attempt.rate_limited += 1
        if attempt.rate_limited > attempt.policy.max_rate_limited_tries or not attempt.may_wait(wait):
            raise RateLimited(self.host, wait)
        log.info("%s asked to slow down: waiting %.1f s before sending again", self.host, wait)

    def _transport_failure(self, error: httpx.TransportError, url: httpx.URL) -> SyncHttpError:
        tls_problem = _ssl_error_in(error)
        if tls_problem is not None:
            self._limits.mark_reachable(url, True)  # the host answered; it is just not trusted
            untrusted = isinstance(tls_problem, ssl.SSLCertVerificationError)
            raise TlsFailure(self.host, str(tls_problem), certificate_untrusted=untrusted) from error
        self._limits.mark_reachable(url, False)
        if isinstance(error, _NOT_SENT):
            return Unreachable(self.host, str(error) or type(error).__name__)
        if isinstance(error, httpx.TimeoutException):
            sentence = f"{self.host} did not answer in time; Handoff tries again later."
        else:
            sentence = (
                f"The connection to {self.host} dropped before its answer arrived; Handoff tries again later."
            )
        return Retryable(sentence, host=self.host, may_have_landed=True)


class _Attempts:
    """What one ``send`` has been through so far, and whether it may go on."""

    def __init__(self, policy: RetryPolicy, method: str) -> None:
        self.policy = policy
        self.method = method
        self.failures = 0
        self.rate_limited = 0
        self.waited = 0.0  # seconds spent on 429s and pacing

    def after_failure(self, failure: SyncHttpError, random: Callable[[], float]) -> float:
        """The backoff before the next try, or raises ``failure`` when no retry is allowed."""
        self.failures += 1
        landed = isinstance(failure, Retryable) and failure.may_have_landed
        if landed and not self.policy.retries_ambiguous(self.method):
            raise failure
        if self.failures >= self.policy.max_attempts:
            raise failure
        return backoff_delay(self.failures - 1, self.policy, random)

    def may_wait(self, seconds: float) -> bool:
        """Whether waiting ``seconds`` more for the host (429s, pacing) stays within the policy."""
        return self.waited + seconds <= self.policy.max_rate_limit_wait


def _error_for(response: httpx.Response, url: httpx.URL) -> SyncHttpError:
    """The typed error for a non-2xx, non-429, non-5xx response."""
    host = _display_host(url)
    status = response.status_code
    body = parse_body(response.text)
    message = server_message(body)
    if status in (401, 403):
        return AuthFailed(host, status, message)
    if status == 404:
        return NotFound(host, url.path, message)
    if status == 409:
        return Conflict(host, body, message)
    if 400 <= status < 500:
        return Rejected(host, status, message, body)
    return UnexpectedStatus(host, status)


# Not TLS problems: a connection closed during the handshake, or a read that is still waiting.
_NOT_TLS_PROBLEMS = (
    ssl.SSLEOFError,
    ssl.SSLZeroReturnError,
    ssl.SSLSyscallError,
    ssl.SSLWantReadError,
    ssl.SSLWantWriteError,
)


def _ssl_error_in(error: httpx.TransportError) -> ssl.SSLError | None:
    """The TLS handshake failure behind a connect error (httpx wraps httpcore wraps ssl), if any."""
    if not isinstance(error, httpx.ConnectError):
        return None  # the handshake happens while connecting; later SSL errors are transport noise
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return None if isinstance(current, _NOT_TLS_PROBLEMS) else current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _display_host(url: httpx.URL) -> str:
    return url.host if url.port is None else f"{url.host}:{url.port}"
