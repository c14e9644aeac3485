"""The IT policy: a system-wide file (or registry key) that pins settings for every user.

:mod:`core.policy.validation` checks a policy document key by key; :mod:`core.policy.loader`
finds and reads it (with ``HANDOFF_POLICY_FILE`` for tests and developers);
:mod:`core.policy.hosts` refuses connections to hosts the policy does not allow;
:mod:`core.policy.preferences` merges the policy over the user's own settings.
"""

from core.policy.hosts import HostNotAllowed, check_connection_host, host_allowed, refused_connections
from core.policy.loader import (
    POLICY_FILE_ENV,
    LoadedPolicy,
    PolicySource,
    load_policy,
    load_policy_file,
    system_policy_path,
)
from core.policy.model import (
    DEFAULT_POLICY,
    Feature,
    IntervalBounds,
    Policy,
    PresetConnection,
    UpdatePolicy,
)
from core.policy.problems import PolicyProblem
from core.policy.runtime import current_policy, set_current_policy
from core.policy.settings_keys import LOCKABLE_SETTINGS, MANAGED_TEXT, SettingKey
from core.policy.validation import POLICY_VERSION, ValidatedPolicy, parse_policy_text, validate_policy

__all__ = [
    "DEFAULT_POLICY",
    "LOCKABLE_SETTINGS",
    "MANAGED_TEXT",
    "POLICY_FILE_ENV",
    "POLICY_VERSION",
    "Feature",
    "HostNotAllowed",
    "IntervalBounds",
    "LoadedPolicy",
    "Policy",
    "PolicyProblem",
    "PolicySource",
    "PresetConnection",
    "SettingKey",
    "UpdatePolicy",
    "ValidatedPolicy",
    "check_connection_host",
    "current_policy",
    "host_allowed",
    "load_policy",
    "load_policy_file",
    "parse_policy_text",
    "refused_connections",
    "set_current_policy",
    "system_policy_path",
    "validate_policy",
]
