"""The settings a policy can lock, by the key an administrator writes in ``locked_settings``."""

from __future__ import annotations

import dataclasses
from enum import StrEnum

from core.config.model import WorkspaceConfig

# What a locked setting says, next to it and in its tooltip.
MANAGED_TEXT = "Managed by your organization"

CONFIG_PREFIX = "config."


class SettingKey(StrEnum):
    """A user setting outside the workspace configuration file."""

    SYNC_INTERVAL = "sync.interval_minutes"
    SLA_NOTIFICATIONS = "notifications.sla_popups"
    UPDATE_CHECKS = "updates.check"
    UPDATE_CHANNEL = "updates.channel"
    CONNECTIONS = "connections"  # adding, editing and removing helpdesk connections


def config_section_keys() -> tuple[str, ...]:
    """``config.<section>`` for every section of the workspace configuration (``config.routing``)."""
    return tuple(f"{CONFIG_PREFIX}{field.name}" for field in dataclasses.fields(WorkspaceConfig))


LOCKABLE_SETTINGS: tuple[str, ...] = (*(key.value for key in SettingKey), *config_section_keys())


def locked_config_sections(locked: frozenset[str]) -> tuple[str, ...]:
    """The workspace configuration sections (``routing``) among the ``locked`` setting keys."""
    return tuple(key.removeprefix(CONFIG_PREFIX) for key in config_section_keys() if key in locked)
