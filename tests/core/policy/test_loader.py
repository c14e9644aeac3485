"""Finding the policy: the environment variable, the platform's file, the Windows registry (injected)."""

from __future__ import annotations

import json
from pathlib import Path

from core.policy import DEFAULT_POLICY, POLICY_FILE_ENV, load_policy, system_policy_path
from core.policy.loader import MACOS_POLICY_PATH, SourceKind, tree_from_registry
from tests.core.policy.example_policy import FULL_POLICY


def test_system_paths_per_platform() -> None:
    assert system_policy_path("linux") == Path("/etc/handoff/policy.json")
    assert system_policy_path("darwin") == MACOS_POLICY_PATH
    assert str(MACOS_POLICY_PATH) == "/Library/Application Support/Handoff/policy.json"
    assert system_policy_path("win32") is None


def test_environment_variable_points_at_another_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(FULL_POLICY), encoding="utf-8")
    loaded = load_policy(environ={POLICY_FILE_ENV: str(path)}, platform="linux")
    assert loaded.source.kind is SourceKind.ENVIRONMENT
    assert loaded.source.describe() == f"{path} (from {POLICY_FILE_ENV})"
    assert loaded.problems == () and loaded.policy.is_locked("connections")


def test_a_missing_named_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    loaded = load_policy(environ={POLICY_FILE_ENV: str(tmp_path / "absent.json")}, platform="linux")
    assert loaded.policy == DEFAULT_POLICY
    assert loaded.problems[0].key == "(file)" and "absent.json" in loaded.problems[0].value


def test_a_file_that_is_not_utf8_or_too_large_is_reported(tmp_path: Path) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"policy_version": 1, "x": "\xe9"}')
    loaded = load_policy(environ={POLICY_FILE_ENV: str(latin)})
    assert loaded.problems[0].allowed == "a UTF-8 JSON file"
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (1024 * 1024 + 1))
    assert (
        load_policy(environ={POLICY_FILE_ENV: str(huge)}).problems[0].allowed
        == "a policy file of at most 1 MiB"
    )


def test_no_policy_on_this_machine_means_defaults() -> None:
    loaded = load_policy(environ={}, platform="linux")
    if not Path("/etc/handoff/policy.json").exists():
        assert loaded.policy == DEFAULT_POLICY and loaded.source.kind is SourceKind.NONE
    assert load_policy(environ={}, platform="win32", read_registry=lambda: None).source.describe() == (
        "no policy (defaults)"
    )


def test_windows_reads_the_registry_values_through_the_injected_reader() -> None:
    values = {
        "policy_version": 1,  # a DWORD
        "allowed_hosts": '["acme.zendesk.com"]',  # REG_SZ holding JSON
        "features": '{"update_checks": false}',
        "locked_settings": '["updates.check"]',
        "ca_bundle": "relative.pem",
    }
    loaded = load_policy(environ={}, platform="win32", read_registry=lambda: values)
    assert loaded.source.kind is SourceKind.REGISTRY
    assert loaded.source.describe() == r"HKLM\Software\Policies\Handoff"
    assert loaded.policy.allowed_hosts == ("acme.zendesk.com",)
    assert loaded.policy.is_locked("updates.check")
    assert [problem.key for problem in loaded.problems] == ["ca_bundle"]


def test_registry_strings_that_are_numbers_or_broken_json() -> None:
    assert tree_from_registry({"policy_version": "1", "allowed_hosts": "[oops", "ca_bundle": "/x.pem"}) == {
        "policy_version": 1,
        "allowed_hosts": "[oops",
        "ca_bundle": "/x.pem",
    }
