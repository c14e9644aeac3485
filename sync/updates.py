"""Fetching the signed release manifest over HTTPS and deciding what it means (see :mod:`core.updates`).

TLS is always verified (the system's and certifi's roots, plus the policy's CA bundle); a few
redirects are followed, never to plain HTTP; each response is read up to a small limit, so a
hostile server cannot make the app download a large body. Every failure becomes an
:class:`core.updates.UpdateFailed` with a short reason; nothing here raises for a bad server.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from core.updates import (
    RELEASE_PUBLIC_KEY,
    UpdateFailed,
    UpdateOffer,
    UpdateOutcome,
    UpdateSource,
    UpdateState,
    evaluate_manifest,
    is_check_due,
    load_state,
    save_state,
)
from core.updates.manifest import current_platform
from sync.http.errors import CaBundleUnreadable
from sync.http.tls import HttpTimeouts, make_client

log = logging.getLogger("handoff.updates")

MAX_MANIFEST_BYTES = 64 * 1024
MAX_SIGNATURE_BYTES = 1024
MAX_REDIRECTS = 3
UPDATE_TIMEOUTS = HttpTimeouts(connect=10.0, read=20.0, write=20.0, pool=10.0)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchFailed(Exception):
    """A response that cannot be used; ``reason`` is what the user reads after "update check failed:"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def fetch_limited(client: httpx.AsyncClient, url: str, limit: int) -> bytes | None:
    """The body at ``url`` (at most ``limit`` bytes), None for a 404; follows up to
    :data:`MAX_REDIRECTS` redirects that stay on HTTPS. Raises :class:`FetchFailed`."""
    for _hop in range(MAX_REDIRECTS + 1):
        _require_secure(url)
        async with client.stream("GET", url) as response:
            if response.status_code in _REDIRECTS and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                continue
            if response.status_code == 404:
                return None
            if response.status_code != 200:
                raise FetchFailed(f"the update server answered {response.status_code}")
            declared = response.headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise FetchFailed(f"the response is larger than {limit} bytes")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > limit:
                    raise FetchFailed(f"the response is larger than {limit} bytes")
            return bytes(body)
    raise FetchFailed(f"more than {MAX_REDIRECTS} redirects")


def _require_secure(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return
    raise FetchFailed(f"refused to fetch {parts.scheme or 'a relative'} URL {url!r} (HTTPS only)")


async def check_for_update(
    source: UpdateSource,
    *,
    current_version: str,
    ca_bundle: Path | None = None,
    public_key: bytes = RELEASE_PUBLIC_KEY,
    platform_key: str | None = None,
) -> UpdateOutcome:
    """Fetch ``source``'s manifest and signature and evaluate them (never raises for a bad server)."""
    try:
        async with make_client(ca_bundle=ca_bundle, timeout=UPDATE_TIMEOUTS) as client:
            manifest = await fetch_limited(client, source.manifest_url, MAX_MANIFEST_BYTES)
            if manifest is None:
                return UpdateFailed("no manifest at the update URL")
            signature = await fetch_limited(client, source.signature_url, MAX_SIGNATURE_BYTES)
    except FetchFailed as error:
        return UpdateFailed(error.reason)
    except CaBundleUnreadable as error:
        return UpdateFailed(f"the CA bundle {error.path} cannot be read")
    except httpx.HTTPError as error:
        return UpdateFailed(f"the update server cannot be reached ({type(error).__name__})")
    return evaluate_manifest(
        manifest,
        signature,
        public_key=public_key,
        current_version=current_version,
        channel=source.channel,
        platform_key=platform_key or current_platform(),
    )


async def check_if_due(
    source: UpdateSource,
    state_path: Path,
    *,
    now: datetime,
    current_version: str,
    ca_bundle: Path | None = None,
    public_key: bytes = RELEASE_PUBLIC_KEY,
    platform_key: str | None = None,
) -> UpdateOutcome | None:
    """Check unless the last check (remembered at ``state_path``) was less than a day ago (None then).

    The attempt is remembered before the fetch: a failing server is asked again tomorrow, not at
    every start. The outcome is logged; a failure as a warning.
    """
    if not is_check_due(load_state(state_path).last_check_at, now):
        return None
    try:
        save_state(state_path, UpdateState(last_check_at=now))
    except OSError as error:
        log.warning("cannot remember the update check in %s: %s", state_path, error)
    outcome = await check_for_update(
        source,
        current_version=current_version,
        ca_bundle=ca_bundle,
        public_key=public_key,
        platform_key=platform_key,
    )
    if isinstance(outcome, UpdateFailed):
        log.warning("%s (%s)", outcome.message(), source.manifest_url)
    elif isinstance(outcome, UpdateOffer):
        log.info("Handoff %s is available on the %s channel", outcome.version, source.channel)
    else:
        log.info("Handoff %s is up to date on the %s channel", current_version, source.channel)
    return outcome
