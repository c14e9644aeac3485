"""``handoff policy check FILE`` and ``handoff policy show`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.policy import POLICY_FILE_ENV
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
