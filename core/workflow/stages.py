"""The stages of an escalation and the transitions between them, as data (PRODUCT.md).

Decisions kept small on purpose:

- ``new`` is a tier-1 case; escalating it is the only way out (to ``requested``).
- Re-escalation to a higher tier is allowed from every open escalated stage,
  ``requested`` included (a lead may see at once that tier 3 is needed); it
  always lands in ``requested``, which starts a new SLA cycle.
- ``resolution_proposed`` goes on to ``resolved`` when the customer confirms,
  or back to ``investigating`` (recorded as *returned*) when it did not work.
- ``resolved`` can be reopened to ``investigating`` until it is closed.
- ``closed`` is final. Helpdesks treat a closed ticket the same way (Zendesk
  never reopens one); a customer who comes back gets a follow-up case, so the
  closure record that trend analysis reads is never rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from core.domain.enums import Stage
from core.workflow.errors import IllegalTransitionError

STAGE_NAMES: Mapping[Stage, str] = MappingProxyType(
    {
        Stage.NEW: "New",
        Stage.REQUESTED: "Requested",
        Stage.TRIAGED: "Triaged",
        Stage.INVESTIGATING: "Investigating",
        Stage.AWAITING_CUSTOMER: "Awaiting customer",
        Stage.AWAITING_ENGINEERING: "Awaiting engineering",
        Stage.AWAITING_APPROVAL: "Awaiting approval",
        Stage.RESOLUTION_PROPOSED: "Resolution proposed",
        Stage.RESOLVED: "Resolved",
        Stage.CLOSED: "Closed",
    }
)

WAITING_STAGES: frozenset[Stage] = frozenset(
    {Stage.AWAITING_CUSTOMER, Stage.AWAITING_ENGINEERING, Stage.AWAITING_APPROVAL}
)

# The open stages of an escalated case: from each of them a higher tier can be requested.
RE_ESCALATION_SOURCES: frozenset[Stage] = frozenset(
    {Stage.REQUESTED, Stage.TRIAGED, Stage.INVESTIGATING, Stage.RESOLUTION_PROPOSED} | WAITING_STAGES
)

_FORWARD: dict[Stage, frozenset[Stage]] = {
    Stage.NEW: frozenset({Stage.REQUESTED}),
    Stage.REQUESTED: frozenset({Stage.TRIAGED}),
    Stage.TRIAGED: frozenset({Stage.INVESTIGATING}),
    Stage.INVESTIGATING: WAITING_STAGES | {Stage.RESOLUTION_PROPOSED},
    Stage.AWAITING_CUSTOMER: frozenset({Stage.INVESTIGATING}),
    Stage.AWAITING_ENGINEERING: frozenset({Stage.INVESTIGATING}),
    Stage.AWAITING_APPROVAL: frozenset({Stage.INVESTIGATING}),
    Stage.RESOLUTION_PROPOSED: frozenset({Stage.RESOLVED, Stage.INVESTIGATING}),
    Stage.RESOLVED: frozenset({Stage.CLOSED, Stage.INVESTIGATING}),
    Stage.CLOSED: frozenset(),
}

ALLOWED_TRANSITIONS: Mapping[Stage, frozenset[Stage]] = MappingProxyType(
    {
        stage: targets | ({Stage.REQUESTED} if stage in RE_ESCALATION_SOURCES else frozenset())
        for stage, targets in _FORWARD.items()
    }
)


def stage_name(stage: Stage) -> str:
    """The stage as a user reads it ("Awaiting customer")."""
    return STAGE_NAMES[stage]


def allowed_next(stage: Stage) -> tuple[Stage, ...]:
    """The stages a case in ``stage`` can go to, in workflow order."""
    targets = ALLOWED_TRANSITIONS[stage]
    return tuple(candidate for candidate in Stage if candidate in targets)


def is_re_escalation(from_stage: Stage, to_stage: Stage) -> bool:
    """Whether going from ``from_stage`` to ``to_stage`` starts a new, higher-tier escalation."""
    return to_stage is Stage.REQUESTED and from_stage in RE_ESCALATION_SOURCES


def check_transition(from_stage: Stage, to_stage: Stage) -> None:
    """Refuse an illegal transition with a message that lists what is allowed instead."""
    if to_stage in ALLOWED_TRANSITIONS[from_stage]:
        return
    refused = f"A case in {stage_name(from_stage)} cannot go to {stage_name(to_stage)}."
    targets = allowed_next(from_stage)
    if not targets:
        raise IllegalTransitionError(
            f"{refused} {stage_name(from_stage)} is final: if the customer needs more help, "
            "open a follow-up case."
        )
    names = ", ".join(_target_name(from_stage, target) for target in targets)
    raise IllegalTransitionError(f"{refused} From {stage_name(from_stage)} it can go to: {names}.")


def _target_name(from_stage: Stage, to_stage: Stage) -> str:
    if from_stage is not Stage.NEW and is_re_escalation(from_stage, to_stage):
        return f"{stage_name(to_stage)} (re-escalation to a higher tier)"
    return stage_name(to_stage)
