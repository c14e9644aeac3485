"""The transition table itself: what is allowed, and how a refusal reads."""

from __future__ import annotations

import itertools

import pytest

from core.domain.enums import Stage
from core.workflow.errors import IllegalTransitionError
from core.workflow.stages import ALLOWED_TRANSITIONS, allowed_next, check_transition, stage_name


def test_the_table_covers_every_stage_and_follows_the_product_brief() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(Stage)
    assert allowed_next(Stage.NEW) == (Stage.REQUESTED,)
    assert allowed_next(Stage.TRIAGED) == (Stage.REQUESTED, Stage.INVESTIGATING)
    assert allowed_next(Stage.INVESTIGATING) == (
        Stage.REQUESTED,
        Stage.AWAITING_CUSTOMER,
        Stage.AWAITING_ENGINEERING,
        Stage.AWAITING_APPROVAL,
        Stage.RESOLUTION_PROPOSED,
    )
    for waiting in (Stage.AWAITING_CUSTOMER, Stage.AWAITING_ENGINEERING, Stage.AWAITING_APPROVAL):
        assert allowed_next(waiting) == (Stage.REQUESTED, Stage.INVESTIGATING)
    assert allowed_next(Stage.RESOLUTION_PROPOSED) == (Stage.REQUESTED, Stage.INVESTIGATING, Stage.RESOLVED)
    assert allowed_next(Stage.RESOLVED) == (Stage.INVESTIGATING, Stage.CLOSED)
    assert allowed_next(Stage.CLOSED) == ()


def test_a_refusal_names_the_stages_in_words_and_what_is_allowed_instead() -> None:
    with pytest.raises(IllegalTransitionError) as refused:
        check_transition(Stage.REQUESTED, Stage.RESOLVED)
    assert str(refused.value) == (
        "A case in Requested cannot go to Resolved. From Requested it can go to: "
        "Requested (re-escalation to a higher tier), Triaged."
    )


def test_a_closed_case_is_final_and_the_refusal_says_what_to_do() -> None:
    with pytest.raises(IllegalTransitionError, match=r"Closed is final: .* open a follow-up case"):
        check_transition(Stage.CLOSED, Stage.INVESTIGATING)


@pytest.mark.parametrize(("from_stage", "to_stage"), list(itertools.product(Stage, Stage)))
def test_every_pair_is_either_allowed_or_refused_with_the_allowed_list(
    from_stage: Stage, to_stage: Stage
) -> None:
    if to_stage in ALLOWED_TRANSITIONS[from_stage]:
        check_transition(from_stage, to_stage)
        return
    with pytest.raises(IllegalTransitionError) as refused:
        check_transition(from_stage, to_stage)
    message = str(refused.value)
    assert message.startswith(f"A case in {stage_name(from_stage)} cannot go to {stage_name(to_stage)}.")
    for allowed in allowed_next(from_stage):
        assert stage_name(allowed) in message
