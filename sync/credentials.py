"""Connection secrets (API tokens, OAuth tokens) live only in the OS keychain, through ``keyring``.

Secrets are stored under the service :data:`SERVICE` with the connection's name as the
user name. When the only keyring backend available cannot keep a secret safely (keyring's
failing or discarding backends, or any ``keyrings.alt`` backend, which write files), every
call raises :class:`CredentialStoreUnavailable`: Handoff never falls back to a plaintext file.
A secret read or stored here is registered for log redaction (for the life of the process).
"""

from __future__ import annotations

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from sync.http.redaction import register_secret

SERVICE = "handoff"

# Backends that cannot store a secret, or store it in a file next to the user's data.
_REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")
_ADVICE = (
    "Install and unlock the system keychain (Keychain on macOS, Credential Manager on Windows, "
    "a Secret Service such as GNOME Keyring or KWallet on Linux), then try again."
)


class CredentialStoreUnavailable(Exception):
    """No usable OS keychain: the secret cannot be stored or read. ``user_message`` says what to do."""

    def __init__(self, problem: str) -> None:
        self.user_message = f"Handoff cannot keep your sign-in safe: {problem}. {_ADVICE}"
        super().__init__(self.user_message)


def keychain_problem(backend: KeyringBackend) -> str | None:
    """Why ``backend`` must not hold Handoff's secrets, or None when it is a real keychain."""
    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    if name.startswith(_REFUSED_MODULES):
        if "keyrings.alt" in name:
            return f"the keyring backend {name} would store secrets in a file"
        return f"the keyring backend {name} cannot store secrets"
    chained = getattr(backend, "backends", None)
    if isinstance(chained, list):
        if not chained:
            return "no keychain backend is available"
        for inner in chained:
            problem = keychain_problem(inner)
            if problem is not None:
                return problem
    return None


def store_secret(connection_name: str, secret: str) -> None:
    """Keep ``secret`` for ``connection_name`` in the OS keychain (replacing any earlier one)."""
    backend = _usable_backend()
    register_secret(secret)
    try:
        backend.set_password(SERVICE, connection_name, secret)
    except keyring.errors.KeyringError as error:
        raise CredentialStoreUnavailable(f"the keychain refused to store it ({error})") from error


def load_secret(connection_name: str) -> str | None:
    """The secret stored for ``connection_name``, or None when there is none."""
    backend = _usable_backend()
    try:
        secret = backend.get_password(SERVICE, connection_name)
    except keyring.errors.KeyringError as error:
        raise CredentialStoreUnavailable(f"the keychain could not be read ({error})") from error
    if secret is not None:
        register_secret(secret)
    return secret


def delete_secret(connection_name: str) -> None:
    """Remove the secret of ``connection_name`` from the keychain; nothing happens when there is none."""
    backend = _usable_backend()
    try:
        if backend.get_password(SERVICE, connection_name) is not None:
            backend.delete_password(SERVICE, connection_name)
    except keyring.errors.PasswordDeleteError:
        return  # gone in the meantime
    except keyring.errors.KeyringError as error:
        raise CredentialStoreUnavailable(f"the keychain could not remove it ({error})") from error


def _usable_backend() -> KeyringBackend:
    try:
        backend = keyring.get_keyring()
    except Exception as error:  # a broken keyring configuration raises anything
        raise CredentialStoreUnavailable(f"the keychain could not be opened ({error})") from error
    problem = keychain_problem(backend)
    if problem is not None:
        raise CredentialStoreUnavailable(problem)
    return backend
