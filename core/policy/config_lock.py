"""Locked sections of the workspace configuration (``config.routing`` in ``locked_settings``).

The configuration is edited as one file, so a locked section cannot be greyed out in it: an
edit that changes a locked section is refused with a problem naming the section instead
(Settings lists it, ``handoff config import`` can report it the same way).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.config import ConfigError, ConfigProblem, WorkspaceConfig, load_config
from core.config.codec import to_tree
from core.policy.model import Policy
from core.policy.runtime import current_policy
from core.policy.settings_keys import MANAGED_TEXT, locked_config_sections


def locked_section_problems(
    before: WorkspaceConfig, after: WorkspaceConfig, policy: Policy
) -> list[ConfigProblem]:
    """A problem for each section ``policy`` locks that differs between ``before`` and ``after``."""
    old, new = to_tree(before), to_tree(after)
    return [
        ConfigProblem(section, "", f"{MANAGED_TEXT.lower()}; your changes to it cannot be saved")
        for section in locked_config_sections(policy.locked_settings)
        if old.get(section) != new.get(section)
    ]


def refuse_locked_changes(session: Session, config: WorkspaceConfig, policy: Policy | None = None) -> None:
    """Raise :class:`ConfigError` if storing ``config`` would change a section the policy (default:
    the current one) locks; the stored configuration is read only when some section is locked."""
    policy = policy if policy is not None else current_policy()
    if not locked_config_sections(policy.locked_settings):
        return
    problems = locked_section_problems(load_config(session), config, policy)
    if problems:
        raise ConfigError(problems)
