"""Building the connector of a saved connection: its secret from the keychain, verified TLS.

:func:`connector_for` is what the sync engine is given (it runs on a helper thread, since
reading the keychain may block); :func:`build_connector` serves "Test connection" and
``handoff connect``, whose secret is not stored yet.
"""

from __future__ import annotations

from collections.abc import Callable

from core.remote.dtos import AuthMethod, Connection
from sync.connectors.base import Connector
from sync.connectors.zendesk import ZendeskConnector
from sync.credentials import load_secret
from sync.engine.errors import ConnectorUnavailable, SignInRequired
from sync.http import DEFAULT_RETRY, SHARED_RATE_LIMITS, Credentials, RateLimits, RetryPolicy


def credentials_for(connection: Connection, secret: str) -> Credentials:
    """The ``Authorization`` of ``connection`` with ``secret`` (an API token or an OAuth token)."""
    if connection.auth_method == AuthMethod.OAUTH:
        return Credentials.bearer(secret)
    if not connection.account_email:
        raise SignInRequired(f"The connection {connection.name!r} has no e-mail address for its API token.")
    return Credentials.api_token(connection.account_email, secret)


def build_connector(
    connection: Connection,
    credentials: Credentials,
    *,
    retry: RetryPolicy = DEFAULT_RETRY,
    rate_limits: RateLimits = SHARED_RATE_LIMITS,
) -> Connector:
    """The connector of ``connection``'s helpdesk, signing in with ``credentials``."""
    if connection.kind == ZendeskConnector.kind:
        return ZendeskConnector(connection, credentials, retry=retry, rate_limits=rate_limits)
    raise ConnectorUnavailable(f"This version of Handoff cannot sync with {connection.kind!r} yet.")


def connector_for(
    connection: Connection,
    *,
    retry: RetryPolicy = DEFAULT_RETRY,
    rate_limits: RateLimits = SHARED_RATE_LIMITS,
) -> Connector:
    """The connector of a saved connection, with its secret from the OS keychain.

    Raises :class:`SignInRequired` when no secret is stored, and
    :class:`~sync.credentials.CredentialStoreUnavailable` when the keychain cannot be used.
    """
    secret = load_secret(connection.name)
    if not secret:
        raise SignInRequired(
            f"No sign-in is stored for the connection {connection.name!r}. Sign in again to sync it."
        )
    credentials = credentials_for(connection, secret)
    return build_connector(connection, credentials, retry=retry, rate_limits=rate_limits)


def connector_factory(
    *, retry: RetryPolicy = DEFAULT_RETRY, rate_limits: RateLimits = SHARED_RATE_LIMITS
) -> Callable[[Connection], Connector]:
    """:func:`connector_for` with these options, as the engine's ``connector_for``."""

    def build(connection: Connection) -> Connector:
        return connector_for(connection, retry=retry, rate_limits=rate_limits)

    return build
