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
from tests.core.config.organisation_builders import seed_organisation
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


@pytest.fixture
def organised_dialog(qtbot: QtBot, db: DbRunner, data: DataAccess, files: BackgroundIo) -> SettingsDialog:
    """The Settings window over a workspace with product areas, teams, people and a case."""
    db.write(seed_organisation).result()
    settings = SettingsDialog(data, files)
    qtbot.addWidget(settings)
    settings.show()
    qtbot.waitUntil(lambda: settings.text != "", timeout=5000)
    return settings


def test_teams_and_people_are_edited_in_the_same_file(
    qtbot: QtBot, organised_dialog: SettingsDialog, db: DbRunner
) -> None:
    assert '[[organisation.teams]]\nkey = "sso-t2"' in organised_dialog.text
    text = organised_dialog.text.replace(
        'skills = ["area:sso=8", "lang:de=7"]', 'skills = ["area:sso=8", "lang:de=9"]'
    )
    organised_dialog.set_text(text.replace('presence = "available"', 'presence = "away"', 1))

    with qtbot.waitSignal(organised_dialog.saved, timeout=5000):
        qtbot.keyClick(organised_dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    people = {person.name: person for person in db.read(load_config).result().organisation.people}
    assert people["Priya Raman"].skills == ("area:sso=8", "lang:de=9")
    assert people["Nils Nameless"].presence == "away"


def test_a_mistyped_skill_is_listed_while_typing(organised_dialog: SettingsDialog) -> None:
    organised_dialog.set_text(organised_dialog.text.replace('"lang:de=7"', '"lang:de=12"'))

    assert organised_dialog.problems() == [
        "[organisation.people[4]] skills[2]: 'lang:de=12': the level must be from 0 to 10, not 12"
    ]
    assert not _save_button(organised_dialog).isEnabled()


def test_problems_only_the_workspace_can_find_are_listed_on_save_and_nothing_is_stored(
    qtbot: QtBot, organised_dialog: SettingsDialog, db: DbRunner
) -> None:
    before = db.read(load_config).result()
    organised_dialog.set_text(
        organised_dialog.text.replace('product_area = "billing"', 'product_area = "payroll"').replace(
            "capacity = 8", "capacity = 5"
        )
    )
    assert organised_dialog.problems() == []

    qtbot.keyClick(organised_dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: organised_dialog.problems() != [], timeout=5000)
    assert organised_dialog.problems() == [
        "[organisation.teams[2]] product_area: team 'billing-t2': 'payroll' is not a product area of "
        "this workspace; known areas: billing, sso"
    ]
    assert _save_button(organised_dialog).isEnabled()
    assert db.read(load_config).result() == before
