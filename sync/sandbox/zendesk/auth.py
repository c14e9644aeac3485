"""Who is calling: Basic ``email/token:TOKEN`` or ``Bearer TOKEN``, as Zendesk accepts them."""

from __future__ import annotations

import base64
import binascii

from sync.sandbox.zendesk import errors
from sync.sandbox.zendesk.model import User
from sync.sandbox.zendesk.store import ZendeskStore

_TOKEN_SUFFIX = "/token"


def authenticate(store: ZendeskStore, authorization: str | None) -> User:
    """The user the ``Authorization`` header names; raises the 401 Zendesk sends otherwise.

    A password (``email:password``) is refused: the sandbox only takes API tokens.
    """
    if not authorization:
        raise errors.not_authenticated()
    scheme, _, credentials = authorization.strip().partition(" ")
    user: User | None = None
    if scheme.lower() == "bearer":
        user = store.user_for_bearer_token(credentials.strip())
    elif scheme.lower() == "basic":
        user = _basic_user(store, credentials.strip())
    if user is None:
        raise errors.not_authenticated()
    return user


def require_agent(user: User) -> None:
    """403 for an end-user: only agents and admins may use the agent API."""
    if user.role == "end-user":
        raise errors.forbidden()


def _basic_user(store: ZendeskStore, credentials: str) -> User | None:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, _, token = decoded.partition(":")
    if not username.endswith(_TOKEN_SUFFIX):
        return None
    return store.user_for_api_token(username[: -len(_TOKEN_SUFFIX)], token)
