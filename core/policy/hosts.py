"""Which helpdesk hosts a connection may reach under the policy (checked on save and at sync start)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from core.policy.model import Feature, Policy
from core.policy.runtime import current_policy
from core.policy.settings_keys import SettingKey
from core.policy.validation import LOOPBACK_HOSTS, host_matches


class HostNotAllowed(ValueError):
    """A connection to a host the organisation's policy does not allow."""

    def __init__(self, url: str, allowed: tuple[str, ...]) -> None:
        self.url = url
        self.allowed = allowed
        names = ", ".join(allowed) if allowed else "none"
        super().__init__(
            f"Your organization's policy does not allow connections to {urlsplit(url).hostname or url} "
            f"(allowed hosts: {names})."
        )


class HasBaseUrl(Protocol):
    """Anything with a helpdesk URL: a saved connection or a draft."""

    @property
    def base_url(self) -> str: ...


T = TypeVar("T", bound=HasBaseUrl)

log = logging.getLogger("handoff.policy")


def host_allowed(policy: Policy, url: str) -> bool:
    """Whether ``url``'s host may be reached (always, without ``allowed_hosts``).

    127.0.0.1 and localhost (the demo's sandbox helpdesk) stay allowed while the demo feature is.
    """
    if policy.allowed_hosts is None:
        return True
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return False
    if host in LOOPBACK_HOSTS and policy.feature_enabled(Feature.DEMO):
        return True
    return host_matches(host, policy.allowed_hosts)


def check_connection_host(policy: Policy, url: str) -> None:
    """Raise :class:`HostNotAllowed` unless ``url``'s host is allowed (see :func:`host_allowed`)."""
    if not host_allowed(policy, url):
        raise HostNotAllowed(url, policy.allowed_hosts or ())


def refused_connections(policy: Policy, connections: Iterable[T]) -> list[T]:
    """The ``connections`` whose host the policy does not allow (sync skips them)."""
    return [connection for connection in connections if not host_allowed(policy, connection.base_url)]


def connection_policy_problems(base_url: str, policy: Policy | None = None) -> list[str]:
    """What keeps a connection to ``base_url`` from being saved under the policy, worded as
    :func:`core.remote.connections.save_connection` words its problems ("URL: …").

    Hook (one line in ``save_connection``'s problem list): ``*connection_policy_problems(base_url)``.
    """
    policy = policy if policy is not None else current_policy()
    if base_url and not host_allowed(policy, base_url):
        return [f"URL: {HostNotAllowed(base_url, policy.allowed_hosts or ())}"]
    return []


class ConnectionFields(Protocol):
    """What a user asks to save: a connection draft (``core.remote.connections.ConnectionDraft``)."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def base_url(self) -> str: ...

    @property
    def auth_method(self) -> str: ...


def user_connection_problems(draft: ConnectionFields, policy: Policy | None = None) -> list[str]:
    """Why a user may not save ``draft`` under the policy (the host, or locked connections), worded
    like ``save_connection``'s problems. With ``connections`` locked, only the policy's own
    connections can be saved, as the policy sets them (the user still signs in, scope and mapping)."""
    policy = policy if policy is not None else current_policy()
    problems = connection_policy_problems(draft.base_url, policy)
    if policy.is_locked(SettingKey.CONNECTIONS.value) and not _is_preset(draft, policy):
        names = ", ".join(preset.name for preset in policy.connections) or "none"
        problems.append(
            "Connection: helpdesk connections are managed by your organization; "
            f"only its own can be signed in to ({names})"
        )
    return problems


def _is_preset(draft: ConnectionFields, policy: Policy) -> bool:
    return any(
        preset.name == draft.name.strip()
        and preset.kind == draft.kind
        and preset.url == draft.base_url.strip().rstrip("/")
        and preset.auth_method == str(draft.auth_method)
        for preset in policy.connections
    )


def permitted_connections(connections: Iterable[T], policy: Policy | None = None) -> list[T]:
    """``connections`` without those the policy refuses (each refusal logged); for the start of a sync.

    Hook (where the sync engine lists the connections to run): ``every = permitted_connections(every)``.
    """
    policy = policy if policy is not None else current_policy()
    kept = []
    for connection in connections:
        if host_allowed(policy, connection.base_url):
            kept.append(connection)
        else:
            log.warning("sync skipped: %s", HostNotAllowed(connection.base_url, policy.allowed_hosts or ()))
    return kept
