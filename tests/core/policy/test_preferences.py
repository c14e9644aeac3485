"""The policy over the user's own settings: locked values win, intervals stay in bounds, saving refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.policy import DEFAULT_POLICY, Feature, IntervalBounds, Policy, SettingKey, UpdatePolicy
from core.policy.preferences import (
    Preferences,
    SettingLocked,
    merge_preferences,
    read_preferences,
    save_preferences,
)
from core.queries.sla_watch import notifications_enabled


def test_without_a_policy_the_users_values_apply() -> None:
    managed = merge_preferences(
        {"sync.interval_minutes": "15", "sla.notifications": "off", "updates.channel": "beta"}, DEFAULT_POLICY
    )
    assert managed.values == Preferences(15, False, True, "beta")
    assert managed.locked == frozenset()


def test_locked_settings_take_the_policys_values() -> None:
    policy = Policy(
        sync_interval=IntervalBounds(5, 60, 10),
        updates=UpdatePolicy("beta"),
        locked_settings=frozenset({"sync.interval_minutes", "updates.channel"}),
    )
    managed = merge_preferences({"sync.interval_minutes": "2", "updates.channel": "stable"}, policy)
    assert managed.values.sync_interval_minutes == 10
    assert managed.values.update_channel == "beta"
    assert managed.locked == frozenset({SettingKey.SYNC_INTERVAL, SettingKey.UPDATE_CHANNEL})


def test_an_unlocked_interval_is_kept_within_the_bounds() -> None:
    policy = Policy(sync_interval=IntervalBounds(5, 60))
    assert merge_preferences({"sync.interval_minutes": "1"}, policy).values.sync_interval_minutes == 5
    assert merge_preferences({"sync.interval_minutes": "600"}, policy).values.sync_interval_minutes == 60
    assert merge_preferences({}, policy).values.sync_interval_minutes == 5
    assert merge_preferences({"sync.interval_minutes": "soon"}, policy).values.sync_interval_minutes == 5


def test_a_disabled_feature_turns_its_setting_off_and_locks_it() -> None:
    policy = Policy(disabled_features=frozenset({Feature.SLA_NOTIFICATIONS, Feature.UPDATE_CHECKS}))
    managed = merge_preferences({"sla.notifications": "on", "updates.check": "on"}, policy)
    assert managed.values.sla_notifications is False and managed.values.update_checks is False
    assert managed.is_locked(SettingKey.SLA_NOTIFICATIONS) and managed.is_locked(SettingKey.UPDATE_CHECKS)


def test_saving_stores_the_unlocked_and_refuses_a_changed_locked_one(engine: Engine) -> None:
    policy = Policy(sync_interval=IntervalBounds(5, 60), locked_settings=frozenset({"updates.channel"}))
    with Session(engine) as session, session.begin():
        save_preferences(session, policy, Preferences(sync_interval_minutes=90, sla_notifications=False))
    with Session(engine) as session:
        managed = read_preferences(session, policy)
        assert managed.values.sync_interval_minutes == 60
        assert notifications_enabled(session) is False  # the SLA notifier reads the same setting
    with Session(engine) as session, session.begin(), pytest.raises(SettingLocked, match="managed by your"):
        save_preferences(session, policy, Preferences(update_channel="beta"))
