"""The configuration Handoff ships with: used until a workspace saves its own."""

from __future__ import annotations

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
from core.config.routing_model import Organisation, PriorityWeight, RoutingRules, SkillRule, TierWeight
from core.config.sla_defaults import DEFAULT_SLA
from core.domain.enums import EventKind, Priority, ReasonCode, Stage

ESCALATION_PHRASES: tuple[str, ...] = (
    "escalate",
    "escalation",
    "manager",
    "supervisor",
    "unacceptable",
    "cancel our contract",
    "cancel our subscription",
    "speak to someone",
    "talk to someone",
    "someone senior",
    "legal action",
    "not acceptable",
)

_ESCALATION = EscalationCriteria(
    customer_request=CustomerRequestCriteria(phrases=ESCALATION_PHRASES, weight=3.0),
    complexity=ComplexityCriteria(
        reopen_count=2,
        reopen_weight=2.0,
        agent_touches=6,
        agent_touches_weight=1.0,
        age_days=7,
        age_weight=1.0,
        logs_attached=2,
        logs_weight=1.0,
        complex_product_areas=("sso", "integrations", "data", "performance"),
        product_area_weight=1.0,
    ),
    known_defect=KnownDefectCriteria(similarity_threshold=0.5, weight=3.0),
    account_value=AccountValueCriteria(
        high_value_tiers=("enterprise", "strategic"),
        tier_weight=2.0,
        arr_threshold=100_000,
        arr_weight=1.0,
        renewal_window_days=90,
        renewal_weight=1.0,
    ),
    tiers=(TierThreshold(tier=2, min_score=0.0), TierThreshold(tier=3, min_score=6.0)),
)

_READINESS_ITEMS = (
    ReadinessItemRule(
        key="product_version",
        label="Product version",
        patterns=(
            r"(?<![\d.])\d{1,2}\.\d{1,3}\.\d{1,3}(?![\d.])",
            r"\bversion\s*:?\s*v?\d+(?:\.\d+)+",
        ),
        event_kinds=(),
    ),
    ReadinessItemRule(
        key="logs_attached",
        label="Logs attached",
        patterns=(
            r"\battach(?:ed|ing)\b[^.\n]*\b(?:logs?|HAR|bundle|trace)\b",
            r"\battached\s+[\w.-]+\.(?:log|txt|har|zip|gz|json)\b",
        ),
        event_kinds=(EventKind.SYSTEM_LOG.value,),
    ),
    ReadinessItemRule(
        key="steps_to_reproduce",
        label="Steps to reproduce",
        patterns=(
            r"\bsteps to reproduce\b",
            r"\brepro(?:duction)? steps\b",
            r"(?m)^\s*1[.)]\s+\S.*\n\s*2[.)]\s+\S",
        ),
        event_kinds=(),
    ),
    ReadinessItemRule(
        key="customer_impact",
        label="Customer impact",
        patterns=(
            r"\b(?:users?|people|customers|agents|employees|staff)\s+(?:are\s+|were\s+)?affected\b",
            r"\baffect(?:s|ing)?\s+(?:about\s+|roughly\s+|around\s+|all\s+)?\d[\d,]*",
            r"\b\d[\d,]*\s+(?:users|people|customers|agents|employees|stores|sites)\b",
            r"\bblocking\b",
            r"\bbusiness impact\b",
            r"\boutage\b",
            r"\bproduction (?:is )?down\b",
        ),
        event_kinds=(),
    ),
    ReadinessItemRule(
        key="environment",
        label="Operating system and browser",
        patterns=(
            r"\b(?:Windows|macOS|Ubuntu|Linux|iOS|Android)\b",
            r"\b(?:Chrome|Firefox|Safari|Edge)\s+\d+",
        ),
        event_kinds=(),
    ),
)

_STANDARD_ITEMS = ("product_version", "logs_attached", "steps_to_reproduce", "customer_impact")

_READINESS = ReadinessRequirements(
    items=_READINESS_ITEMS,
    profiles=(
        ReadinessProfile(
            team="",
            product_area="sso",
            required=("environment", "logs_attached", "steps_to_reproduce", "customer_impact"),
        ),
        ReadinessProfile(
            team="",
            product_area="mobile",
            required=("product_version", "environment", "steps_to_reproduce", "customer_impact"),
        ),
        ReadinessProfile(team="", product_area="", required=_STANDARD_ITEMS),
    ),
)

REASON_CODE_LABELS: dict[ReasonCode, str] = {
    ReasonCode.RESOLUTION_TIME: "Resolution time at risk",
    ReasonCode.TECHNICAL_EXPERTISE: "Needs technical expertise",
    ReasonCode.BUSINESS_IMPACT: "Business impact",
    ReasonCode.CUSTOMER_REQUEST: "Customer request",
    ReasonCode.KNOWN_DEFECT: "Known product defect",
    ReasonCode.POLICY_EXCEPTION: "Policy exception",
}

_ROOT_CAUSES = (
    RootCauseCategory(key="product_defect", label="Product defect"),
    RootCauseCategory(key="configuration", label="Configuration"),
    RootCauseCategory(key="documentation_gap", label="Documentation gap"),
    RootCauseCategory(key="third_party", label="Third-party system"),
    RootCauseCategory(key="customer_environment", label="Customer environment"),
    RootCauseCategory(key="data", label="Data problem"),
    RootCauseCategory(key="user_error", label="User error"),
    RootCauseCategory(key="capacity", label="Capacity or performance limit"),
    RootCauseCategory(key="security", label="Security"),
    RootCauseCategory(key="unknown", label="Unknown"),
)

_TEMPLATES = (
    MessageTemplate(
        id="acknowledge_escalation",
        name="Acknowledge the escalation",
        body=(
            "Hello {contact_name},\n\n"
            "your case {case_number} ({subject}) is now with our specialist team; {specialist} is working "
            "on it. You will hear from us by {next_update_due} at the latest.\n\n"
            "Best regards,\n{specialist}"
        ),
        moves_to_stage="",
    ),
    MessageTemplate(
        id="request_information",
        name="Request information",
        body=(
            "Hello {contact_name},\n\n"
            "to continue with case {case_number} we need a little more information:\n\n"
            "- the product version you are using\n"
            "- the exact steps that lead to the problem\n"
            "- logs or a screenshot of the error, if you have them\n\n"
            "As soon as we have them we will pick the case up again.\n\n"
            "Best regards,\n{specialist}"
        ),
        moves_to_stage=Stage.AWAITING_CUSTOMER.value,
    ),
    MessageTemplate(
        id="status_update",
        name="Status update",
        body=(
            "Hello {contact_name},\n\n"
            "a quick update on case {case_number}: we are still investigating. "
            "Our next update will follow by {next_update_due}.\n\n"
            "Best regards,\n{specialist}"
        ),
        moves_to_stage="",
    ),
    MessageTemplate(
        id="closure_notice",
        name="Closure notice",
        body=(
            "Hello {contact_name},\n\n"
            "thank you for confirming. We are closing case {case_number} ({subject}) for {customer_name}. "
            "If the problem comes back, reply to this message and we will reopen it.\n\n"
            "Best regards,\n{specialist}"
        ),
        moves_to_stage="",
    ),
)


DEFAULT_ROUTING = RoutingRules(
    # Salesforce's model: a specialist with capacity 6 holds three normal cases of weight 2.
    priority_weights=(
        PriorityWeight(priority=Priority.LOW.value, weight=1),
        PriorityWeight(priority=Priority.NORMAL.value, weight=2),
        PriorityWeight(priority=Priority.HIGH.value, weight=2),
        PriorityWeight(priority=Priority.URGENT.value, weight=3),
    ),
    tier_weights=(TierWeight(tier=3, extra=1),),
    # Active work only: cases waiting on the customer (or on their confirmation) do not count.
    load_stages=(
        Stage.REQUESTED.value,
        Stage.TRIAGED.value,
        Stage.INVESTIGATING.value,
        Stage.AWAITING_ENGINEERING.value,
        Stage.AWAITING_APPROVAL.value,
    ),
    skills=(
        SkillRule(kind="area", min_level=5, required=True, relax_order=0),
        SkillRule(kind="type", min_level=4, required=False, relax_order=1),
        SkillRule(kind="lang", min_level=6, required=False, relax_order=2),
    ),
    default_capacity=6,
)


def default_config() -> WorkspaceConfig:
    """The configuration a new workspace starts with."""
    return WorkspaceConfig(
        escalation=_ESCALATION,
        readiness=_READINESS,
        reason_codes=tuple(
            ReasonCodeLabel(code=code.value, label=label) for code, label in REASON_CODE_LABELS.items()
        ),
        root_causes=_ROOT_CAUSES,
        templates=_TEMPLATES,
        reminders=ReminderCadence(business_days=(2, 5), propose_auto_close=True),
        routing=DEFAULT_ROUTING,
        organisation=Organisation(teams=(), people=()),
        sla=DEFAULT_SLA,
    )
