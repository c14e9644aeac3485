"""The Settings window: the workspace configuration, validated as it is typed, saved only when valid."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from core.config import default_config, export_config, load_config
from core.db.runner import DbRunner
from ui.background_io import BackgroundIo
from ui.data_access import DataAccess
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def files() -> Iterator[BackgroundIo]:
    executor = ThreadPoolExecutor(max_workers=1)
    yield BackgroundIo(executor)
    executor.shutdown(wait=True)


@pytest.fixture
def dialog(qtbot: QtBot, data: DataAccess, files: BackgroundIo) -> SettingsDialog:
    settings = SettingsDialog(data, files)
    qtbot.addWidget(settings)
    settings.show()
    qtbot.waitUntil(lambda: settings.text != "", timeout=5000)
    return settings


def _save_button(dialog: SettingsDialog) -> object:
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)


def test_opens_on_the_workspace_configuration_as_editable_text(dialog: SettingsDialog) -> None:
    assert dialog.text == export_config(default_config())
    assert dialog.problems() == []
    assert _save_button(dialog).isEnabled()


def test_a_typo_is_listed_with_section_and_field_and_blocks_saving(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    broken = dialog.text.replace("reopen_count = ", 'reopen_count = "two" #', 1)

    dialog.set_text(broken)

    assert any(
        "escalation.complexity" in problem and "reopen_count" in problem for problem in dialog.problems()
    )
    assert not _save_button(dialog).isEnabled()


def test_ctrl_s_saves_a_valid_edit_into_the_workspace(
    qtbot: QtBot, dialog: SettingsDialog, db: DbRunner
) -> None:
    original = default_config()
    first_category = original.root_causes[0].label
    dialog.set_text(dialog.text.replace(first_category, "Flaky upstream provider", 1))

    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    stored = db.read(load_config).result()
    assert stored.root_causes[0].label == "Flaky upstream provider"


def test_importing_a_file_reads_it_off_the_ui_thread_and_validates_it(
    qtbot: QtBot, dialog: SettingsDialog, tmp_path: Path
) -> None:
    file = tmp_path / "team.toml"
    file.write_text(export_config(default_config()).replace("format_version = 1", "format_version = 99"))

    dialog._on_import_file_selected(str(file))

    qtbot.waitUntil(lambda: "format_version = 99" in dialog.text, timeout=5000)
    assert dialog.problems()
    assert not _save_button(dialog).isEnabled()
