"""Recognising a secret in a policy document (readable by every user: no secret belongs there)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

_SECRET_NAME = re.compile(
    r"secret|token|passw|passphrase|pwd|api[_-]?key|private[_-]?key|credential|bearer|cookie|session[_-]?id",
    re.IGNORECASE,
)


def looks_like_secret_name(key: str) -> bool:
    """Whether a key named ``key`` would hold a secret (``api_token``, ``password``, ``client_secret``)."""
    return bool(_SECRET_NAME.search(key))


def url_has_credentials(url: str) -> bool:
    """Whether ``url`` carries a user name or password (``https://user:pass@host``)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.username is not None or parts.password is not None


def secret_keys(tree: object, path: str = "") -> Iterator[str]:
    """The path of every key in ``tree`` (nested objects and lists) whose name looks like a secret."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            where = f"{path}.{key}" if path else str(key)
            if looks_like_secret_name(str(key)):
                yield where
            else:
                yield from secret_keys(value, where)
    elif isinstance(tree, list):
        for index, item in enumerate(tree):
            yield from secret_keys(item, f"{path}[{index}]")
