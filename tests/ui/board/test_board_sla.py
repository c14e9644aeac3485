"""Board cards carry their soonest SLA deadline; the stripe turns red when breached, amber in warning."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtGui import QColor, QPalette
from sqlalchemy.orm import Session

from core.db.runner import DbRunner
from core.domain.enums import Priority
from core.queries.board import BoardCard, load_board_cards
from tests.factories import add_case, add_team
from tests.ui.board.dtos import SSO, T0, card
from tests.ui.sla_support import set_deadlines
from ui.board.card_delegate import CardDelegate
from ui.tones import Tone, accent

NOW = T0 + timedelta(hours=3)


def _stripe(sla_card: BoardCard) -> QColor:
    palette = QPalette()
    return CardDelegate().stripe_colour(sla_card, palette, NOW)


def _with_deadline(priority: Priority, *, due_in: int, warn_in: int) -> BoardCard:
    return replace(
        card(1, SSO, priority=priority),
        sla_due_at=NOW + timedelta(minutes=due_in),
        sla_warning_at=NOW + timedelta(minutes=warn_in),
    )


def test_a_breached_low_priority_card_has_a_danger_stripe(qapp: object) -> None:
    assert _stripe(_with_deadline(Priority.LOW, due_in=-5, warn_in=-35)) == accent(Tone.DANGER, QPalette())


def test_a_card_in_its_warning_window_has_a_warning_stripe(qapp: object) -> None:
    assert _stripe(_with_deadline(Priority.NORMAL, due_in=20, warn_in=-10)) == accent(
        Tone.WARNING, QPalette()
    )


def test_a_card_with_time_to_spare_keeps_its_priority_colour(qapp: object) -> None:
    urgent = _with_deadline(Priority.URGENT, due_in=240, warn_in=180)

    assert _stripe(urgent) == accent(Tone.DANGER, QPalette())
    assert _stripe(replace(urgent, priority=Priority.NORMAL)) == accent(Tone.INFO, QPalette())


def test_a_card_without_a_deadline_keeps_its_priority_colour(qapp: object) -> None:
    assert _stripe(card(1, SSO, priority=Priority.HIGH)) == accent(Tone.WARNING, QPalette())


def test_board_cards_read_the_stored_deadline(db: DbRunner) -> None:
    def seed(session: Session) -> int:
        return add_case(session, 4801, "Login loop", team=add_team(session)).id

    case_id = db.write(seed).result()
    set_deadlines(db, {case_id: (NOW, NOW - timedelta(minutes=30), "next_reply")})
    loaded = db.read(load_board_cards, [case_id]).result()[case_id]

    assert loaded is not None
    assert (loaded.sla_due_at, loaded.sla_warning_at) == (NOW, NOW - timedelta(minutes=30))
