"""The sync status area and the offline banner, driven by a fake status source (the desktop's seam)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from core.remote.dtos import ConnectionStatus
from core.remote.status import ConnectionSyncStatus, SyncStatus
from tests.core.remote.builders import T0
from tests.ui.conftest import Sample
from tests.ui.sync_support import FakeSecrets, FakeSyncSource
from ui.data_access import DataAccess
from ui.dialogs.connections_dialog import ConnectionsDialog
from ui.main_window import MainWindow
from ui.outbox_view import OutboxView
from ui.sync_status import POLL_INTERVAL_MS, SyncStatusArea


def _status(state: ConnectionStatus, *, pending: int = 0, failed: int = 0, conflict: int = 0) -> SyncStatus:
    connection = ConnectionSyncStatus(
        connection_id=1,
        name="Acme Zendesk",
        kind="zendesk",
        state=state,
        message="Zendesk cannot be reached" if state is ConnectionStatus.OFFLINE else None,
        last_synced_at=T0 - timedelta(minutes=2),
    )
    return SyncStatus(connections=(connection,), pending=pending, failed=failed, conflict=conflict)


def _area(qtbot: QtBot, source: FakeSyncSource) -> SyncStatusArea:
    area = SyncStatusArea(now=lambda: T0)
    qtbot.addWidget(area)
    qtbot.addWidget(area.banner)
    area.set_source(source)
    area.show()
    return area


def test_connected_shows_when_it_last_synced_and_no_counts(qtbot: QtBot) -> None:
    area = _area(qtbot, FakeSyncSource(_status(ConnectionStatus.CONNECTED)))

    assert area.state_label.text() == "Connected · synced 2 min ago"
    assert "Acme Zendesk: connected" in area.state_label.toolTip()
    assert not area.waiting_button.isVisible() and not area.failed_button.isVisible()
    assert area.sync_button.isVisible()
    assert area.banner.isHidden()


def test_offline_shows_the_waiting_count_and_the_banner(qtbot: QtBot) -> None:
    area = _area(qtbot, FakeSyncSource(_status(ConnectionStatus.OFFLINE, pending=3)))

    assert area.state_label.text() == "Offline"
    assert area.waiting_button.isVisible() and area.waiting_button.text() == "3 waiting"
    assert not area.banner.isHidden()
    assert area.banner.text.startswith("Offline: the helpdesk cannot be reached.")
    assert "3 changes wait to be sent" in area.banner.text
    assert area.banner.sign_in_button.isHidden()


def test_the_area_follows_the_source_every_second(qtbot: QtBot) -> None:
    source = FakeSyncSource(_status(ConnectionStatus.OFFLINE, pending=1))
    area = _area(qtbot, source)
    assert "1 change waits" in area.banner.text

    source.snapshot = _status(ConnectionStatus.CONNECTED, failed=1, conflict=2)
    qtbot.wait_until(lambda: area.state_label.text().startswith("Connected"), timeout=3 * POLL_INTERVAL_MS)

    assert area.banner.isHidden()  # back online: the banner goes
    assert area.failed_button.text() == "1 failed" and area.conflict_button.text() == "2 conflicts"
    assert not area.waiting_button.isVisible()


def test_counts_open_the_outbox_filtered_and_sync_now_asks_the_engine(qtbot: QtBot) -> None:
    source = FakeSyncSource(_status(ConnectionStatus.CONNECTED, pending=2, failed=1, conflict=1))
    area = _area(qtbot, source)

    asked: list[str] = []
    area.outbox_requested.connect(asked.append)
    area.waiting_button.click()
    area.failed_button.click()
    area.conflict_button.click()
    area.banner.outbox_button.click()
    assert asked == ["waiting", "failed", "conflict", "all"]
    assert area.conflict_button.text() == "1 conflict"

    area.sync_button.click()
    assert source.sync_calls == 1
    assert area.state_label.text() == "Syncing…"


def test_sign_in_needed_is_a_button_to_the_connections(qtbot: QtBot) -> None:
    area = _area(qtbot, FakeSyncSource(_status(ConnectionStatus.SIGN_IN_NEEDED, pending=4)))

    assert area.sign_in_button.isVisible() and area.sign_in_button.text() == "Sign in needed"
    assert not area.state_label.isVisible()
    assert "sign in again" in area.banner.text and not area.banner.sign_in_button.isHidden()
    with qtbot.wait_signal(area.connections_requested):
        area.sign_in_button.click()
    with qtbot.wait_signal(area.connections_requested):
        area.banner.sign_in_button.click()


def test_without_a_source_or_connection_it_says_so_and_offers_no_sync(qtbot: QtBot) -> None:
    area = _area(qtbot, FakeSyncSource())

    assert area.state_label.text() == "Not connected to a helpdesk"
    assert not area.sync_button.isVisible()
    area.set_source(None)
    assert area.state_label.text() == "Not connected to a helpdesk"


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: bringing forward is a no-op
def test_the_main_window_shows_the_area_and_opens_the_outbox_and_connections(
    qtbot: QtBot, data: DataAccess, sample: Sample
) -> None:
    window = MainWindow(data, workspace_label="acme-support")
    qtbot.addWidget(window)
    with qtbot.wait_signal(window.inbox_loaded, timeout=5000):
        window.resize(1200, 800)
        window.show()
    window.set_sync(FakeSyncSource(_status(ConnectionStatus.OFFLINE, pending=2)), FakeSecrets())

    area = window.sync.area
    assert area.isVisible() and area.state_label.text() == "Offline"
    assert window.sync.banner.isVisible()  # at the top of the window
    assert window.action_registry.action("view.outbox").shortcut().toString() == "Ctrl+Shift+O"
    menus = {menu.title().replace("&", ""): menu for menu in window.menuBar().findChildren(QMenu)}
    assert "Helpdesk Connections…" in [a.text().replace("&", "") for a in menus["File"].actions()]
    assert "Outbox" in [a.text().replace("&", "") for a in menus["View"].actions()]

    window.action_registry.action("view.outbox").trigger()
    outbox = window.findChild(OutboxView)
    assert outbox is not None and outbox.isVisible()
    area.failed_button.click()
    assert window.findChildren(OutboxView) == [outbox]  # one Outbox, brought forward, filtered
    assert outbox.filter_box.currentText() == "Failed"

    window.action_registry.action("app.connections").trigger()
    connections = window.findChild(ConnectionsDialog)
    assert connections is not None and connections.isVisible()
    assert connections.test_button.isEnabled()  # the window's sync source tests connections
