"""``handoff policy check FILE`` and ``handoff policy show`` end to end."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.policy import DEFAULT_POLICY, POLICY_FILE_ENV, set_current_policy
from desktop import policy_source
from desktop.cli import main
from tests.core.policy.example_policy import FULL_POLICY, full_policy
from tests.integration.conftest import run_handoff


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def _write(path: Path, tree: object) -> Path:
    path.write_text(json.dumps(tree, indent=2), encoding="utf-8")
    return path


def test_a_valid_policy_passes_with_status_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "policy.json", FULL_POLICY)
    status, out = _run(capsys, "policy", "check", str(path))
    assert status == 0
    assert out == f"{path}: the policy is valid.\n"


def test_every_problem_is_explained_with_status_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = full_policy(api_token="abc123", features={"demo": "off"}, locked_settings=["theme"])
    path = _write(tmp_path / "policy.json", tree)
    status, out = _run(capsys, "policy", "check", str(path))
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == f"{path}: 3 problems (each falls back to a safe default):"
    assert lines[1].startswith("  api_token: found a key that looks like a secret; allowed: no secret")
    assert lines[2] == '  features.demo: found "off"; allowed: true or false (left enabled)'
    assert lines[3].startswith('  locked_settings[0]: found "theme"; allowed: one of sync.interval_minutes')
    assert "abc123" not in out


def test_broken_json_and_a_missing_file_are_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"policy_version": 1,,}', encoding="utf-8")
    status, out = _run(capsys, "policy", "check", str(broken))
    assert status == 1 and "(file): found invalid JSON at line 1, column 22" in out
    status, out = _run(capsys, "policy", "check", str(tmp_path / "absent.json"))
    assert status == 1 and "allowed: a readable file (No such file or directory)" in out


def test_show_prints_the_effective_policy_and_its_source(tmp_path: Path) -> None:
    path = _write(tmp_path / "policy.json", full_policy(features={"update_checks": False, "colour": True}))
    done = run_handoff("policy", "show", env_extra={POLICY_FILE_ENV: str(path)})
    assert done.returncode == 0, done.stderr
    head, _, document = done.stdout.partition("{")
    assert head.splitlines() == [
        f"Source: {path} (from {POLICY_FILE_ENV})",
        "Problem: features.colour: found true; allowed: unknown feature; allowed: "
        "sla_notifications, tray_icon, demo, update_checks",
    ]
    shown = json.loads("{" + document)
    assert shown["features"] == {
        "sla_notifications": True,
        "tray_icon": True,
        "demo": True,
        "update_checks": False,
    }
    assert shown["allowed_hosts"] == FULL_POLICY["allowed_hosts"]
    assert shown["locked_settings"] == sorted(FULL_POLICY["locked_settings"])


@pytest.fixture
def machine_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[object], None]]:
    """Install a policy file for this test's process (as /etc/handoff/policy.json would be)."""

    def install(tree: object) -> None:
        path = _write(tmp_path / "machine-policy.json", tree)
        monkeypatch.setenv(POLICY_FILE_ENV, str(path))
        policy_source.forget_loaded_policy()

    yield install
    policy_source.forget_loaded_policy()
    set_current_policy(DEFAULT_POLICY)


def test_connect_is_refused_for_a_host_the_policy_does_not_allow(
    machine_policy: Callable[[object], None], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    machine_policy(full_policy(locked_settings=[]))
    argv = ["connect", "zendesk", "--data-dir", str(tmp_path / "ws"), "--name", "Other", "--url"]
    status = main([*argv, "https://other.zendesk.com", "--email", "me@acme.com"])
    assert status == 2
    assert capsys.readouterr().err == (
        "handoff: Your organization's policy does not allow connections to other.zendesk.com "
        "(allowed hosts: acme.zendesk.com, *.support.acme.com).\n"
    )
    assert not (tmp_path / "ws").exists()  # refused before the workspace was touched


def test_connect_is_refused_when_connections_are_locked(
    machine_policy: Callable[[object], None], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    machine_policy(FULL_POLICY)
    argv = ["connect", "zendesk", "--data-dir", str(tmp_path / "ws"), "--name", "Acme", "--url"]
    assert main([*argv, "https://acme.zendesk.com", "--email", "me@acme.com"]) == 2
    assert capsys.readouterr().err == (
        "handoff: helpdesk connections are managed by your organization; "
        "only its own can be signed in to (Acme Zendesk)\n"
    )


def test_demo_is_refused_when_the_policy_turns_it_off(
    machine_policy: Callable[[object], None], capsys: pytest.CaptureFixture[str]
) -> None:
    machine_policy(FULL_POLICY)  # "demo": false
    assert main(["demo", "--no-open"]) == 2
    assert capsys.readouterr().err == "handoff: handoff demo is turned off by your organization's policy.\n"


def test_config_import_cannot_change_a_locked_section(
    machine_policy: Callable[[object], None],
    engine: Engine,
    workspace_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = workspace_dir
    assert main(["config", "export", "--data-dir", str(data_dir), str(tmp_path / "config.toml")]) == 0
    text = (tmp_path / "config.toml").read_text(encoding="utf-8")
    edited = tmp_path / "edited.toml"
    edited.write_text(text.replace("default_capacity = 6", "default_capacity = 9", 1), encoding="utf-8")
    machine_policy(FULL_POLICY)  # locks config.routing
    capsys.readouterr()
    assert main(["config", "import", "--data-dir", str(data_dir), str(edited)]) == 2
    err = capsys.readouterr().err
    assert "was not imported; nothing changed." in err
    assert "[routing]: managed by your organization; your changes to it cannot be saved" in err
    unlocked = tmp_path / "unlocked.toml"  # another section may still change
    unlocked.write_text(text.replace("reopen_count = 2", "reopen_count = 3", 1), encoding="utf-8")
    assert main(["config", "import", "--data-dir", str(data_dir), str(unlocked)]) == 0
