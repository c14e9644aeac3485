"""Reading the IT policy at start: the file or, on Windows, the registry through ``QSettings``.

The policy is read once per process (:func:`load_app_policy`), its problems are logged, and it
becomes :func:`core.policy.current_policy` for every part of the app.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from core.policy import LoadedPolicy, load_policy, set_current_policy

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

log = logging.getLogger("handoff.policy")

_loaded: LoadedPolicy | None = None

REGISTRY_PATH = r"HKEY_LOCAL_MACHINE\Software\Policies\Handoff"


def read_registry_policy(
    location: str = REGISTRY_PATH, settings_format: QSettings.Format | None = None
) -> Mapping[str, object] | None:
    """The values under ``HKLM\\Software\\Policies\\Handoff`` (None when the key does not exist).

    On Windows ``QSettings(NativeFormat)`` reads the registry; that cannot run on the Linux
    machines this is developed on. Tests read an INI file through the same code instead
    (``settings_format=IniFormat``), and the conversion of the values is unit-tested through
    :func:`core.policy.loader.tree_from_registry`.
    """
    from PySide6.QtCore import QSettings

    native = QSettings.Format.NativeFormat
    settings = QSettings(location, settings_format if settings_format is not None else native)
    keys = settings.childKeys()
    if not keys:
        return None
    return {key: settings.value(key) for key in keys}


def read_policy() -> LoadedPolicy:
    """The policy in effect on this machine (``HANDOFF_POLICY_FILE`` first), without side effects."""
    return load_policy(read_registry=read_registry_policy if sys.platform.startswith("win") else None)


def load_app_policy() -> LoadedPolicy:
    """Read the policy, log where it came from and each problem, and make it the current policy."""
    loaded = read_policy()
    if loaded.problems:
        log.warning(
            "the policy %s has %d problem(s); safe defaults are used for them",
            loaded.source.describe(),
            len(loaded.problems),
        )
        for problem in loaded.problems:
            log.warning("policy problem: %s", problem)
    elif loaded.source.location is not None:
        log.info("policy read from %s", loaded.source.describe())
    set_current_policy(loaded.policy)
    global _loaded
    _loaded = loaded
    return loaded


def forget_loaded_policy() -> None:
    """Read the policy again at the next :func:`loaded_app_policy` (tests that change it)."""
    global _loaded
    _loaded = None


def loaded_app_policy() -> LoadedPolicy:
    """The policy :func:`load_app_policy` read at start (read now if it has not been)."""
    return _loaded if _loaded is not None else load_app_policy()
