"""Settings under an IT policy: locked settings disabled with "Managed by your organization"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QSpinBox
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.policy import Feature, IntervalBounds, Policy, SettingKey, UpdatePolicy
from core.policy.preferences import read_preferences
from ui.background_io import BackgroundIo
from ui.data_access import DataAccess
from ui.settings_dialog import SettingsDialog

MANAGED = "Managed by your organization"
POLICY = Policy(
    sync_interval=IntervalBounds(5, 60, 10),
    disabled_features=frozenset({Feature.SLA_NOTIFICATIONS}),
    updates=UpdatePolicy("beta"),
    locked_settings=frozenset({"sync.interval_minutes", "updates.channel", "config.routing"}),
)


@pytest.fixture
def files() -> Iterator[BackgroundIo]:
    executor = ThreadPoolExecutor(max_workers=1)
    yield BackgroundIo(executor)
    executor.shutdown(wait=True)


def open_dialog(qtbot: QtBot, data: DataAccess, files: BackgroundIo, policy: Policy) -> SettingsDialog:
    dialog = SettingsDialog(data, files, policy=policy)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.text != "" and dialog.preferences_panel.isEnabled(), timeout=5000)
    return dialog


def test_locked_settings_are_disabled_and_say_who_manages_them(
    qtbot: QtBot, data: DataAccess, files: BackgroundIo, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, data, files, POLICY)
    panel = dialog.preferences_panel
    interval = panel.control(SettingKey.SYNC_INTERVAL)
    popups = panel.control(SettingKey.SLA_NOTIFICATIONS)
    channel = panel.control(SettingKey.UPDATE_CHANNEL)
    checks = panel.control(SettingKey.UPDATE_CHECKS)
    assert isinstance(interval, QSpinBox) and isinstance(popups, QCheckBox) and isinstance(channel, QComboBox)
    for key, control in ((SettingKey.SYNC_INTERVAL, interval), (SettingKey.SLA_NOTIFICATIONS, popups)):
        assert not control.isEnabled()
        assert control.toolTip() == MANAGED
        assert panel.managed_label(key).isVisible() and panel.managed_label(key).text() == MANAGED
    assert not channel.isEnabled() and channel.currentData() == "beta"
    assert interval.value() == 10 and not popups.isChecked()
    assert checks.isEnabled() and checks.toolTip() == ""
    assert not panel.managed_label(SettingKey.UPDATE_CHECKS).isVisible()
    assert dialog.locked_sections_text() == (
        f"{MANAGED}: [routing]. Changes to these sections cannot be saved."
    )
    shot = Path(os.environ.get("HANDOFF_SCREENSHOT_DIR", tmp_path)) / "settings-managed.png"
    assert dialog.grab().save(str(shot))
    assert QImage(str(shot)).width() > 0


def test_without_a_policy_nothing_is_managed(qtbot: QtBot, data: DataAccess, files: BackgroundIo) -> None:
    dialog = open_dialog(qtbot, data, files, Policy())
    panel = dialog.preferences_panel
    for key in (SettingKey.SYNC_INTERVAL, SettingKey.SLA_NOTIFICATIONS, SettingKey.UPDATE_CHANNEL):
        assert panel.control(key).isEnabled()
        assert not panel.managed_label(key).isVisible()
    assert dialog.locked_sections_text() == ""


def test_a_change_to_a_locked_section_is_listed_and_blocks_saving(
    qtbot: QtBot, data: DataAccess, files: BackgroundIo
) -> None:
    dialog = open_dialog(qtbot, data, files, POLICY)
    assert dialog.problems() == []
    dialog.set_text(dialog.text.replace("default_capacity = 6", "default_capacity = 9", 1))
    assert dialog.problems() == [f"[routing]: {MANAGED.lower()}; your changes to it cannot be saved"]
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()


def test_saving_stores_the_unlocked_preferences_with_the_configuration(
    qtbot: QtBot, data: DataAccess, files: BackgroundIo, db: DbRunner
) -> None:
    dialog = open_dialog(qtbot, data, files, POLICY)
    checks = dialog.preferences_panel.control(SettingKey.UPDATE_CHECKS)
    assert isinstance(checks, QCheckBox)
    checks.setChecked(False)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()
    stored = db.read(read_preferences, POLICY).result(timeout=5)
    assert stored.values.update_checks is False
    assert stored.values.sync_interval_minutes == 10
