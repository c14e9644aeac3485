"""What the IT policy and update checks add to the window at start.

:class:`PolicyAndUpdates` (built by the app coroutine after the main window):

- shows the policy's problems in a banner (once per start; they are logged by
  :func:`desktop.policy_source.load_app_policy`);
- adds or corrects the policy's preconfigured connections (on the DB thread);
- once the first inbox page is shown, and every few hours while the window stays open, checks
  for a signed update if one is due (at most daily, never when the policy or the user turned
  checks off) and shows the outcome in a non-modal notice. The HTTP part (:mod:`sync.updates`,
  httpx) is imported on a worker thread then, so start-up does not wait for it.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from pathlib import Path

import platformdirs
from PySide6.QtCore import QTimer

from core.db.types import utc_now
from core.policy import LoadedPolicy
from core.policy.preferences import ManagedPreferences, read_preferences
from core.policy.presets import PresetsApplied, apply_preset_connections
from core.updates import UpdateSource, update_source
from desktop.cli import handoff_version
from desktop.paths import APP_NAME
from desktop.policy_source import loaded_app_policy
from ui.data_access import DataAccess
from ui.main_window import MainWindow
from ui.notice_banner import insert_banner
from ui.policy_banner import PolicyBanner
from ui.update_notice import UpdateNotice

log = logging.getLogger("handoff.policy")

# How often an open window asks whether a check is due (the check itself runs at most daily).
RECHECK_INTERVAL_MS = 6 * 60 * 60 * 1000


def update_state_path() -> Path:
    """Where the user's state remembers the last update check (``~/.local/state/Handoff/updates.json``)."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "updates.json"


class PolicyAndUpdates:
    """The policy banner, preset connections and the daily update check of one window."""

    def __init__(
        self,
        window: MainWindow,
        data: DataAccess,
        loaded: LoadedPolicy | None = None,
        *,
        state_path: Path | None = None,
        current_version: str | None = None,
        public_key: bytes | None = None,
    ) -> None:
        self._window = window
        self._data = data
        self._loaded = loaded if loaded is not None else loaded_app_policy()
        self._state_path = state_path or update_state_path()
        self._current_version = current_version or handoff_version()
        self._public_key = public_key
        self._check: asyncio.Task[None] | None = None
        self._recheck = QTimer(window)
        self._recheck.setInterval(RECHECK_INTERVAL_MS)
        self._recheck.timeout.connect(self._consider_check)
        self.update_notice = UpdateNotice()
        self.policy_banner = PolicyBanner()
        insert_banner(window, self.update_notice)
        insert_banner(window, self.policy_banner)
        self.policy_banner.show_problems(
            self._loaded.source.describe(), [str(problem) for problem in self._loaded.problems]
        )
        if self._loaded.policy.connections:
            data.write(apply_preset_connections, self._loaded.policy, on_result=self._on_presets)
        window.inbox_loaded.connect(self._on_first_page)

    @property
    def update_check(self) -> asyncio.Task[None] | None:
        """The running or finished update check (None until the first inbox page, or if none)."""
        return self._check

    @property
    def recheck_timer(self) -> QTimer:
        """The timer that asks again, while the window is open, whether a check is due."""
        return self._recheck

    async def aclose(self) -> None:
        """Cancel an update check still running (it is tried again at the next start)."""
        self._recheck.stop()
        if self._check is not None and not self._check.done():
            self._check.cancel()
            await asyncio.gather(self._check, return_exceptions=True)

    def _on_presets(self, applied: PresetsApplied) -> None:
        self._data.publish(applied.changes)
        for name in applied.added:
            log.info("policy: connection %s added", name)
        for name in applied.updated:
            log.info("policy: connection %s set to the policy's URL and sign-in method", name)
        for reason in applied.skipped:
            log.warning("policy: preconfigured connection not added: %s", reason)

    def _on_first_page(self, _rows: int) -> None:
        self._window.inbox_loaded.disconnect(self._on_first_page)
        self._consider_check()
        self._recheck.start()

    def _consider_check(self) -> None:
        """Read the preferences (Settings may have changed them), then check if a check is due."""
        if self._check is not None and not self._check.done():
            return
        self._data.read(read_preferences, self._loaded.policy, on_result=self._on_preferences)

    def _on_preferences(self, preferences: ManagedPreferences) -> None:
        source = update_source(self._loaded.policy, preferences.values)
        if source is None:
            log.info("update checks are off (policy, preference, or no update URL)")
            return
        self._check = asyncio.ensure_future(self._run_check(source))

    async def _run_check(self, source: UpdateSource) -> None:
        updates = await asyncio.to_thread(importlib.import_module, "sync.updates")
        ca_bundle = self._loaded.policy.ca_bundle
        extra = {} if self._public_key is None else {"public_key": self._public_key}
        outcome = await updates.check_if_due(
            source,
            self._state_path,
            now=utc_now(),
            current_version=self._current_version,
            ca_bundle=Path(ca_bundle) if ca_bundle else None,
            **extra,
        )
        self.update_notice.show_outcome(outcome)
