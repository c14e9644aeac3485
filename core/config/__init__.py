"""The workspace configuration: escalation criteria, readiness requirements, reason codes,
root-cause taxonomy, message templates and reminder cadence.

Defaults ship in code (:func:`default_config`); a workspace stores its own in the
database (:func:`load_config`, :func:`save_config`) and exchanges it as one TOML
file (:func:`export_config`, :func:`parse_config`).
"""

from __future__ import annotations

from core.config.defaults import default_config
from core.config.errors import ConfigError, ConfigProblem
from core.config.file_format import export_config, parse_config
from core.config.model import (
    AccountValueCriteria,
    ComplexityCriteria,
    CustomerRequestCriteria,
    EscalationCriteria,
    KnownDefectCriteria,
    MessageTemplate,
    ReadinessItemRule,
    ReadinessProfile,
    ReadinessRequirements,
    ReasonCodeLabel,
    ReminderCadence,
    RootCauseCategory,
    TierThreshold,
    WorkspaceConfig,
)
from core.config.placeholders import PLACEHOLDERS, render_template
from core.config.storage import load_config, save_config

__all__ = [
    "PLACEHOLDERS",
    "AccountValueCriteria",
    "ComplexityCriteria",
    "ConfigError",
    "ConfigProblem",
    "CustomerRequestCriteria",
    "EscalationCriteria",
    "KnownDefectCriteria",
    "MessageTemplate",
    "ReadinessItemRule",
    "ReadinessProfile",
    "ReadinessRequirements",
    "ReasonCodeLabel",
    "ReminderCadence",
    "RootCauseCategory",
    "TierThreshold",
    "WorkspaceConfig",
    "default_config",
    "export_config",
    "load_config",
    "parse_config",
    "render_template",
    "save_config",
]
