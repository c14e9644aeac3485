"""Marking someone away takes them out of routing; marking them available brings them back."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from core.db.models import PersonRow
from core.routing.presence import set_presence
from core.routing.snapshot import load_snapshot
from core.routing.types import Presence
from core.workflow.errors import WorkflowError
from tests.core.routing.org_builders import NOW, RULES, session
from tests.factories import add_person, add_team

__all__ = ["session"]


def test_an_away_person_counts_for_no_capacity_until_they_are_back(session: Session) -> None:
    team = add_team(session, "SSO Specialists", key="sso-t2")
    priya = add_person(session, "Priya Raman", team)

    changes = set_presence(session, priya.id, Presence.AWAY)

    assert changes.teams == frozenset({team.id})
    assert changes.outbox == frozenset()  # local: nothing goes to the helpdesk
    lane = load_snapshot(session, RULES, NOW).team(team.id)
    assert lane is not None and lane.capacity == 0
    set_presence(session, priya.id, Presence.AVAILABLE)
    lane = load_snapshot(session, RULES, NOW).team(team.id)
    assert lane is not None and lane.capacity == priya.capacity
    assert session.get(PersonRow, priya.id).presence == "available"


def test_an_unknown_person_is_refused(session: Session) -> None:
    with pytest.raises(WorkflowError, match="no person with id 999"):
        set_presence(session, 999, Presence.AWAY)
