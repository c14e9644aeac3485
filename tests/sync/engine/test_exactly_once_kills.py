"""Exactly once, proven the hard way: ``handoff sync --once`` is killed (SIGKILL) at many moments
while it delivers notes to the sandbox Zendesk; after a final clean run every note is on its
ticket exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

from core.db.runner import DbRunner
from core.domain.enums import OutboxOperation, OutboxState
from core.outbox import pending_entries
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.engine import file_keyring
from tests.sync.engine.conftest import FakeClock, RecordingSleep
from tests.sync.engine.sandbox_setup import (
    LIVE_STATUSES,
    NAME,
    case_id_of,
    comment_bodies,
    connect,
    queue,
    sandbox_engine,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
NOTES_PER_TICKET = 10
# Moments (seconds after the start) at which a run is killed: during start-up, the pull, the pushes.
KILL_AFTER = (0.6, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9, 2.1, 2.4, 2.7, 3.0, 3.5)


def landed_notes(sandbox: ZendeskSandbox, ticket: int, expected: list[str]) -> list[str]:
    """The expected notes found on the ticket (a duplicate counts twice)."""
    return [body for body, _public in comment_bodies(sandbox, ticket) if body in expected]


def sync_process(data_dir: Path, keyring_file: Path, log: IO[str]) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        PYTHON_KEYRING_BACKEND=file_keyring.BACKEND,
        **{file_keyring.VARIABLE: str(keyring_file)},
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", "sync", "--data-dir", str(data_dir), "--once"],
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )


@pytest.mark.slow
@pytest.mark.asyncio
async def test_notes_land_exactly_once_however_often_the_sync_process_is_killed(
    db: DbRunner,
    workspace_dir: Path,
    tmp_path: Path,
    zendesk_sandbox: ZendeskSandbox,
    clock: FakeClock,
    sleep: RecordingSleep,
) -> None:
    connect(db, zendesk_sandbox)
    engine = sandbox_engine(db, clock, sleep)
    try:
        await engine.run_once()  # the first sync, in this process
    finally:
        await engine.aclose()
    store = zendesk_sandbox.store
    tickets = [t for t in store.ticket_ids if store.ticket(t)["status"] in LIVE_STATUSES][:2]
    bodies: dict[int, list[str]] = {}
    for ticket in tickets:
        case_id = case_id_of(db, ticket)
        bodies[ticket] = [f"Note {n} on {ticket}" for n in range(NOTES_PER_TICKET)]
        for body in bodies[ticket]:
            queue(db, case_id, OutboxOperation.ADD_INTERNAL_NOTE, {"body_text": body})
    keyring_file = tmp_path / "keyring.json"
    keyring_file.write_text(json.dumps({f"handoff/{NAME}": zendesk_sandbox.token}), encoding="utf-8")
    zendesk_sandbox.set_faults("slow=1.0:0.08")  # every request takes a while: wide windows to die in

    log_path = tmp_path / "sync.log"
    total = sum(len(expected) for expected in bodies.values())
    with log_path.open("w", encoding="utf-8") as log:
        kills = mid_delivery = 0
        for delay in KILL_AFTER:
            if not db.read(pending_entries).result():
                break  # everything landed: no delivery left to interrupt
            process = sync_process(workspace_dir, keyring_file, log)
            time.sleep(delay)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(timeout=30)
            landed = sum(len(landed_notes(zendesk_sandbox, ticket, bodies[ticket])) for ticket in bodies)
            in_flight = any(e.state == OutboxState.IN_FLIGHT for e in db.read(pending_entries).result())
            mid_delivery += in_flight or 0 < landed < total
        assert kills >= 3  # runs really were cut short (how many depends on the machine's speed)
        assert mid_delivery  # and some of them while delivering

        zendesk_sandbox.set_faults(None)
        for _attempt in range(3):  # entries retried after a kill may wait out a backoff: a few clean runs
            sync_process(workspace_dir, keyring_file, log).wait(timeout=120)
            if not db.read(pending_entries).result():
                break
            time.sleep(1)
    assert db.read(pending_entries).result() == [], log_path.read_text(encoding="utf-8")

    for ticket, expected in bodies.items():
        posted = [body for body, _public in comment_bodies(zendesk_sandbox, ticket)]
        for body in expected:
            assert posted.count(body) == 1, f"{body!r} is on ticket {ticket} {posted.count(body)} times"
