"""The one place HTTP happens: verified TLS, pacing per host, retries, typed errors, redaction.

Vendor-neutral: connectors build an :class:`ApiClient` for their base URL and credentials
and translate its typed errors into what the sync engine does next.
"""

from __future__ import annotations

from sync.http.auth import Credentials
from sync.http.backoff import DEFAULT_RETRY, NO_RETRY, RetryPolicy, backoff_delay, parse_retry_after
from sync.http.client import ApiClient
from sync.http.errors import (
    AuthFailed,
    BadResponse,
    CaBundleUnreadable,
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
from sync.http.messages import server_message
from sync.http.ratelimit import SHARED_RATE_LIMITS, RateLimits, host_key, is_online
from sync.http.redaction import RedactionFilter, install_redaction, redact_text, register_secret
from sync.http.tls import HttpTimeouts, make_client, ssl_context

__all__ = [
    "DEFAULT_RETRY",
    "NO_RETRY",
    "SHARED_RATE_LIMITS",
    "ApiClient",
    "AuthFailed",
    "BadResponse",
    "CaBundleUnreadable",
    "Conflict",
    "Credentials",
    "HttpTimeouts",
    "NotFound",
    "RateLimited",
    "RateLimits",
    "RedactionFilter",
    "Rejected",
    "RetryPolicy",
    "Retryable",
    "SyncHttpError",
    "TlsFailure",
    "UnexpectedStatus",
    "Unreachable",
    "backoff_delay",
    "host_key",
    "install_redaction",
    "is_online",
    "make_client",
    "parse_retry_after",
    "redact_text",
    "register_secret",
    "server_message",
    "ssl_context",
]
