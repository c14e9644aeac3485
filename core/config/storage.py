"""The workspace's configuration in its database: one settings key holding the configuration as JSON."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from core.config.defaults import default_config
from core.config.errors import ConfigError
from core.config.file_format import config_from_tree, config_to_tree
from core.config.model import WorkspaceConfig
from core.config.validation import validate
from core.domain.changes import ChangeSet
from core.settings import get_setting, set_setting

CONFIG_SETTING_KEY = "workspace.config"


def load_config(session: Session) -> WorkspaceConfig:
    """The workspace's configuration, or the shipped defaults when it never saved one."""
    stored = get_setting(session, CONFIG_SETTING_KEY)
    if stored is None:
        return default_config()
    return config_from_tree(json.loads(stored))


def save_config(session: Session, config: WorkspaceConfig, *, initiator: str | None = None) -> ChangeSet:
    """Store ``config`` for the whole workspace; an invalid one raises :class:`ConfigError`, storing nothing.

    The configuration is local to the workspace, so nothing goes to the outbox. The change set
    says ``config=True`` so that views showing configured values (templates, taxonomy) reload.
    """
    problems = validate(config)
    if problems:
        raise ConfigError(problems)
    set_setting(
        session, CONFIG_SETTING_KEY, json.dumps(config_to_tree(config), ensure_ascii=False, sort_keys=True)
    )
    return ChangeSet(config=True, initiator=initiator)
