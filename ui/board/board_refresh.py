"""Pure planning of board updates: where each card sits, and the steps from one board to the next.

A board is laid out as lanes of *slots* (person swimlanes): the "Unassigned" slot
first, then the lane's members, then anyone else a card of the lane is assigned
to (someone from another team), by name. :func:`plan_card_steps` turns the layout
of the board on screen into the layout of a newer board as removals, moves and
insertions of single cards, applied one after the other, so the model can report
each as ``beginRemoveRows``/``beginMoveRows``/``beginInsertRows`` instead of a reset
(no flicker, selection and scroll positions kept).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.queries.board import Board, BoardCard, BoardLane, BoardPerson
from core.routing.types import Presence

SlotKey = tuple[int, int | None]
"""(team id, person id), person None for the lane's "Unassigned" slot."""


@dataclass(frozen=True)
class SlotLayout:
    """A person swimlane of a lane and the cards in it, in board order."""

    person_id: int | None
    person: BoardPerson | None  # None for "Unassigned"
    case_ids: tuple[int, ...]


@dataclass(frozen=True)
class LaneLayout:
    """A lane and its slots."""

    lane: BoardLane
    slots: tuple[SlotLayout, ...]

    @property
    def slot_people(self) -> tuple[int | None, ...]:
        """The person ids of the slots, in order."""
        return tuple(slot.person_id for slot in self.slots)


@dataclass(frozen=True)
class RemoveCard:
    """The card leaves the board."""

    case_id: int


@dataclass(frozen=True)
class MoveCard:
    """The card moves to ``row`` of the slot (row counted after taking it out of its old place)."""

    case_id: int
    slot: SlotKey
    row: int


@dataclass(frozen=True)
class InsertCard:
    """A card new to the board appears at ``row`` of the slot."""

    case_id: int
    slot: SlotKey
    row: int


CardStep = RemoveCard | MoveCard | InsertCard


def _guest(card: BoardCard, team_cards: Iterable[BoardCard]) -> BoardPerson:
    """A person row for someone outside the team who holds cards of the lane."""
    load = sum(c.weight for c in team_cards if c.assignee_id == card.assignee_id and c.counts_towards_load)
    return BoardPerson(
        person_id=card.assignee_id or 0,
        name=card.assignee_name,
        initials=card.assignee_initials,
        role="",
        presence=Presence.AVAILABLE,
        capacity=0,
        load=load,
    )


def layout_board(board: Board) -> tuple[LaneLayout, ...]:
    """Where every card of ``board`` sits; cards of teams not on the board are left out."""
    by_team: dict[int, list[BoardCard]] = {lane.team_id: [] for lane in board.lanes}
    for card in board.cards:
        if card.team_id in by_team:
            by_team[card.team_id].append(card)
    layouts = []
    for lane in board.lanes:
        cards = by_team[lane.team_id]
        members = {person.person_id: person for person in lane.people}
        guests: dict[int, BoardPerson] = {}
        for card in cards:
            if (
                card.assignee_id is not None
                and card.assignee_id not in members
                and card.assignee_id not in guests
            ):
                guests[card.assignee_id] = _guest(card, cards)
        people = [*lane.people, *sorted(guests.values(), key=lambda p: (p.name.casefold(), p.person_id))]
        placed: dict[int | None, list[int]] = {None: [], **{person.person_id: [] for person in people}}
        for card in cards:
            placed[card.assignee_id].append(card.case_id)
        slots = [SlotLayout(None, None, tuple(placed[None]))]
        slots += [SlotLayout(person.person_id, person, tuple(placed[person.person_id])) for person in people]
        layouts.append(LaneLayout(lane, tuple(slots)))
    return tuple(layouts)


def same_structure(old: Iterable[LaneLayout], new: Iterable[LaneLayout]) -> bool:
    """Whether both layouts have the same lanes and slots in the same order (only cards differ)."""
    return [(lane.lane.team_id, lane.slot_people) for lane in old] == [
        (lane.lane.team_id, lane.slot_people) for lane in new
    ]


def _slots(layout: Iterable[LaneLayout]) -> dict[SlotKey, list[int]]:
    return {
        (lane.lane.team_id, slot.person_id): list(slot.case_ids) for lane in layout for slot in lane.slots
    }


def plan_card_steps(old: Iterable[LaneLayout], new: Iterable[LaneLayout]) -> list[CardStep]:
    """The removals, moves and insertions that turn the cards of ``old`` into those of ``new``.

    Both layouts must have the same structure (:func:`same_structure`). Steps are meant
    to be applied in order; each row refers to the state after the previous steps.
    Cards that change slot are moved once, straight to their place among the cards
    already there; a board where nothing moved yields no steps.
    """
    target = {(lane.lane.team_id, slot.person_id): slot.case_ids for lane in new for slot in lane.slots}
    current = _slots(old)
    where = {case_id: key for key, ids in current.items() for case_id in ids}
    rank = {case_id: (key, row) for key, ids in target.items() for row, case_id in enumerate(ids)}
    steps: list[CardStep] = []
    for case_id in [case_id for case_id in where if case_id not in rank]:
        current[where.pop(case_id)].remove(case_id)
        steps.append(RemoveCard(case_id))
    for key, ids in target.items():
        here = current[key]
        for case_id in ids:
            source = where.get(case_id)
            if source == key:
                continue
            row = _place_among(here, rank[case_id][1], key, rank)
            if source is None:
                steps.append(InsertCard(case_id, key, row))
            else:
                current[source].remove(case_id)
                steps.append(MoveCard(case_id, key, row))
            here.insert(row, case_id)
            where[case_id] = key
    for key, ids in target.items():
        here = current[key]
        for row, case_id in enumerate(ids):
            if here[row] != case_id:
                here.remove(case_id)
                here.insert(row, case_id)
                steps.append(MoveCard(case_id, key, row))
    return steps


def _place_among(
    here: list[int], position: int, key: SlotKey, rank: Mapping[int, tuple[SlotKey, int]]
) -> int:
    """The row before the first card of ``here`` that belongs to the slot after ``position``."""
    for row, case_id in enumerate(here):
        slot, other = rank[case_id]
        if slot == key and other > position:
            return row
    return len(here)


def changed_cards(old: Mapping[int, BoardCard], new: Mapping[int, BoardCard]) -> list[int]:
    """Ids of the cards on both boards whose content differs."""
    return [case_id for case_id, card in new.items() if case_id in old and old[case_id] != card]
