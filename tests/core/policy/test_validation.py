"""The policy validator: every wrong key named with its value and what is allowed; the rest still applies."""

from __future__ import annotations

import json

from core.policy import (
    DEFAULT_POLICY,
    Feature,
    IntervalBounds,
    PresetConnection,
    UpdatePolicy,
    parse_policy_text,
    validate_policy,
)
from tests.core.policy.example_policy import FULL_POLICY, full_policy


def messages(tree: object) -> list[str]:
    return [str(problem) for problem in validate_policy(tree, file_exists=lambda _path: True).problems]


def test_full_example_policy_is_valid_and_read_completely() -> None:
    result = validate_policy(FULL_POLICY)
    assert result.problems == ()
    policy = result.policy
    assert policy.connections == (
        PresetConnection("zendesk", "Acme Zendesk", "https://acme.zendesk.com", "oauth"),
    )
    assert policy.allowed_hosts == ("acme.zendesk.com", "*.support.acme.com")
    assert policy.sync_interval == IntervalBounds(5, 60, 10)
    assert policy.disabled_features == frozenset({Feature.DEMO})
    assert policy.updates == UpdatePolicy("beta", "https://updates.acme.com/handoff/beta/manifest.json")
    assert policy.is_locked("config.routing") and not policy.is_locked("updates.check")


def test_a_wrong_key_names_key_value_and_what_is_allowed_and_falls_back_alone() -> None:
    tree = full_policy(sync={"min_interval_minutes": 0, "max_interval_minutes": 60})
    result = validate_policy(tree)
    assert [str(problem) for problem in result.problems] == [
        "sync.min_interval_minutes: found 0; allowed: a whole number of minutes from 1 to 1440"
    ]
    assert result.policy.sync_interval == IntervalBounds(1, 60, None)
    assert result.policy.is_locked("connections")  # the valid keys still apply


def test_secrets_are_refused_wherever_they_are_and_never_echoed() -> None:
    tree = full_policy(api_token="tok-123")
    tree["connections"][0]["password"] = "hunter2"
    tree["updates"]["client_secret"] = "s3cr3t"
    found = messages(tree)
    assert {line.split(":")[0] for line in found} == {
        "api_token",
        "connections[0].password",
        "updates.client_secret",
    }
    assert all("no secret in a policy file" in line for line in found)
    assert not any(secret in line for line in found for secret in ("tok-123", "hunter2", "s3cr3t"))
    result = validate_policy(tree)
    assert result.policy.updates.url is not None  # the rest of the object is still read


def test_a_url_with_a_password_is_refused() -> None:
    tree = full_policy(updates={"url": "https://user:pw@updates.acme.com/m.json"})
    assert messages(tree)[0].startswith("updates.url: found")
    assert validate_policy(tree).policy.updates.url is None


def test_connection_problems_drop_only_that_connection() -> None:
    tree = full_policy(
        connections=[
            {
                "kind": "zendesk",
                "name": "Good",
                "url": "https://acme.zendesk.com",
                "auth_method": "api_token",
            },
            {"kind": "jira", "name": "Bad", "url": "http://acme.zendesk.com", "auth_method": "magic"},
            {"kind": "zendesk", "name": "Elsewhere", "url": "https://evil.example", "auth_method": "oauth"},
            {"kind": "zendesk", "name": "Good", "url": "https://acme.zendesk.com", "auth_method": "oauth"},
            {"kind": "zendesk", "url": "https://acme.zendesk.com", "auth_method": "oauth", "colour": "red"},
        ]
    )
    result = validate_policy(tree)
    assert [preset.name for preset in result.policy.connections] == ["Good"]
    keys = [problem.key for problem in result.problems]
    assert keys == [
        "connections[1].kind",
        "connections[1].url",
        "connections[1].auth_method",
        "connections[2].url",
        "connections[3].name",
        "connections[4].colour",
        "connections[4].name",
    ]
    assert "one of zendesk, freshdesk, intercom, salesforce" in str(result.problems[0])
    assert "a URL on one of the allowed_hosts" in str(result.problems[3])


def test_allowed_hosts_fail_closed() -> None:
    assert validate_policy(full_policy(allowed_hosts="acme.zendesk.com")).policy.allowed_hosts == ()
    result = validate_policy(full_policy(allowed_hosts=["acme.zendesk.com", "not a host", 7]))
    assert result.policy.allowed_hosts == ("acme.zendesk.com",)
    assert [problem.key for problem in result.problems] == ["allowed_hosts[1]", "allowed_hosts[2]"]
    assert validate_policy(full_policy(allowed_hosts=None, connections=None)).policy.allowed_hosts is None


def test_features_unknown_or_not_boolean_stay_enabled() -> None:
    result = validate_policy(full_policy(features={"demo": "no", "telemetry": False, "tray_icon": False}))
    assert result.policy.disabled_features == frozenset({Feature.TRAY_ICON})
    assert [str(problem) for problem in result.problems] == [
        'features.demo: found "no"; allowed: true or false (left enabled)',
        "features.telemetry: found false; allowed: unknown feature; allowed: "
        "sla_notifications, tray_icon, demo, update_checks",
    ]


def test_sync_bounds_must_be_ordered_and_hold_the_default() -> None:
    result = validate_policy(
        full_policy(
            sync={"min_interval_minutes": 30, "max_interval_minutes": 10, "default_interval_minutes": 90}
        )
    )
    assert [str(problem) for problem in result.problems] == [
        "sync.max_interval_minutes: found 10; allowed: at least min_interval_minutes (30)"
    ]
    assert result.policy.sync_interval == IntervalBounds(1, 1440, 90)  # the bounds fall back, not the default
    outside = validate_policy(full_policy(sync={"max_interval_minutes": 30, "default_interval_minutes": 45}))
    assert [str(problem) for problem in outside.problems] == [
        "sync.default_interval_minutes: found 45; allowed: between 1 and 30"
    ]


def test_unknown_channel_locked_setting_and_top_level_key_are_named() -> None:
    found = messages(
        full_policy(updates={"channel": "nightly"}, locked_settings=["updates.check", "theme"], colour="red")
    )
    assert found[0].startswith('colour: found "red"; allowed: unknown key; allowed keys: policy_version,')
    assert 'updates.channel: found "nightly"; allowed: one of stable, beta (stable is used)' in found
    assert any(
        line.startswith('locked_settings[1]: found "theme"; allowed: one of sync.interval_minutes')
        for line in found
    )


def test_ca_bundle_must_be_an_existing_absolute_path() -> None:
    relative = validate_policy(full_policy(ca_bundle="certs/proxy.pem"), file_exists=lambda _path: True)
    assert (
        str(relative.problems[0])
        == 'ca_bundle: found "certs/proxy.pem"; allowed: the absolute path of a PEM file'
    )
    missing = validate_policy(full_policy(ca_bundle="/nowhere/proxy.pem"), file_exists=lambda _path: False)
    assert missing.policy.ca_bundle is None and missing.problems[0].key == "ca_bundle"
    present = validate_policy(full_policy(ca_bundle="/etc/ssl/proxy.pem"), file_exists=lambda _path: True)
    assert present.policy.ca_bundle == "/etc/ssl/proxy.pem" and present.valid


def test_version_missing_or_unknown_is_reported_and_read_as_version_1() -> None:
    missing = validate_policy(full_policy(policy_version=None))
    assert [str(problem) for problem in missing.problems] == [
        "policy_version: found nothing; allowed: 1 (read as 1)"
    ]
    assert missing.policy.is_locked("connections")
    assert messages(full_policy(policy_version=2))[0].startswith(
        "policy_version: found 2; allowed: 1, the version"
    )


def test_broken_json_gives_defaults_and_says_where() -> None:
    result = parse_policy_text('{"policy_version": 1,\n "allowed_hosts": [}')
    assert result.policy == DEFAULT_POLICY
    assert str(result.problems[0]).startswith("(file): found invalid JSON at line 2, column")
    assert validate_policy(["not", "an", "object"]).problems[0].key == "(file)"


def test_round_trip_through_json_text() -> None:
    assert parse_policy_text(json.dumps(FULL_POLICY)).policy == validate_policy(FULL_POLICY).policy
