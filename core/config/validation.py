"""Rules a configuration must follow beyond its types: ranges, known names, valid patterns, no duplicates."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from core.config.checker import Checker
from core.config.errors import ConfigProblem
from core.config.model import (
    AccountValueCriteria,
    ComplexityCriteria,
    EscalationCriteria,
    ReadinessRequirements,
    ReminderCadence,
    WorkspaceConfig,
)
from core.config.organisation_validation import check_organisation, check_routing
from core.config.placeholders import PLACEHOLDERS, placeholders_in
from core.config.sla_validation import check_sla
from core.domain.enums import EventKind, ReasonCode, Stage


def validate(config: WorkspaceConfig) -> list[ConfigProblem]:
    """Every problem of ``config`` (empty when it can be used)."""
    checker = Checker()
    for check in _CHECKS:
        check(checker, config)
    return checker.problems


def _check_escalation(checker: Checker, config: WorkspaceConfig) -> None:
    criteria: EscalationCriteria = config.escalation
    request = criteria.customer_request
    checker.texts("escalation.customer_request", "phrases", request.phrases)
    checker.at_least("escalation.customer_request", "weight", request.weight, 0)
    _check_complexity(checker, criteria.complexity)
    defect = criteria.known_defect
    if not 0 < defect.similarity_threshold <= 1:
        checker.fail(
            "escalation.known_defect",
            "similarity_threshold",
            "must be above 0 and at most 1 (the share of distinctive terms in common), "
            f"not {defect.similarity_threshold:g}",
        )
    checker.at_least("escalation.known_defect", "weight", defect.weight, 0)
    _check_account_value(checker, criteria.account_value)
    _check_tiers(checker, criteria)


def _check_complexity(checker: Checker, complexity: ComplexityCriteria) -> None:
    section = "escalation.complexity"
    for name in ("reopen_count", "agent_touches", "age_days", "logs_attached"):
        checker.at_least(section, name, getattr(complexity, name), 1)
    checker.weights(
        section,
        complexity,
        ("reopen_weight", "agent_touches_weight", "age_weight", "logs_weight", "product_area_weight"),
    )
    for index, area in enumerate(complexity.complex_product_areas, 1):
        checker.key(section, f"complex_product_areas[{index}]", area)


def _check_account_value(checker: Checker, account: AccountValueCriteria) -> None:
    section = "escalation.account_value"
    checker.texts(section, "high_value_tiers", account.high_value_tiers)
    checker.at_least(section, "arr_threshold", account.arr_threshold, 0)
    checker.at_least(section, "renewal_window_days", account.renewal_window_days, 0)
    checker.weights(section, account, ("tier_weight", "arr_weight", "renewal_weight"))


def _check_tiers(checker: Checker, criteria: EscalationCriteria) -> None:
    section = "escalation.tiers"
    if not criteria.tiers:
        checker.fail(section, "", "must list at least one tier with its min_score")
        return
    for index, threshold in enumerate(criteria.tiers, 1):
        checker.at_least(f"{section}[{index}]", "tier", threshold.tier, 2)
        checker.at_least(f"{section}[{index}]", "min_score", threshold.min_score, 0)
    checker.unique(section, "tier", [str(threshold.tier) for threshold in criteria.tiers])
    ordered = sorted(criteria.tiers, key=lambda threshold: threshold.tier)
    for lower, higher in itertools.pairwise(ordered):
        if higher.min_score <= lower.min_score:
            checker.fail(
                section,
                "min_score",
                f"tier {higher.tier} needs a higher min_score than tier {lower.tier} "
                f"({higher.min_score:g} is not above {lower.min_score:g})",
            )
    if ordered[0].min_score != 0:
        checker.fail(
            f"{section}[{criteria.tiers.index(ordered[0]) + 1}]",
            "min_score",
            f"the lowest tier ({ordered[0].tier}) must start at 0, so every case gets a recommendation",
        )


def _check_readiness(checker: Checker, config: WorkspaceConfig) -> None:
    readiness: ReadinessRequirements = config.readiness
    kinds = [kind.value for kind in EventKind]
    for index, item in enumerate(readiness.items, 1):
        section = f"readiness.items[{index}]"
        checker.key(section, "key", item.key)
        checker.text(section, "label", item.label)
        if not item.patterns and not item.event_kinds:
            checker.fail(section, "patterns", "give at least one pattern or event kind that detects the item")
        for number, pattern in enumerate(item.patterns, 1):
            try:
                re.compile(pattern)
            except re.error as error:
                checker.fail(section, f"patterns[{number}]", f"not a valid regular expression: {error}")
        for number, kind in enumerate(item.event_kinds, 1):
            checker.member(section, f"event_kinds[{number}]", kind, kinds)
    checker.unique("readiness.items", "key", [item.key for item in readiness.items])
    known = [item.key for item in readiness.items]
    for index, profile in enumerate(readiness.profiles, 1):
        section = f"readiness.profiles[{index}]"
        for number, required in enumerate(profile.required, 1):
            checker.member(section, f"required[{number}]", required, known)


def _check_reason_codes(checker: Checker, config: WorkspaceConfig) -> None:
    if not config.reason_codes:
        checker.fail("reason_codes", "", "must list at least one reason code")
    for index, reason in enumerate(config.reason_codes, 1):
        checker.member(f"reason_codes[{index}]", "code", reason.code, [code.value for code in ReasonCode])
        checker.text(f"reason_codes[{index}]", "label", reason.label)
    checker.unique("reason_codes", "code", [reason.code for reason in config.reason_codes])


def _check_root_causes(checker: Checker, config: WorkspaceConfig) -> None:
    if not config.root_causes:
        checker.fail("root_causes", "", "must list at least one category")
    for index, cause in enumerate(config.root_causes, 1):
        checker.key(f"root_causes[{index}]", "key", cause.key)
        checker.text(f"root_causes[{index}]", "label", cause.label)
    checker.unique("root_causes", "key", [cause.key for cause in config.root_causes])


def _check_templates(checker: Checker, config: WorkspaceConfig) -> None:
    stages = [""] + [stage.value for stage in Stage]
    for index, template in enumerate(config.templates, 1):
        section = f"templates[{index}]"
        checker.key(section, "id", template.id)
        checker.text(section, "name", template.name)
        checker.text(section, "body", template.body)
        unknown = sorted(set(placeholders_in(template.body)) - set(PLACEHOLDERS))
        if unknown:
            checker.fail(
                section,
                "body",
                f"unknown placeholder{'s' if len(unknown) > 1 else ''} "
                f"{', '.join('{' + name + '}' for name in unknown)}; "
                f"available: {', '.join('{' + name + '}' for name in PLACEHOLDERS)}",
            )
        checker.member(section, "moves_to_stage", template.moves_to_stage, stages)
    checker.unique("templates", "id", [template.id for template in config.templates])


def _check_reminders(checker: Checker, config: WorkspaceConfig) -> None:
    reminders: ReminderCadence = config.reminders
    if not reminders.business_days:
        checker.fail("reminders", "business_days", "must list at least one day, for example [2, 5]")
    for index, days in enumerate(reminders.business_days, 1):
        checker.at_least("reminders", f"business_days[{index}]", days, 1)
    if list(reminders.business_days) != sorted(set(reminders.business_days)):
        checker.fail(
            "reminders", "business_days", "must go up from one reminder to the next, for example [2, 5]"
        )


_CHECKS: tuple[Callable[[Checker, WorkspaceConfig], None], ...] = (
    _check_escalation,
    _check_readiness,
    _check_reason_codes,
    _check_root_causes,
    _check_templates,
    _check_reminders,
    check_routing,
    check_organisation,
    check_sla,
)
