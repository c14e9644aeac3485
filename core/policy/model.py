"""The policy an organisation sets for every user of Handoff on a machine (frozen, validated)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Feature(StrEnum):
    """Optional parts of Handoff a policy may turn off (all are on without a policy)."""

    SLA_NOTIFICATIONS = "sla_notifications"  # pop-ups when a case nears or breaches its SLA
    TRAY_ICON = "tray_icon"  # the system tray icon with its at-risk badge
    DEMO = "demo"  # ``handoff demo`` and its sandbox helpdesk on 127.0.0.1
    UPDATE_CHECKS = "update_checks"  # the daily check for a newer, signed release


@dataclass(frozen=True)
class PresetConnection:
    """A helpdesk connection the organisation sets up for its users (never with a secret)."""

    kind: str
    name: str
    url: str
    auth_method: str


@dataclass(frozen=True)
class IntervalBounds:
    """The background sync interval users may choose, in minutes (``default`` within the bounds)."""

    min_minutes: int = 1
    max_minutes: int = 1440
    default_minutes: int | None = None

    def clamp(self, minutes: int) -> int:
        """``minutes`` brought within the bounds."""
        return max(self.min_minutes, min(self.max_minutes, minutes))


@dataclass(frozen=True)
class UpdatePolicy:
    """Which release channel the app follows and where its signed manifest is (None: the built-in URL)."""

    channel: str = "stable"
    url: str | None = None


@dataclass(frozen=True)
class Policy:
    """The effective IT policy; :data:`DEFAULT_POLICY` when there is none (nothing pinned).

    ``allowed_hosts`` None means every host is allowed (an empty tuple: none is); an entry
    ``*.example.com`` allows the subdomains of ``example.com``.
    ``locked_settings`` holds :class:`core.policy.SettingKey` values.
    """

    connections: tuple[PresetConnection, ...] = ()
    allowed_hosts: tuple[str, ...] | None = None
    sync_interval: IntervalBounds = field(default_factory=IntervalBounds)
    disabled_features: frozenset[Feature] = frozenset()
    updates: UpdatePolicy = field(default_factory=UpdatePolicy)
    ca_bundle: str | None = None
    locked_settings: frozenset[str] = frozenset()

    def feature_enabled(self, feature: Feature) -> bool:
        """Whether the optional ``feature`` may be used."""
        return feature not in self.disabled_features

    def is_locked(self, setting: str) -> bool:
        """Whether users may not change ``setting`` (a :class:`core.policy.SettingKey` value)."""
        return setting in self.locked_settings


DEFAULT_POLICY = Policy()
