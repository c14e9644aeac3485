"""What the board says in words: counts, and the names screen readers announce for cards, lanes and people."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.queries.board import BoardCard, BoardLane, BoardPerson
from core.routing.types import Presence
from ui.formatting import format_count
from ui.labels import priority_label, stage_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("BoardTexts", text)


def counted(count: int, one: str, many: str) -> str:
    """``counted(3, "{0} case", "{0} cases")`` → ``"3 cases"`` (translated, with group separators)."""
    return _tr(one if count == 1 else many).format(format_count(count))


def card_accessible_text(card: BoardCard) -> str:
    """``"Case 4711, Acme Corp, SSO loop, urgent, tier 2, investigating, assigned to Priya Raman"``."""
    parts = [_tr("Case {0}").format(card.number)]
    if card.customer_name:
        parts.append(card.customer_name)
    parts += [
        card.subject,
        priority_label(card.priority).lower(),
        _tr("tier {0}").format(card.tier),
        stage_label(card.stage).lower(),
        _tr("assigned to {0}").format(card.assignee_name)
        if card.assignee_id is not None
        else _tr("unassigned"),
    ]
    return ", ".join(parts)


def card_accessible_description(card: BoardCard) -> str:
    """What else a screen reader should say about a card: re-routes, waiting, not synced."""
    parts = []
    if card.reroute_count:
        parts.append(counted(card.reroute_count, "re-routed {0} time", "re-routed {0} times"))
    if not card.counts_towards_load:
        parts.append(_tr("waiting, not counted towards load"))
    if card.pending_sync:
        parts.append(_tr("not synced yet"))
    return ", ".join(parts)


def lane_accessible_text(lane: BoardLane) -> str:
    """``"SSO Specialists, 9 of 12 cases, load 14 of 18 units, over capacity"``."""
    parts = [lane.name]
    if lane.wip_limit:
        parts.append(_tr("{0} of {1} cases").format(lane.open_cases, lane.wip_limit))
    else:
        parts.append(counted(lane.open_cases, "{0} case", "{0} cases"))
    parts.append(_tr("load {0} of {1} units").format(lane.load, lane.capacity))
    if lane.over_capacity:
        parts.append(_tr("over capacity"))
    if lane.over_wip_limit:
        parts.append(_tr("over WIP limit"))
    return ", ".join(parts)


def person_accessible_text(person: BoardPerson | None, card_count: int) -> str:
    """``"Priya Raman, 3 cases, load 6 of 6 units, away"`` or ``"Unassigned, 4 cases"``."""
    if person is None:
        return ", ".join([_tr("Unassigned"), counted(card_count, "{0} case", "{0} cases")])
    parts = [person.name, counted(card_count, "{0} case", "{0} cases")]
    if person.capacity:
        parts.append(_tr("load {0} of {1} units").format(person.load, person.capacity))
    if person.presence is Presence.AWAY:
        parts.append(_tr("away"))
    return ", ".join(parts)


def unassigned_name() -> str:
    """The name of a lane's row of cards nobody holds."""
    return _tr("Unassigned")
