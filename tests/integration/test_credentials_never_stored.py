"""The API token of a connection is never written anywhere but the keychain: one scan of everything.

A connection is made with a distinctive token (on standard input, as a user would), synced with
debug logging into the log file, refused by the helpdesk (the token revoked), and exported; then
the database (and its WAL), every file under the workspace, the log folder and the isolated home,
the export files and everything printed are searched for the token in each form it travels in:
as it is, as ``email/token:TOKEN`` and as the Base64 of that (the Basic ``Authorization``).
"""

from __future__ import annotations

import base64
import io
import logging
import os
import secrets
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest

from core.workspace import WorkspacePaths, open_workspace
from desktop import cli
from desktop.cli import main
from sync.sandbox.zendesk.seed import SeedData, load_seed
from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.conftest import MemoryKeyring
from tests.sync.conftest import SANDBOX_CASES, SANDBOX_SEED

NAME = "Acme Zendesk"
TOKEN = "hndf-SCAN-" + secrets.token_hex(20)


def secret_forms(email: str, token: str) -> dict[str, bytes]:
    """The token as it may leak: raw, in the Basic credentials, and Base64-encoded as sent."""
    basic = f"{email}/token:{token}"
    return {
        "the token": token.encode(),
        "email/token:TOKEN": basic.encode(),
        "the Basic credentials (Base64)": base64.b64encode(basic.encode()),
    }


def leaks(forms: Mapping[str, bytes], files: Iterable[Path], printed: Mapping[str, str]) -> list[str]:
    """Where any form of the secret appears: "<form> in <file or stream>" for each finding."""
    found: list[str] = []
    for path in files:
        content = path.read_bytes()
        found += [f"{form} in {path}" for form, value in forms.items() if value in content]
    for stream, text in printed.items():
        found += [f"{form} in {stream}" for form, value in forms.items() if value in text.encode()]
    return found


def files_under(*folders: Path) -> list[Path]:
    return sorted(
        {path for folder in folders if folder.exists() for path in folder.rglob("*") if path.is_file()}
    )


@pytest.fixture(scope="module")
def seed() -> SeedData:
    return load_seed(SANDBOX_CASES, SANDBOX_SEED)


@pytest.fixture
def sandbox(seed: SeedData) -> Iterator[ZendeskSandbox]:
    with ZendeskSandbox(seed_data=seed, token=TOKEN) as running:
        yield running


class Runner:
    """Runs ``handoff`` in this process with debug logs into ``log_folder``; keeps everything printed."""

    def __init__(self, capsys: pytest.CaptureFixture[str], log_folder: Path) -> None:
        self.capsys = capsys
        self.log_folder = log_folder
        self.printed: dict[str, str] = {}

    def __call__(self, *argv: str, stdin: str = "") -> int:
        real = cli.configure_logging
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdin", io.StringIO(stdin))
            # Every command logs at DEBUG to the rotating log file, as the window does.
            patch.setattr(
                cli, "configure_logging", lambda _folder, verbose: real(self.log_folder, verbose=True)
            )
            try:
                status = main(["-v", *argv])
            finally:
                _close_log_handlers()
        captured = self.capsys.readouterr()
        run = f"handoff {argv[0]} #{len(self.printed) // 2 + 1}"
        self.printed[f"stdout of {run}"] = captured.out
        self.printed[f"stderr of {run}"] = captured.err
        return status


def _close_log_handlers() -> None:
    """Close the handlers ``handoff`` installed (the log file is complete; nothing writes to a
    captured stream after the run)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_handoff_handler", False)]:
        root.removeHandler(handler)
        handler.close()


def test_the_token_is_nowhere_after_connecting_syncing_failing_and_exporting(
    tmp_path: Path,
    sandbox: ZendeskSandbox,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "workspace"
    log_folder = tmp_path / "logs"
    exports = tmp_path / "exports"
    exports.mkdir()
    handoff = Runner(capsys, log_folder)
    connect = ["connect", "zendesk", "--data-dir", str(data_dir), "--name", NAME, "--url", sandbox.base_url]
    connect += ["--email", sandbox.email, "--ca-bundle", str(sandbox.ca_bundle)]

    assert handoff(*connect, stdin=TOKEN + "\n") == 0
    assert handoff("sync", "--data-dir", str(data_dir), "--once") == 0
    sandbox.store.revoke_api_token(sandbox.email)  # the helpdesk now refuses the same token
    assert handoff("sync", "--data-dir", str(data_dir), "--once") == 1
    assert handoff(*connect, stdin=TOKEN + "\n") != 0  # "Test connection" refused too
    for format_ in ("json", "csv"):
        out = exports / f"cases.{format_}"
        assert handoff("export", "--data-dir", str(data_dir), "--format", format_, "--out", str(out)) == 0

    # The scan means something: the token was really used, and everything it touched is there.
    assert memory_keyring.secrets[("handoff", NAME)] == TOKEN
    assert any(path.endswith("/users/me.json") for _method, path in sandbox.store.requests_seen)
    everything = files_under(data_dir, log_folder, exports, Path(os.environ["HOME"]))
    assert WorkspacePaths(data_dir).database in everything
    assert {exports / "cases.json", exports / "cases.csv"} <= set(everything)
    log_text = (log_folder / "handoff.log").read_text(encoding="utf-8")
    assert " DEBUG " in log_text and "https://127.0.0.1" in log_text
    stderr = "".join(text for stream, text in handoff.printed.items() if stream.startswith("stderr"))
    assert "Sign in again" in stderr or "Bad credentials" in stderr  # the failures were reported
    assert leaks(secret_forms(sandbox.email, TOKEN), everything, handoff.printed) == []


def test_the_database_and_its_wal_are_scanned_while_sync_has_them_open(
    tmp_path: Path,
    sandbox: ZendeskSandbox,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The WAL holds recent writes until a checkpoint folds them into the database file: read both
    while a workspace connection is open, so the WAL is still there."""
    data_dir = tmp_path / "workspace"
    handoff = Runner(capsys, tmp_path / "logs")
    connect = ["connect", "zendesk", "--data-dir", str(data_dir), "--name", NAME, "--url", sandbox.base_url]
    assert (
        handoff(*connect, "--email", sandbox.email, "--ca-bundle", str(sandbox.ca_bundle), stdin=TOKEN) == 0
    )
    holder, _report = open_workspace(data_dir, create=False)
    try:
        with holder.connect():  # keeps the WAL from being removed when sync closes its connections
            assert handoff("sync", "--data-dir", str(data_dir), "--once") == 0
            database = WorkspacePaths(data_dir).database
            wal = database.with_name(database.name + "-wal")
            assert wal.exists() and wal.stat().st_size > 0
            scanned = [database, wal]
            assert leaks(secret_forms(sandbox.email, TOKEN), scanned, handoff.printed) == []
    finally:
        holder.dispose()


@pytest.mark.parametrize("form", ["the token", "email/token:TOKEN", "the Basic credentials (Base64)"])
def test_the_scan_finds_each_form_of_the_token_planted_in_a_file(tmp_path: Path, form: str) -> None:
    forms = secret_forms("agent@sandbox.test", TOKEN)
    planted = tmp_path / "logs" / "handoff.log"
    planted.parent.mkdir()
    planted.write_bytes(b"2026-11-26 DEBUG handoff.sync.http: Authorization: Basic " + forms[form] + b"\n")
    clean = tmp_path / "logs" / "handoff.log.1"
    clean.write_bytes(b"2026-11-26 DEBUG handoff.sync.http: Authorization: Basic ***\n")

    found = leaks(forms, files_under(tmp_path), {})

    assert f"{form} in {planted}" in found
    assert not any(str(clean) in finding for finding in found)


def test_the_scan_finds_the_token_in_printed_output() -> None:
    forms = secret_forms("agent@sandbox.test", TOKEN)

    assert leaks(forms, [], {"stderr of handoff sync": f"debug: token={TOKEN}"}) == [
        "the token in stderr of handoff sync"
    ]
