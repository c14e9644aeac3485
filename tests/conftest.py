"""Test-wide setup: offscreen Qt, isolated user folders, an in-memory keychain, temp workspaces."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before any QApplication exists: no display here, and never the user's own folders.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_ISOLATED_HOME = Path(tempfile.mkdtemp(prefix="handoff-test-home-"))
atexit.register(shutil.rmtree, _ISOLATED_HOME, ignore_errors=True)  # no folder left behind per run
for _variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_variable] = str(_ISOLATED_HOME / _variable.lower())
os.environ["HOME"] = str(_ISOLATED_HOME)

import keyring  # noqa: E402
import pytest  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402
from sqlalchemy import Engine  # noqa: E402

from core.db.runner import DbRunner  # noqa: E402
from core.workspace import open_workspace  # noqa: E402


class MemoryKeyring(KeyringBackend):
    """A keychain that lives in a dict, so tests never touch the real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test runs against an in-memory keychain."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    """An empty folder for a workspace."""
    return tmp_path / "workspace"


@pytest.fixture
def engine(workspace_dir: Path) -> Iterator[Engine]:
    """A migrated, empty workspace database on a real file."""
    engine, _report = open_workspace(workspace_dir)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[DbRunner]:
    """The DB thread on the temp workspace."""
    runner = DbRunner(engine)
    yield runner
    runner.shutdown()
