"""A keychain for test subprocesses: secrets in a JSON file named by ``HANDOFF_TEST_KEYRING``.

Only for tests that run ``handoff`` in another process (the in-memory keychain of the test
process cannot reach it); select it with ``PYTHON_KEYRING_BACKEND``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend

VARIABLE = "HANDOFF_TEST_KEYRING"
BACKEND = f"{__name__}.FileKeyring"


class FileKeyring(KeyringBackend):
    """Secrets as ``{"service/user": secret}`` in the file named by ``HANDOFF_TEST_KEYRING``."""

    priority = 1

    def _path(self) -> Path:
        return Path(os.environ[VARIABLE])

    def _load(self) -> dict[str, str]:
        path = self._path()
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        secrets = self._load()
        secrets[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(secrets), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        secrets = self._load()
        secrets.pop(f"{service}/{username}", None)
        self._path().write_text(json.dumps(secrets), encoding="utf-8")
