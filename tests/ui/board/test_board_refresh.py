"""Planning board updates: a layout per lane and person, and the card steps from one board to the next."""

from __future__ import annotations

from core.domain.enums import Priority
from tests.ui.board.dtos import (
    ANA,
    BILLING,
    MARCO,
    PRIYA,
    SSO,
    card,
    in_board_order,
    sample_board,
    with_cards,
)
from ui.board.board_refresh import (
    InsertCard,
    MoveCard,
    RemoveCard,
    layout_board,
    plan_card_steps,
    same_structure,
)


def _slots(board_layout: object) -> dict[tuple[int, int | None], tuple[int, ...]]:
    return {
        (lane.lane.team_id, slot.person_id): slot.case_ids
        for lane in board_layout  # type: ignore[attr-defined]
        for slot in lane.slots
    }


def test_layout_puts_unassigned_first_then_members_then_outsiders() -> None:
    board = with_cards(sample_board(), card(7, BILLING, PRIYA))
    slots = _slots(layout_board(board))
    assert list(slots) == [
        (SSO, None),
        (SSO, PRIYA),
        (SSO, MARCO),
        (BILLING, None),
        (BILLING, ANA),
        (BILLING, PRIYA),
    ]
    assert slots[(SSO, None)] == (2, 4)
    assert slots[(BILLING, PRIYA)] == (7,)


def test_unchanged_board_needs_no_steps() -> None:
    layout = layout_board(sample_board())
    assert plan_card_steps(layout, layout_board(sample_board())) == []


def test_card_changing_lane_is_one_move_to_its_new_row() -> None:
    old = sample_board()
    new = with_cards(old, card(2, BILLING, ANA))
    assert plan_card_steps(layout_board(old), layout_board(new)) == [MoveCard(2, (BILLING, ANA), 0)]


def test_new_and_gone_cards_are_inserted_and_removed() -> None:
    old = sample_board()
    new = with_cards(old, card(9, SSO, MARCO), drop=(4,))
    steps = plan_card_steps(layout_board(old), layout_board(new))
    assert steps == [RemoveCard(4), InsertCard(9, (SSO, MARCO), 1)]


def test_applying_the_steps_gives_the_new_layout() -> None:
    old = sample_board()
    new = with_cards(
        old, card(1, SSO, None), card(4, SSO, MARCO), card(6, SSO, PRIYA), card(8, BILLING, None), drop=(3,)
    )
    state = {key: list(ids) for key, ids in _slots(layout_board(old)).items()}
    for step in plan_card_steps(layout_board(old), layout_board(new)):
        for ids in state.values():
            if step.case_id in ids:
                ids.remove(step.case_id)
        if not isinstance(step, RemoveCard):
            state[step.slot].insert(step.row, step.case_id)
    assert {key: tuple(ids) for key, ids in state.items()} == _slots(layout_board(new))


def test_structure_differs_when_someone_outside_the_team_gets_a_card() -> None:
    old = sample_board()
    assert same_structure(layout_board(old), layout_board(with_cards(old, card(2, SSO, MARCO))))
    assert not same_structure(layout_board(old), layout_board(with_cards(old, card(2, SSO, ANA))))


def test_card_becoming_urgent_moves_up_within_its_row() -> None:
    old = sample_board()
    new = with_cards(old, card(4, SSO, None, priority=Priority.URGENT))
    new_order = in_board_order(new)
    assert plan_card_steps(layout_board(old), layout_board(new_order)) == [MoveCard(4, (SSO, None), 0)]
