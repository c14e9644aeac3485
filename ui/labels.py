"""Readable, translated words for the domain's enumerations (stages, priorities, event kinds, …).

Source strings are marked with ``QT_TRANSLATE_NOOP`` so ``lupdate`` finds them;
each function translates at call time, so a language change applies at once.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from core.domain.enums import CustomerTier, EventKind, NoteKind, Priority, ReasonCode, SavedView, Stage

_STAGES: dict[Stage, str] = {
    Stage.NEW: QT_TRANSLATE_NOOP("Stage", "New"),
    Stage.REQUESTED: QT_TRANSLATE_NOOP("Stage", "Requested"),
    Stage.TRIAGED: QT_TRANSLATE_NOOP("Stage", "Triaged"),
    Stage.INVESTIGATING: QT_TRANSLATE_NOOP("Stage", "Investigating"),
    Stage.AWAITING_CUSTOMER: QT_TRANSLATE_NOOP("Stage", "Awaiting customer"),
    Stage.AWAITING_ENGINEERING: QT_TRANSLATE_NOOP("Stage", "Awaiting engineering"),
    Stage.AWAITING_APPROVAL: QT_TRANSLATE_NOOP("Stage", "Awaiting approval"),
    Stage.RESOLUTION_PROPOSED: QT_TRANSLATE_NOOP("Stage", "Resolution proposed"),
    Stage.RESOLVED: QT_TRANSLATE_NOOP("Stage", "Resolved"),
    Stage.CLOSED: QT_TRANSLATE_NOOP("Stage", "Closed"),
}
_PRIORITIES: dict[Priority, str] = {
    Priority.LOW: QT_TRANSLATE_NOOP("Priority", "Low"),
    Priority.NORMAL: QT_TRANSLATE_NOOP("Priority", "Normal"),
    Priority.HIGH: QT_TRANSLATE_NOOP("Priority", "High"),
    Priority.URGENT: QT_TRANSLATE_NOOP("Priority", "Urgent"),
}
_EVENT_KINDS: dict[EventKind, str] = {
    EventKind.CUSTOMER_MESSAGE: QT_TRANSLATE_NOOP("EventKind", "Customer message"),
    EventKind.AGENT_REPLY: QT_TRANSLATE_NOOP("EventKind", "Agent reply"),
    EventKind.INTERNAL_NOTE: QT_TRANSLATE_NOOP("EventKind", "Internal note"),
    EventKind.TROUBLESHOOTING_STEP: QT_TRANSLATE_NOOP("EventKind", "Troubleshooting step"),
    EventKind.SYSTEM_LOG: QT_TRANSLATE_NOOP("EventKind", "System log"),
    EventKind.FIELD_CHANGE: QT_TRANSLATE_NOOP("EventKind", "Field change"),
    EventKind.ATTACHMENT: QT_TRANSLATE_NOOP("EventKind", "Attachment"),
}
_SAVED_VIEWS: dict[SavedView, str] = {
    SavedView.MY_CASES: QT_TRANSLATE_NOOP("SavedView", "My cases"),
    SavedView.MY_TEAM: QT_TRANSLATE_NOOP("SavedView", "My team"),
    SavedView.ALL_OPEN: QT_TRANSLATE_NOOP("SavedView", "All open"),
    SavedView.AWAITING_CUSTOMER: QT_TRANSLATE_NOOP("SavedView", "Awaiting customer"),
    SavedView.RECENTLY_RESOLVED: QT_TRANSLATE_NOOP("SavedView", "Recently resolved"),
    SavedView.ALL: QT_TRANSLATE_NOOP("SavedView", "All cases"),
    SavedView.AT_RISK: QT_TRANSLATE_NOOP("SavedView", "At risk"),
    SavedView.PROACTIVE: QT_TRANSLATE_NOOP("SavedView", "Proactive escalation"),
}
# Keyed by the stored ``core.sla.types.Metric`` values.
_SLA_METRICS: dict[str, str] = {
    "first_reply": QT_TRANSLATE_NOOP("SlaMetric", "First reply"),
    "next_reply": QT_TRANSLATE_NOOP("SlaMetric", "Next reply"),
    "periodic_update": QT_TRANSLATE_NOOP("SlaMetric", "Periodic update"),
    "resolution": QT_TRANSLATE_NOOP("SlaMetric", "Resolution"),
    "time_in_stage": QT_TRANSLATE_NOOP("SlaMetric", "Time in stage"),
}
_CUSTOMER_TIERS: dict[str, str] = {
    CustomerTier.STARTER: QT_TRANSLATE_NOOP("CustomerTier", "Starter"),
    CustomerTier.BUSINESS: QT_TRANSLATE_NOOP("CustomerTier", "Business"),
    CustomerTier.ENTERPRISE: QT_TRANSLATE_NOOP("CustomerTier", "Enterprise"),
    CustomerTier.STRATEGIC: QT_TRANSLATE_NOOP("CustomerTier", "Strategic"),
}
_REASON_CODES: dict[str, str] = {
    ReasonCode.RESOLUTION_TIME: QT_TRANSLATE_NOOP("ReasonCode", "Resolution time"),
    ReasonCode.TECHNICAL_EXPERTISE: QT_TRANSLATE_NOOP("ReasonCode", "Technical expertise"),
    ReasonCode.BUSINESS_IMPACT: QT_TRANSLATE_NOOP("ReasonCode", "Business impact"),
    ReasonCode.CUSTOMER_REQUEST: QT_TRANSLATE_NOOP("ReasonCode", "Customer request"),
    ReasonCode.KNOWN_DEFECT: QT_TRANSLATE_NOOP("ReasonCode", "Known defect"),
    ReasonCode.POLICY_EXCEPTION: QT_TRANSLATE_NOOP("ReasonCode", "Policy exception"),
}
_NOTE_KINDS: dict[str, str] = {
    NoteKind.NOTE: QT_TRANSLATE_NOOP("NoteKind", "Note"),
    NoteKind.HYPOTHESIS: QT_TRANSLATE_NOOP("NoteKind", "Hypothesis"),
    NoteKind.TEST: QT_TRANSLATE_NOOP("NoteKind", "Test"),
    NoteKind.RESULT: QT_TRANSLATE_NOOP("NoteKind", "Result"),
    NoteKind.FINDING: QT_TRANSLATE_NOOP("NoteKind", "Finding"),
    NoteKind.TROUBLESHOOTING_STEP: QT_TRANSLATE_NOOP("NoteKind", "Troubleshooting step"),
}


def _humanize(value: str) -> str:
    """A stored value we have no word for (from a newer version or a connector), made readable."""
    return value.replace("_", " ").capitalize()


def _translated(context: str, table: dict[str, str], value: str) -> str:
    source = table.get(value)
    return QCoreApplication.translate(context, source) if source else _humanize(value)


def stage_label(stage: Stage) -> str:
    """``Stage.AWAITING_CUSTOMER`` → ``"Awaiting customer"``."""
    return _translated("Stage", _STAGES, stage)


def priority_label(priority: Priority) -> str:
    """``Priority.URGENT`` → ``"Urgent"``."""
    return _translated("Priority", _PRIORITIES, priority)


def event_kind_label(kind: EventKind) -> str:
    """``EventKind.INTERNAL_NOTE`` → ``"Internal note"``."""
    return _translated("EventKind", _EVENT_KINDS, kind)


def saved_view_label(view: SavedView) -> str:
    """``SavedView.ALL_OPEN`` → ``"All open"``."""
    return _translated("SavedView", _SAVED_VIEWS, view)


def sla_metric_label(metric: str) -> str:
    """``"next_reply"`` → ``"Next reply"`` (what an SLA clock measures); "" → ``"SLA"``."""
    return (
        _translated("SlaMetric", _SLA_METRICS, metric)
        if metric
        else QCoreApplication.translate("SlaMetric", "SLA")
    )


def customer_tier_label(tier: str) -> str:
    """A customer account tier (stored as text) → ``"Enterprise"``."""
    return _translated("CustomerTier", _CUSTOMER_TIERS, tier) if tier else ""


def reason_code_label(code: str) -> str:
    """An escalation reason code (stored as text) → ``"Technical expertise"``."""
    return _translated("ReasonCode", _REASON_CODES, code)


def note_kind_label(kind: str) -> str:
    """An investigation note kind (stored as text) → ``"Hypothesis"``."""
    return _translated("NoteKind", _NOTE_KINDS, kind)


def support_tier_label(tier: int) -> str:
    """A support tier number → ``"Tier 2"``."""
    return QCoreApplication.translate("SupportTier", "Tier {0}").format(tier)
