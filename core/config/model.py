"""The workspace configuration as frozen dataclasses: what escalation, readiness and messages follow.

Every field is required here; the shipped values live in :mod:`core.config.defaults`.
The field names are also the keys of the exported TOML file and of the stored JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.config.routing_model import Organisation, RoutingRules
from core.config.sla_model import SlaSettings


@dataclass(frozen=True)
class CustomerRequestCriteria:
    """The customer asked to escalate: any of ``phrases`` in a customer message (case-insensitive)."""

    phrases: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class ComplexityCriteria:
    """Signs that a case is technically complex; each threshold fires at "at least" its value."""

    reopen_count: int
    reopen_weight: float
    agent_touches: int
    agent_touches_weight: float
    age_days: int
    age_weight: float
    logs_attached: int
    logs_weight: float
    complex_product_areas: tuple[str, ...]
    product_area_weight: float


@dataclass(frozen=True)
class KnownDefectCriteria:
    """A likely known defect: text similar to an open case linked to a defect, 0–1 similarity."""

    similarity_threshold: float
    weight: float


@dataclass(frozen=True)
class AccountValueCriteria:
    """A valuable account: a high tier, a large ARR (whole currency units) or a renewal coming up."""

    high_value_tiers: tuple[str, ...]
    tier_weight: float
    arr_threshold: int
    arr_weight: float
    renewal_window_days: int
    renewal_weight: float


@dataclass(frozen=True)
class TierThreshold:
    """From ``min_score`` on, the recommended tier is at least ``tier``."""

    tier: int
    min_score: float


@dataclass(frozen=True)
class EscalationCriteria:
    """The rules the escalation recommendation follows, with their weights and score thresholds."""

    customer_request: CustomerRequestCriteria
    complexity: ComplexityCriteria
    known_defect: KnownDefectCriteria
    account_value: AccountValueCriteria
    tiers: tuple[TierThreshold, ...]


@dataclass(frozen=True)
class ReadinessItemRule:
    """One piece of diagnostic context and how to find it.

    It is present when one of ``patterns`` (regular expressions, case-insensitive)
    matches the description or a timeline event, or when the timeline holds an
    event of one of ``event_kinds`` (for example an attachment).
    """

    key: str
    label: str
    patterns: tuple[str, ...]
    event_kinds: tuple[str, ...]


@dataclass(frozen=True)
class ReadinessProfile:
    """Which items a team or product area requires; empty ``team``/``product_area`` match any.

    Profiles are tried in order and the first match wins (put the specific ones first).
    """

    team: str
    product_area: str
    required: tuple[str, ...]


@dataclass(frozen=True)
class ReadinessRequirements:
    """The diagnostic context escalations must carry, per team or product area."""

    items: tuple[ReadinessItemRule, ...]
    profiles: tuple[ReadinessProfile, ...]


@dataclass(frozen=True)
class ReasonCodeLabel:
    """How a reason code for escalating is shown to people."""

    code: str
    label: str


@dataclass(frozen=True)
class RootCauseCategory:
    """One category of the root-cause taxonomy closures are filed under."""

    key: str
    label: str


@dataclass(frozen=True)
class MessageTemplate:
    """A reusable customer message; sending it moves the case to ``moves_to_stage`` (a stage, or empty)."""

    id: str
    name: str
    body: str
    moves_to_stage: str


@dataclass(frozen=True)
class ReminderCadence:
    """When to remind a customer who has not confirmed a proposed resolution (business days after it)."""

    business_days: tuple[int, ...]
    propose_auto_close: bool


@dataclass(frozen=True)
class WorkspaceConfig:
    """Everything a workspace can configure about escalations, readiness, messages, routing and teams."""

    escalation: EscalationCriteria
    readiness: ReadinessRequirements
    reason_codes: tuple[ReasonCodeLabel, ...]
    root_causes: tuple[RootCauseCategory, ...]
    templates: tuple[MessageTemplate, ...]
    reminders: ReminderCadence
    routing: RoutingRules
    organisation: Organisation
    sla: SlaSettings
