"""``handoff connect zendesk`` and ``handoff sync`` end to end against the sandbox Zendesk (HTTPS)."""

from __future__ import annotations

import base64
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, TimelineEventRow
from core.workspace import open_workspace
from desktop.cli import main
from sync.sandbox.zendesk.seed import SeedData, load_seed
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.conftest import MemoryKeyring
from tests.integration.conftest import REPO_ROOT
from tests.sync.conftest import SANDBOX_CASES, SANDBOX_SEED
from tests.sync.engine import file_keyring
from tests.sync.engine.sandbox_setup import live_ticket

NAME = "Acme Zendesk"


@pytest.fixture(scope="module")
def seed() -> SeedData:
    return load_seed(SANDBOX_CASES, SANDBOX_SEED)


@pytest.fixture
def zendesk_sandbox(seed: SeedData) -> Iterator[ZendeskSandbox]:
    """The sync tests' sandbox Zendesk (30 tickets over HTTPS)."""
    with ZendeskSandbox(seed_data=seed) as sandbox:
        yield sandbox


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "") -> tuple[int, str, str]:
    """``handoff ARGV`` in this process with ``stdin`` piped in; (status, stdout, stderr)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(stdin))
        status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def connect_args(data_dir: Path, sandbox: ZendeskSandbox, *, ca: bool = True) -> list[str]:
    args = ["connect", "zendesk", "--data-dir", str(data_dir), "--name", NAME, "--url", sandbox.base_url]
    args += ["--email", sandbox.email]
    return args + (["--ca-bundle", str(sandbox.ca_bundle)] if ca else [])


def zendesk_cases(data_dir: Path) -> int:
    engine, _report = open_workspace(data_dir, create=False)
    try:
        with Session(engine) as session:
            query = select(func.count()).select_from(CaseRow).where(CaseRow.source_system == "zendesk")
            return session.scalar(query) or 0
    finally:
        engine.dispose()


def timeline_has(data_dir: Path, text: str) -> bool:
    engine, _report = open_workspace(data_dir, create=False)
    try:
        with Session(engine) as session:
            query = select(func.count()).where(TimelineEventRow.body_text.contains(text))
            return bool(session.scalar(query))
    finally:
        engine.dispose()


def test_connect_with_the_token_on_stdin_then_sync_once(
    tmp_path: Path,
    zendesk_sandbox: ZendeskSandbox,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "workspace"

    status, out, err = run(
        capsys, *connect_args(data_dir, zendesk_sandbox), stdin=zendesk_sandbox.token + "\n"
    )
    assert status == 0, err
    assert f"Connected {NAME!r}" in out and "Sandbox API Agent" in out
    assert memory_keyring.secrets[("handoff", NAME)] == zendesk_sandbox.token

    status, out, err = run(capsys, "sync", "--data-dir", str(data_dir), "--once")
    assert status == 0, err
    tickets = len(zendesk_sandbox.store.ticket_ids)
    assert f"{NAME}: pulled" in err  # progress on stderr
    assert f"{NAME}: {tickets:,} tickets pulled" in out
    assert zendesk_cases(data_dir) == tickets

    token = zendesk_sandbox.token.encode()
    for stored in data_dir.rglob("*"):
        if stored.is_file():
            assert token not in stored.read_bytes(), f"the token is in {stored}"


def test_a_bad_token_is_refused_clearly_and_nothing_is_saved(
    tmp_path: Path,
    zendesk_sandbox: ZendeskSandbox,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "workspace"

    status, _out, err = run(capsys, *connect_args(data_dir, zendesk_sandbox), stdin="not-the-token\n")

    assert status != 0
    assert "Bad credentials" in err and "not accepted" in err
    assert memory_keyring.secrets == {}
    status, _out, err = run(capsys, "sync", "--data-dir", str(data_dir), "--once")
    assert status == 0 and "No connection to sync" in err


def test_an_untrusted_certificate_is_reported(
    tmp_path: Path, zendesk_sandbox: ZendeskSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    args = connect_args(tmp_path / "workspace", zendesk_sandbox, ca=False)

    status, _out, err = run(capsys, *args, stdin=zendesk_sandbox.token)

    assert status != 0 and "is not trusted" in err


def test_an_unreachable_host_is_reported(
    tmp_path: Path, zendesk_sandbox: ZendeskSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    args = connect_args(tmp_path / "workspace", zendesk_sandbox)
    zendesk_sandbox.server.stop()

    status, _out, err = run(capsys, *args, stdin=zendesk_sandbox.token)

    assert status != 0 and "cannot be reached" in err


def test_an_end_user_token_is_not_an_agent(
    tmp_path: Path, zendesk_sandbox: ZendeskSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    args = connect_args(tmp_path / "workspace", zendesk_sandbox)
    args[args.index("--email") + 1] = zendesk_sandbox.end_user_email

    status, _out, err = run(capsys, *args, stdin=zendesk_sandbox.end_user_token)

    assert status != 0 and "is not an agent" in err


def test_sync_once_fails_clearly_when_the_sign_in_is_revoked(
    tmp_path: Path,
    zendesk_sandbox: ZendeskSandbox,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "workspace"
    assert run(capsys, *connect_args(data_dir, zendesk_sandbox), stdin=zendesk_sandbox.token)[0] == 0
    memory_keyring.secrets[("handoff", NAME)] = "revoked"

    status, _out, err = run(capsys, "sync", "--data-dir", str(data_dir), "--once")

    assert status == 1
    assert "Sync stopped" in err and "Sign in again" in err


def test_sync_keeps_going_until_sigterm_then_stops_cleanly_and_never_logs_the_token(
    tmp_path: Path, zendesk_sandbox: ZendeskSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "workspace"
    assert run(capsys, *connect_args(data_dir, zendesk_sandbox), stdin=zendesk_sandbox.token)[0] == 0
    keyring_file = tmp_path / "keyring.json"
    keyring_file.write_text(json.dumps({f"handoff/{NAME}": zendesk_sandbox.token}), encoding="utf-8")
    env = {"PYTHON_KEYRING_BACKEND": file_keyring.BACKEND, file_keyring.VARIABLE: str(keyring_file)}
    log_path = tmp_path / "stderr.txt"

    with log_path.open("w", encoding="utf-8") as log:
        args = ("-v", "sync", "--data-dir", str(data_dir), "--interval", "0.5")  # debug logs too
        process = subprocess.Popen(
            [sys.executable, "-m", "desktop", *args],
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
            env=dict(os.environ, PYTHONPATH=str(REPO_ROOT), **env),
            cwd=REPO_ROOT,
        )
        try:
            deadline = time.monotonic() + 60
            while f"{NAME}: connected" not in log_path.read_text(encoding="utf-8"):
                assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.1)
            zendesk_sandbox.store.add_customer_reply(
                live_ticket(zendesk_sandbox), "Any news on the SSO loop?"
            )
            while not timeline_has(data_dir, "Any news on the SSO loop?"):  # a later tick brings it
                assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.1)
            process.send_signal(signal.SIGTERM)
            status = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()

    assert status == 0
    printed = log_path.read_text(encoding="utf-8")
    assert "Sync stopped." in printed
    assert "GET https://" in printed  # the debug log was on
    basic = base64.b64encode(f"{zendesk_sandbox.email}/token:{zendesk_sandbox.token}".encode()).decode()
    assert zendesk_sandbox.token not in printed and basic not in printed


def test_connecting_again_with_the_same_name_is_signing_in_again(
    tmp_path: Path,
    zendesk_sandbox: ZendeskSandbox,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "workspace"
    assert run(capsys, *connect_args(data_dir, zendesk_sandbox), stdin=zendesk_sandbox.token)[0] == 0
    memory_keyring.secrets[("handoff", NAME)] = "revoked"
    assert run(capsys, "sync", "--data-dir", str(data_dir), "--once")[0] == 1

    status, _out, err = run(capsys, *connect_args(data_dir, zendesk_sandbox), stdin=zendesk_sandbox.token)
    assert status == 0, err
    status, out, err = run(capsys, "sync", "--data-dir", str(data_dir), "--once", "--connection", NAME)

    assert status == 0, err
    assert f"{NAME}: {len(zendesk_sandbox.store.ticket_ids):,} tickets pulled" in out


def test_connect_with_an_oauth_access_token(
    tmp_path: Path,
    zendesk_sandbox: ZendeskSandbox,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "workspace"
    args = ["connect", "zendesk", "--data-dir", str(data_dir), "--name", NAME, "--oauth"]
    args += ["--url", zendesk_sandbox.base_url, "--ca-bundle", str(zendesk_sandbox.ca_bundle)]

    status, out, err = run(capsys, *args, stdin=zendesk_sandbox.token)

    assert status == 0, err
    assert "Sandbox API Agent" in out
    assert run(capsys, "sync", "--data-dir", str(data_dir), "--once")[0] == 0


def test_sync_names_an_unknown_connection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "workspace"
    open_workspace(data_dir)[0].dispose()

    status, _out, err = run(capsys, "sync", "--data-dir", str(data_dir), "--once", "--connection", "Nope")

    assert status == 2 and "no connection called 'Nope'" in err
