"""The connections dialog under an IT policy: a disallowed host or a connection of one's own is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from core.db.runner import DbRunner
from core.policy import DEFAULT_POLICY, Policy, PresetConnection, set_current_policy
from core.remote.connections import list_connections
from tests.ui.sync_support import FakeSecrets, FakeSyncSource
from tests.ui.test_connections_dialog import _dialog, _fill, files, secrets, source  # noqa: F401 - fixtures
from ui.background_io import BackgroundIo
from ui.data_access import DataAccess

PRESET = PresetConnection("zendesk", "Acme Zendesk", "https://acme.zendesk.com", "api_token")


@pytest.fixture
def policy() -> Iterator[None]:
    set_current_policy(
        Policy(
            connections=(PRESET,),
            allowed_hosts=("acme.zendesk.com",),
            locked_settings=frozenset({"connections"}),
        )
    )
    yield
    set_current_policy(DEFAULT_POLICY)


def test_a_host_the_policy_does_not_allow_is_refused_next_to_the_url(
    qtbot: QtBot,
    policy: None,
    data: DataAccess,
    db: DbRunner,
    files: BackgroundIo,  # noqa: F811
    source: FakeSyncSource,  # noqa: F811
    secrets: FakeSecrets,  # noqa: F811
) -> None:
    dialog = _dialog(qtbot, data, files, source, secrets)
    _fill(dialog, url="https://other.zendesk.com")
    with qtbot.wait_signal(dialog.problems_shown):
        dialog.save_button.click()
    assert dialog.field_problem("url") == (
        "Your organization's policy does not allow connections to other.zendesk.com "
        "(allowed hosts: acme.zendesk.com)."
    )
    assert "only its own can be signed in to (Acme Zendesk)" in dialog.field_problem("general")
    assert db.read(list_connections).result() == [] and secrets.saved == {}


def test_the_organizations_own_connection_can_be_signed_in_to(
    qtbot: QtBot,
    policy: None,
    data: DataAccess,
    db: DbRunner,
    files: BackgroundIo,  # noqa: F811
    source: FakeSyncSource,  # noqa: F811
    secrets: FakeSecrets,  # noqa: F811
) -> None:
    dialog = _dialog(qtbot, data, files, source, secrets)
    _fill(dialog)  # "Acme Zendesk" on https://acme.zendesk.com with an API token: the preset
    with qtbot.wait_signal(dialog.loaded):
        dialog.save_button.click()
    qtbot.wait_until(lambda: "Acme Zendesk" in secrets.saved)
    assert [c.name for c in db.read(list_connections).result()] == ["Acme Zendesk"]
