"""Presence: marking a person away (they take no new cases) or available again.

Presence is local to the workspace: it steers Handoff's routing, not the helpdesk's,
so nothing goes to the outbox. The change set names the person's team, so the board
and the triage queue reload their lanes and proposals.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.routing.types import Presence
from core.workflow.recording import load_person


def set_presence(session: Session, person_id: int, presence: Presence) -> ChangeSet:
    """Mark person ``person_id`` available or away; raises WorkflowError for an unknown person."""
    person = load_person(session, person_id)
    person.presence = presence.value
    session.flush()
    teams = frozenset({person.team_id}) if person.team_id is not None else frozenset()
    return ChangeSet(teams=teams)
