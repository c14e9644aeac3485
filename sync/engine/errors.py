"""The engine's own failures (the HTTP layer's are in :mod:`sync.http.errors`)."""

from __future__ import annotations


class ConnectorUnavailable(Exception):
    """A connector factory cannot build the connection's connector (for example a helpdesk kind
    this version does not support); ``user_message`` is the sentence the status area shows."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class SignInRequired(ConnectorUnavailable):
    """The connection has no usable secret in the keychain: the user signs in again."""


class NoSuchConnection(LookupError):
    """``run_once(connection_name=...)`` named a connection the workspace does not have."""

    def __init__(self, name: str, known: list[str]) -> None:
        listed = ", ".join(known) if known else "none yet; add one with 'handoff connect'"
        super().__init__(f"There is no connection called {name!r} (connections: {listed}).")
        self.name = name
