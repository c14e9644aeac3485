"""The one way to build an HTTP client: TLS always verified, with an optional extra CA bundle.

Verification uses the system's trusted certificates and certifi's, plus the certificates in
an extra PEM bundle a connection may name (a corporate proxy that inspects TLS signs with its
own authority). There is deliberately no way to turn verification off.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

import certifi
import httpx

from sync.http.errors import CaBundleUnreadable

USER_AGENT = "Handoff desktop"


@dataclass(frozen=True)
class HttpTimeouts:
    """Seconds to wait: for a connection, for each read and write, for a free pooled connection."""

    connect: float = 10.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0

    def as_httpx(self) -> httpx.Timeout:
        """The same limits as an :class:`httpx.Timeout`."""
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


def ssl_context(ca_bundle: Path | None = None) -> ssl.SSLContext:
    """A verifying client context: system and certifi roots, plus ``ca_bundle`` when given."""
    context = ssl.create_default_context()  # CERT_REQUIRED, check_hostname, the system's roots
    context.load_verify_locations(cafile=certifi.where())
    if ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=str(ca_bundle))
        except (OSError, ssl.SSLError) as error:
            raise CaBundleUnreadable(str(ca_bundle), error.strerror or str(error)) from error
    return context


def make_client(
    *, ca_bundle: Path | None = None, timeout: HttpTimeouts = HttpTimeouts()
) -> httpx.AsyncClient:
    """An :class:`httpx.AsyncClient` that always verifies certificates (see the module docstring).

    Redirects are not followed: a helpdesk API answering with one is misconfigured, and a
    redirect must never carry credentials to another host.
    """
    return httpx.AsyncClient(
        verify=ssl_context(ca_bundle),
        timeout=timeout.as_httpx(),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    )
