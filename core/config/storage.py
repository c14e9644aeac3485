"""The workspace's configuration in its database.

One settings key holds the configuration as JSON, without the organisation:
teams, people and skills live in their own tables (see
:mod:`core.config.organisation_storage`) and are read from and written to them
together with the rest.
"""

from __future__ import annotations

import dataclasses
import json

from sqlalchemy.orm import Session

from core.config.defaults import default_config
from core.config.errors import ConfigError
from core.config.file_format import config_from_tree, config_to_tree
from core.config.model import WorkspaceConfig
from core.config.organisation_storage import (
    EMPTY_ORGANISATION,
    apply_organisation,
    load_organisation,
    organisation_problems,
)
from core.config.validation import validate
from core.domain.changes import ChangeSet
from core.settings import get_setting, set_setting

CONFIG_SETTING_KEY = "workspace.config"


def load_config(session: Session) -> WorkspaceConfig:
    """The workspace's configuration (the shipped defaults until it saves its own) and its organisation."""
    return dataclasses.replace(load_stored_config(session), organisation=load_organisation(session))


def load_stored_config(session: Session) -> WorkspaceConfig:
    """The configuration without reading the organisation's tables (its ``organisation`` is empty).

    For readers that need only rules (routing, templates, cadence) and read the organisation their own way.
    """
    stored = get_setting(session, CONFIG_SETTING_KEY)
    return default_config() if stored is None else config_from_tree(json.loads(stored))


def save_config(session: Session, config: WorkspaceConfig, *, initiator: str | None = None) -> ChangeSet:
    """Store ``config`` for the whole workspace; an invalid one raises :class:`ConfigError`, storing nothing.

    Besides the rules of the configuration itself, the organisation is checked
    against the workspace (product areas it has, teams its cases still refer to).
    An organisation without teams and people leaves the workspace's one as it is.
    The configuration is local to the workspace, so nothing goes to the outbox. The
    change set says ``config=True`` so that views showing configured values
    (templates, taxonomy) reload, and names the teams that were added, changed
    (their settings or members) or removed.
    """
    problems = [*validate(config), *organisation_problems(session, config.organisation)]
    if problems:
        raise ConfigError(problems)
    stored = dataclasses.replace(config, organisation=EMPTY_ORGANISATION)
    set_setting(
        session, CONFIG_SETTING_KEY, json.dumps(config_to_tree(stored), ensure_ascii=False, sort_keys=True)
    )
    teams = apply_organisation(session, config.organisation)
    return ChangeSet(config=True, teams=teams, initiator=initiator)
