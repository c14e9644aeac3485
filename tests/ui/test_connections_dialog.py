"""The connections dialog: add, edit, test and remove a Zendesk connection; the token goes only to
the keychain seam; problems appear next to their fields."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.remote.connections import list_connections
from core.remote.dtos import AuthMethod
from tests.core.remote.builders import add_zendesk
from tests.ui.sync_support import FakeSecrets, FakeSyncSource
from ui.background_io import BackgroundIo
from ui.data_access import DataAccess
from ui.dialogs.connection_mapping import MappingModel
from ui.dialogs.connections_dialog import ConnectionsDialog
from ui.sync_status import ConnectionTestResult

TOKEN = "zd-secret-7f3a9c"


@pytest.fixture
def files() -> Iterator[BackgroundIo]:
    executor = ThreadPoolExecutor(max_workers=1)
    yield BackgroundIo(executor)
    executor.shutdown(wait=True)


@pytest.fixture
def secrets() -> FakeSecrets:
    return FakeSecrets()


@pytest.fixture
def source() -> FakeSyncSource:
    return FakeSyncSource()


def _dialog(
    qtbot: QtBot, data: DataAccess, files: BackgroundIo, source: FakeSyncSource, secrets: FakeSecrets
) -> ConnectionsDialog:
    dialog = ConnectionsDialog(data, files, source=source, secrets=secrets)
    qtbot.addWidget(dialog)
    with qtbot.wait_signal(dialog.loaded):
        dialog.show()
    return dialog


def _fill(
    dialog: ConnectionsDialog, name: str = "Acme Zendesk", url: str = "https://acme.zendesk.com"
) -> None:
    dialog.name_edit.setText(name)
    dialog.url_edit.setText(url)
    dialog.email_edit.setText("priya@acme.example")
    dialog.token_edit.setText(TOKEN)


def test_adding_a_connection_saves_it_and_gives_the_token_only_to_the_keychain(
    qtbot: QtBot,
    data: DataAccess,
    db: DbRunner,
    files: BackgroundIo,
    source: FakeSyncSource,
    secrets: FakeSecrets,
) -> None:
    dialog = _dialog(qtbot, data, files, source, secrets)
    assert dialog.list_model.rowCount() == 0
    assert dialog.mapping_model.rowCount() > 0  # a new connection starts with the default mapping
    _fill(dialog)
    dialog.groups_edit.setText("30, 31")
    dialog.tags_edit.setText("escalation")

    with qtbot.wait_signal(dialog.loaded):
        dialog.save_button.click()

    qtbot.wait_until(lambda: secrets.saved == {"Acme Zendesk": TOKEN})
    qtbot.wait_until(lambda: source.sync_calls == 1)  # signed in anew: sync starts again
    saved = db.read(list_connections).result()
    assert [(c.name, c.base_url, c.account_email) for c in saved] == [
        ("Acme Zendesk", "https://acme.zendesk.com", "priya@acme.example")
    ]
    assert saved[0].scope.group_ids == ("30", "31") and saved[0].scope.tags == ("escalation",)
    assert TOKEN not in repr(saved[0])
    assert Path(db.engine.url.database or "").read_bytes().find(TOKEN.encode()) == -1
    assert dialog.token_edit.text() == ""  # not kept in the window either
    assert dialog.status.text() == "Saved “Acme Zendesk”."
    assert dialog.list_model.rowCount() == 1


def test_problems_are_shown_next_to_their_fields_and_nothing_is_stored(
    qtbot: QtBot,
    data: DataAccess,
    db: DbRunner,
    files: BackgroundIo,
    source: FakeSyncSource,
    secrets: FakeSecrets,
) -> None:
    dialog = _dialog(qtbot, data, files, source, secrets)
    _fill(dialog, name="", url="http://acme.zendesk.com")
    dialog.email_edit.setText("not an address")

    with qtbot.wait_signal(dialog.problems_shown):
        dialog.save_button.click()

    assert dialog.field_problem("name") == "required"
    assert "must start with https://" in dialog.field_problem("url")
    assert "is not an e-mail address" in dialog.field_problem("email")
    assert dialog.field_problem("ca_bundle") == ""
    assert db.read(list_connections).result() == []
    assert secrets.saved == {}
    assert dialog.token_edit.text() == TOKEN  # what was typed stays for the correction


def test_an_oauth_connection_needs_no_email_and_the_mapping_is_editable(
    qtbot: QtBot,
    data: DataAccess,
    db: DbRunner,
    files: BackgroundIo,
    source: FakeSyncSource,
    secrets: FakeSecrets,
) -> None:
    dialog = _dialog(qtbot, data, files, source, secrets)
    _fill(dialog)
    dialog.auth_box.setCurrentIndex(dialog.auth_box.findData(AuthMethod.OAUTH.value))
    assert not dialog.email_edit.isEnabled()
    dialog.email_edit.clear()
    model = dialog.mapping_model
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, MappingModel.HANDOFF).data() == "Awaiting customer"
    )
    assert not model.flags(model.index(row, MappingModel.HANDOFF)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(row, MappingModel.HELPDESK), "hold")
    team = dialog.mapping_model.add_team_row()
    model.setData(team, "identity-and-sso")
    model.setData(team.siblingAtColumn(MappingModel.HELPDESK), "360001")

    with qtbot.wait_signal(dialog.loaded):
        dialog.save_button.click()

    saved = db.read(list_connections).result()[0]
    assert saved.auth_method is AuthMethod.OAUTH and saved.account_email is None
    assert ("awaiting_customer", "hold") in saved.mapping.stage_statuses
    assert saved.mapping.team_groups == (("identity-and-sso", "360001"),)


def test_editing_keeps_the_stored_token_and_a_rename_moves_it(
    qtbot: QtBot,
    data: DataAccess,
    db: DbRunner,
    files: BackgroundIo,
    source: FakeSyncSource,
    secrets: FakeSecrets,
) -> None:
    db.write(add_zendesk).result()
    secrets.saved["Acme Zendesk"] = TOKEN
    dialog = _dialog(qtbot, data, files, source, secrets)
    assert dialog.name_edit.text() == "Acme Zendesk"  # the first connection is shown
    assert dialog.token_edit.text() == ""
    assert "Leave empty to keep" in dialog.token_hint.text()

    dialog.name_edit.setText("Acme Support")
    with qtbot.wait_signal(dialog.loaded):
        dialog.save_button.click()

    qtbot.wait_until(lambda: secrets.saved == {"Acme Support": TOKEN})
    assert [c.name for c in db.read(list_connections).result()] == ["Acme Support"]


def test_test_connection_goes_through_the_sync_source_and_shows_its_sentence(
    qtbot: QtBot, data: DataAccess, files: BackgroundIo, source: FakeSyncSource, secrets: FakeSecrets
) -> None:
    dialog = _dialog(qtbot, data, files, source, secrets)
    _fill(dialog)

    dialog.test_button.click()
    assert dialog.test_result.text() == "Testing the connection…"
    assert not dialog.test_button.isEnabled()
    draft, secret = source.tests[0]
    assert (draft.base_url, draft.account_email, secret) == (
        "https://acme.zendesk.com",
        "priya@acme.example",
        TOKEN,
    )
    with qtbot.wait_signal(dialog.test_finished):
        source.answers[0](ConnectionTestResult(ok=False, message="Zendesk refused the API token (401)."))

    assert dialog.test_result.text() == "Zendesk refused the API token (401)."
    assert dialog.test_button.isEnabled()
    assert secrets.saved == {}  # testing stores nothing


def test_remove_asks_first_then_forgets_the_connection_and_its_token(
    qtbot: QtBot,
    data: DataAccess,
    db: DbRunner,
    files: BackgroundIo,
    source: FakeSyncSource,
    secrets: FakeSecrets,
) -> None:
    db.write(add_zendesk).result()
    secrets.saved["Acme Zendesk"] = TOKEN
    dialog = _dialog(qtbot, data, files, source, secrets)

    box = dialog.confirm_remove()
    assert box is not None and "stay in Handoff" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert len(db.read(list_connections).result()) == 1

    box = dialog.confirm_remove()
    assert box is not None
    remove = next(b for b in box.buttons() if b.text().replace("&", "") == "Remove")
    with qtbot.wait_signal(dialog.removed):
        remove.click()

    qtbot.wait_until(lambda: secrets.deleted == ["Acme Zendesk"])
    assert db.read(list_connections).result() == []
    assert "its cases stay in Handoff" in dialog.status.text()


def test_without_sync_running_test_is_disabled(qtbot: QtBot, data: DataAccess, files: BackgroundIo) -> None:
    dialog = ConnectionsDialog(data, files)
    qtbot.addWidget(dialog)
    assert not dialog.test_button.isEnabled()
    assert "not running" in dialog.test_button.toolTip()


class LockedKeychain(FakeSecrets):
    """A keychain that refuses to store anything."""

    def save(self, name: str, secret: str) -> None:
        raise RuntimeError("Handoff cannot keep your sign-in safe: the keychain is locked.")


def test_a_keychain_that_refuses_the_token_is_said_in_the_dialog(
    qtbot: QtBot, data: DataAccess, files: BackgroundIo, source: FakeSyncSource
) -> None:
    dialog = _dialog(qtbot, data, files, source, LockedKeychain())
    _fill(dialog)

    with qtbot.wait_signal(dialog.problems_shown):
        dialog.save_button.click()

    assert dialog.field_problem("general") == (
        "Token of “Acme Zendesk” not stored: Handoff cannot keep your sign-in safe: the keychain is locked."
    )
    assert source.sync_calls == 0
