"""Building the connector of a saved connection: its secret from the keychain, verified TLS.

:func:`connector_for` is what the sync engine is given (it runs on a helper thread, since
reading the keychain may block); :func:`build_connector` serves "Test connection" and
``handoff connect``, whose secret is not stored yet.
"""

from __future__ import annotations

from collections.abc import Callable

from core.remote.connections import ConnectionDraft, default_mapping
from core.remote.dtos import AuthMethod, Connection, ConnectionStatus
from sync.connectors.base import AccountCheck, Connector
from sync.connectors.zendesk import ZendeskConnector
from sync.credentials import load_secret
from sync.engine.errors import ConnectorUnavailable, SignInRequired
from sync.http import (
    DEFAULT_RETRY,
    NO_RETRY,
    SHARED_RATE_LIMITS,
    AuthFailed,
    Credentials,
    RateLimits,
    RetryPolicy,
    SyncHttpError,
)


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


def draft_connection(draft: ConnectionDraft, connection_id: int = 0) -> Connection:
    """The connection ``draft`` describes, before it is saved (for "Test connection")."""
    return Connection(
        id=connection_id,
        name=draft.name,
        kind=draft.kind,
        base_url=draft.base_url,
        auth_method=draft.auth_method,
        account_email=draft.account_email,
        ca_bundle=draft.ca_bundle,
        scope=draft.scope,
        mapping=draft.mapping if draft.mapping is not None else default_mapping(draft.kind),
        enabled=draft.enabled,
        status=ConnectionStatus.NEVER_SYNCED,
        status_message=None,
        last_synced_at=None,
    )


async def check_sign_in(connection: Connection, secret: str) -> AccountCheck:
    """ "Test connection": who ``secret`` signs in as on ``connection``'s helpdesk (``users/me``).

    One try, no waiting for a busy host. Raises the HTTP layer's errors (``AuthFailed``,
    ``Unreachable``, ``TlsFailure``, ``CaBundleUnreadable``...) or :class:`ConnectorUnavailable`;
    :func:`sign_in_problem` turns them, and an account that is not an agent, into a sentence.
    """
    connector = build_connector(
        connection, credentials_for(connection, secret), retry=NO_RETRY, rate_limits=RateLimits()
    )
    try:
        return await connector.check()
    finally:
        await connector.aclose()


def sign_in_problem(outcome: AccountCheck | BaseException, connection: Connection) -> str | None:
    """What is wrong with a "Test connection" outcome, for the user; None when it signed in as an
    agent. Raises ``outcome`` again when it is not a failure the user can act on (a bug)."""
    if isinstance(outcome, AccountCheck):
        if outcome.is_agent:
            return None
        return (
            f"{outcome.user_name} is not an agent on {connection.base_url}; Handoff needs an agent's "
            "token to work tickets."
        )
    if isinstance(outcome, AuthFailed):
        return f"Bad credentials: {outcome.user_message}"
    if isinstance(outcome, SyncHttpError | ConnectorUnavailable):
        return outcome.user_message
    raise outcome
