"""Case intelligence: escalation recommendation, readiness check, case summary, similar past cases.

Everything here is deterministic and explainable: the same case and
configuration give the same answer, and each answer says where it came from.
Functions that take a session are units of work for the DB thread.
"""

from __future__ import annotations

from core.intelligence.environment_facts import EnvironmentFact, FactKind
from core.intelligence.readiness import Readiness, ReadinessItem, check_readiness
from core.intelligence.recommendation import Recommendation, recommend_escalation
from core.intelligence.signals import DEFAULT_EVALUATORS, Signal, SignalEvaluator, SignalInputs
from core.intelligence.similar_cases import SimilarCase, similar_resolved_cases
from core.intelligence.summary import CaseSummary, SummaryLine, summarize_case

__all__ = [
    "DEFAULT_EVALUATORS",
    "CaseSummary",
    "EnvironmentFact",
    "FactKind",
    "Readiness",
    "ReadinessItem",
    "Recommendation",
    "Signal",
    "SignalEvaluator",
    "SignalInputs",
    "SimilarCase",
    "SummaryLine",
    "check_readiness",
    "recommend_escalation",
    "similar_resolved_cases",
    "summarize_case",
]
