"""At most one check a day, remembered across starts; where checks go, and when they are off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.policy import DEFAULT_POLICY, Feature, Policy, UpdatePolicy
from core.policy.preferences import Preferences
from core.updates import UpdateState, is_check_due, load_state, save_state, update_source

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def test_a_check_is_due_once_a_day() -> None:
    assert is_check_due(None, NOW)
    assert not is_check_due(NOW - timedelta(hours=23, minutes=59), NOW)
    assert is_check_due(NOW - timedelta(days=1), NOW)
    assert is_check_due(NOW + timedelta(hours=3), NOW)  # the clock was set back


def test_the_last_check_is_remembered_in_the_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state" / "updates.json"
    assert load_state(path) == UpdateState()
    save_state(path, UpdateState(last_check_at=NOW))
    assert load_state(path) == UpdateState(last_check_at=NOW)
    assert [item.name for item in path.parent.iterdir()] == ["updates.json"]  # no temporary left
    path.write_text("{broken", encoding="utf-8")
    assert load_state(path) == UpdateState()


def test_the_source_follows_policy_and_preferences() -> None:
    url = "https://updates.acme.com/handoff/{channel}/manifest.json"
    policy = Policy(updates=UpdatePolicy("stable", url))
    source = update_source(policy, Preferences(update_channel="beta"))
    assert source is not None and source.channel == "beta"
    assert source.manifest_url == "https://updates.acme.com/handoff/beta/manifest.json"
    assert source.signature_url == "https://updates.acme.com/handoff/beta/manifest.json.sig"
    assert update_source(policy, Preferences(update_checks=False)) is None
    disabled = Policy(
        updates=UpdatePolicy("stable", url), disabled_features=frozenset({Feature.UPDATE_CHECKS})
    )
    assert update_source(disabled, Preferences()) is None
    assert update_source(DEFAULT_POLICY, Preferences()) is None  # no update server is built in yet
