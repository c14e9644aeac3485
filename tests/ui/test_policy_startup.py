"""The window at start under a policy: the problem banner, preset connections, and a verified update offer.

The update check runs on the qasync loop against a plain-HTTP server on 127.0.0.1 serving a
manifest signed with a throwaway key (the test hands its public half in place of the built-in one).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from core.db.runner import DbRunner
from core.policy import (
    Feature,
    LoadedPolicy,
    Policy,
    PolicyProblem,
    PolicySource,
    PresetConnection,
    UpdatePolicy,
)
from core.policy.loader import SourceKind
from core.remote.connections import list_connections
from core.updates import load_state
from core.updates.manifest import current_platform
from desktop.policy_startup import PolicyAndUpdates
from sync.sandbox.runner import LoopbackServer
from tests.core.updates.manifests import DIGEST, PUBLIC_KEY, manifest_bytes, signed, tampered
from ui.data_access import DataAccess
from ui.main_window import MainWindow

DOWNLOADS = {current_platform(): {"url": "https://example.com/handoff-9.1.0.tar.gz", "sha256": DIGEST}}
GOOD, SIGNATURE = signed(manifest_bytes("9.1.0", downloads=DOWNLOADS))
FILES = {
    "/good/manifest.json": GOOD,
    "/good/manifest.json.sig": SIGNATURE,
    "/tampered/manifest.json": tampered(GOOD),
    "/tampered/manifest.json.sig": SIGNATURE,
}


REQUESTS: list[str] = []


async def serve(request: Request) -> Response:
    REQUESTS.append(request.url.path)
    body = FILES.get(request.url.path)
    return Response(body) if body is not None else PlainTextResponse("not found", status_code=404)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(Starlette(routes=[Route("/{path:path}", serve)])) as running:
        yield running


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    event_loop.close()
    asyncio.set_event_loop(None)


def loaded(url: str, *, problems: tuple[PolicyProblem, ...] = (), **changes: object) -> LoadedPolicy:
    policy = Policy(
        connections=(PresetConnection("zendesk", "Acme Zendesk", "https://acme.zendesk.com", "oauth"),),
        updates=UpdatePolicy("stable", url),
        **changes,  # type: ignore[arg-type]
    )
    return LoadedPolicy(policy, PolicySource(SourceKind.FILE, "/etc/handoff/policy.json"), problems)


def start(
    qtbot: QtBot, data: DataAccess, policy: LoadedPolicy, state: Path
) -> tuple[MainWindow, PolicyAndUpdates]:
    window = MainWindow(data, workspace_label="policy")
    qtbot.addWidget(window)
    extras = PolicyAndUpdates(
        window, data, policy, state_path=state, current_version="1.0", public_key=PUBLIC_KEY
    )
    window.resize(1200, 700)
    window.show()
    return window, extras


def finish_check(loop: asyncio.AbstractEventLoop, extras: PolicyAndUpdates) -> None:
    """Run the loop (as the app does) until the first inbox page started the check and it ended."""

    async def checked() -> None:
        while extras.update_check is None:
            await asyncio.sleep(0.02)
        await extras.update_check

    loop.run_until_complete(asyncio.wait_for(checked(), 30))


def test_a_verified_update_is_offered_and_the_policy_problems_shown(
    qtbot: QtBot,
    data: DataAccess,
    db: DbRunner,
    server: LoopbackServer,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
) -> None:
    problem = PolicyProblem("features.demo", '"off"', "true or false (left enabled)")
    policy = loaded(f"{server.base_url}/good/manifest.json", problems=(problem,))
    window, extras = start(qtbot, data, policy, tmp_path / "updates.json")
    assert extras.policy_banner.isVisible()
    assert 'features.demo: found "off"; allowed: true or false (left enabled)' in extras.policy_banner.text
    finish_check(loop, extras)
    assert extras.update_notice.isVisible()
    assert extras.update_notice.text == "Handoff 9.1.0 is available."
    shot = Path(os.environ.get("HANDOFF_SCREENSHOT_DIR", tmp_path)) / "window-policy-update.png"
    assert window.grab().save(str(shot)) and QImage(str(shot)).width() == window.width()
    assert load_state(tmp_path / "updates.json").last_check_at is not None
    names = db.read(lambda session: [c.name for c in list_connections(session)]).result(timeout=5)
    assert names == ["Acme Zendesk"]
    assert extras.recheck_timer.isActive() and extras.recheck_timer.interval() == 6 * 60 * 60 * 1000
    first = extras.update_check
    served = len(REQUESTS)
    extras.recheck_timer.timeout.emit()  # hours later, the same day: not due, nothing fetched

    async def rechecked() -> None:
        while extras.update_check is first:
            await asyncio.sleep(0.02)
        await extras.update_check

    loop.run_until_complete(asyncio.wait_for(rechecked(), 30))
    assert len(REQUESTS) == served and extras.update_notice.text == "Handoff 9.1.0 is available."
    loop.run_until_complete(extras.aclose())
    window.close()


def test_a_tampered_manifest_is_reported_not_offered(
    qtbot: QtBot, data: DataAccess, server: LoopbackServer, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    window, extras = start(
        qtbot, data, loaded(f"{server.base_url}/tampered/manifest.json"), tmp_path / "u.json"
    )
    assert not extras.policy_banner.isVisible()
    finish_check(loop, extras)
    assert extras.update_notice.text == "Update check failed: signature invalid"
    assert not extras.update_notice.download_button.isVisible()
    window.close()


def test_no_check_when_the_policy_disables_it(
    qtbot: QtBot, data: DataAccess, server: LoopbackServer, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    policy = loaded(
        f"{server.base_url}/good/manifest.json", disabled_features=frozenset({Feature.UPDATE_CHECKS})
    )
    window, extras = start(qtbot, data, policy, tmp_path / "updates.json")
    loaded_rows: list[int] = []
    window.inbox_loaded.connect(loaded_rows.append)

    async def settle() -> None:
        while not loaded_rows:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)  # time for preferences to be read and a check to start

    loop.run_until_complete(asyncio.wait_for(settle(), 30))
    assert extras.update_check is None
    assert not extras.update_notice.isVisible()
    assert not (tmp_path / "updates.json").exists()
    window.close()
