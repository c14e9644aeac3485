"""How a request proves who sends it: HTTP Basic (API token or key) or a Bearer token.

The secret is registered for redaction the moment a :class:`Credentials` exists, and it
never appears in the object's ``repr``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from sync.http.redaction import register_secret


@dataclass(frozen=True)
class Credentials:
    """The ``Authorization`` header value of one connection (build it with a class method)."""

    scheme: str
    value: str = field(repr=False)
    secret: str = field(repr=False)

    def __post_init__(self) -> None:
        register_secret(self.secret)
        register_secret(self.value)

    @classmethod
    def basic(cls, username: str, password: str) -> Credentials:
        """HTTP Basic ``username:password`` (for example an API key with a dummy password)."""
        encoded = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        return cls("Basic", encoded, password)

    @classmethod
    def api_token(cls, email: str, token: str) -> Credentials:
        """HTTP Basic as ``{email}/token:{token}`` (an agent's API token, as Zendesk expects it)."""
        return cls.basic(f"{email}/token", token)

    @classmethod
    def bearer(cls, access_token: str) -> Credentials:
        """``Authorization: Bearer {access_token}`` (an OAuth access token)."""
        return cls("Bearer", access_token, access_token)

    @property
    def header(self) -> str:
        """The full ``Authorization`` header value."""
        return f"{self.scheme} {self.value}"
