"""The user's own settings with the policy laid over them: what is in effect and what is locked.

A setting is locked when ``locked_settings`` names it, or when the policy turns its feature off
(SLA pop-ups, update checks). A locked setting takes the policy's value (or the default); the
sync interval always stays within the policy's bounds. The user's stored values are workspace
settings (:mod:`core.settings`); SLA pop-ups keep the key :mod:`core.queries.sla_watch` uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.policy.model import Feature, Policy
from core.policy.settings_keys import SettingKey
from core.queries.sla_watch import NOTIFICATIONS_SETTING
from core.settings import get_setting, set_setting

_T = TypeVar("_T")

DEFAULT_SYNC_INTERVAL_MINUTES = 1
UPDATE_CHECKS_SETTING = "updates.check"
UPDATE_CHANNEL_SETTING = "updates.channel"
SYNC_INTERVAL_SETTING = "sync.interval_minutes"

# Where each preference is stored in the workspace settings.
STORAGE_KEYS: Mapping[SettingKey, str] = {
    SettingKey.SYNC_INTERVAL: SYNC_INTERVAL_SETTING,
    SettingKey.SLA_NOTIFICATIONS: NOTIFICATIONS_SETTING,
    SettingKey.UPDATE_CHECKS: UPDATE_CHECKS_SETTING,
    SettingKey.UPDATE_CHANNEL: UPDATE_CHANNEL_SETTING,
}
# A feature the policy turns off locks the setting that would turn it on.
FEATURE_SETTINGS: Mapping[Feature, SettingKey] = {
    Feature.SLA_NOTIFICATIONS: SettingKey.SLA_NOTIFICATIONS,
    Feature.UPDATE_CHECKS: SettingKey.UPDATE_CHECKS,
}


class SettingLocked(ValueError):
    """A change to a setting the organisation manages."""

    def __init__(self, key: SettingKey) -> None:
        super().__init__(f"{key.value} is managed by your organization and cannot be changed here.")
        self.key = key


@dataclass(frozen=True)
class Preferences:
    """The values of the user settings outside the workspace configuration file."""

    sync_interval_minutes: int = DEFAULT_SYNC_INTERVAL_MINUTES
    sla_notifications: bool = True
    update_checks: bool = True
    update_channel: str = "stable"

    def value(self, key: SettingKey) -> object:
        """The value of ``key`` (connections have none here)."""
        return {
            SettingKey.SYNC_INTERVAL: self.sync_interval_minutes,
            SettingKey.SLA_NOTIFICATIONS: self.sla_notifications,
            SettingKey.UPDATE_CHECKS: self.update_checks,
            SettingKey.UPDATE_CHANNEL: self.update_channel,
        }.get(key)


@dataclass(frozen=True)
class ManagedPreferences:
    """The preferences in effect, the keys users may not change, and the interval bounds."""

    values: Preferences
    locked: frozenset[SettingKey]
    min_interval_minutes: int
    max_interval_minutes: int

    def is_locked(self, key: SettingKey) -> bool:
        """Whether the organisation manages ``key``."""
        return key in self.locked


def locked_keys(policy: Policy) -> frozenset[SettingKey]:
    """The user settings ``policy`` locks, named or through a feature it turns off."""
    named = {key for key in SettingKey if policy.is_locked(key.value)}
    by_feature = {
        setting for feature, setting in FEATURE_SETTINGS.items() if not policy.feature_enabled(feature)
    }
    return frozenset(named | by_feature)


def policy_values(policy: Policy) -> Preferences:
    """What the policy itself sets (its defaults where it says nothing)."""
    bounds = policy.sync_interval
    return Preferences(
        sync_interval_minutes=bounds.clamp(bounds.default_minutes or DEFAULT_SYNC_INTERVAL_MINUTES),
        sla_notifications=policy.feature_enabled(Feature.SLA_NOTIFICATIONS),
        update_checks=policy.feature_enabled(Feature.UPDATE_CHECKS),
        update_channel=policy.updates.channel,
    )


def merge_preferences(stored: Mapping[str, str | None], policy: Policy) -> ManagedPreferences:
    """The preferences in effect: the ``stored`` user values (by storage key) under ``policy``."""
    managed = policy_values(policy)
    locked = locked_keys(policy)
    bounds = policy.sync_interval

    def pick(key: SettingKey, users: _T | None, policys: _T) -> _T:
        return policys if key in locked or users is None else users

    interval = pick(
        SettingKey.SYNC_INTERVAL, _minutes(stored.get(SYNC_INTERVAL_SETTING)), managed.sync_interval_minutes
    )
    values = Preferences(
        sync_interval_minutes=bounds.clamp(interval),
        sla_notifications=pick(
            SettingKey.SLA_NOTIFICATIONS,
            _switch(stored.get(NOTIFICATIONS_SETTING)),
            managed.sla_notifications,
        ),
        update_checks=pick(
            SettingKey.UPDATE_CHECKS, _switch(stored.get(UPDATE_CHECKS_SETTING)), managed.update_checks
        ),
        update_channel=pick(
            SettingKey.UPDATE_CHANNEL, stored.get(UPDATE_CHANNEL_SETTING), managed.update_channel
        ),
    )
    return ManagedPreferences(values, locked, bounds.min_minutes, bounds.max_minutes)


def read_preferences(session: Session, policy: Policy) -> ManagedPreferences:
    """The preferences in effect for this workspace under ``policy`` (a DB-thread unit of work)."""
    stored = {storage: get_setting(session, storage) for storage in STORAGE_KEYS.values()}
    return merge_preferences(stored, policy)


def save_preferences(session: Session, policy: Policy, wanted: Preferences) -> ChangeSet:
    """Store the user's ``wanted`` preferences; raises :class:`SettingLocked` for a changed locked one."""
    current = read_preferences(session, policy)
    for key, storage in STORAGE_KEYS.items():
        value = wanted.value(key)
        if value == current.values.value(key):
            continue
        if current.is_locked(key):
            raise SettingLocked(key)
        if key is SettingKey.SYNC_INTERVAL:
            value = policy.sync_interval.clamp(int(str(value)))
        set_setting(session, storage, _stored(value))
    return ChangeSet(config=True)


def _stored(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _switch(value: str | None) -> bool | None:
    return None if value is None else value != "off"


def _minutes(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
