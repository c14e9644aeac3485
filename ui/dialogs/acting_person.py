"""Who acts: the workspace's own person, read inside the unit of work that records the action."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.settings import my_person_id
from core.workflow import WorkflowError


def me_or_refuse(session: Session) -> int:
    """The id of the person this workspace belongs to; refuses the action when it is not known."""
    person_id = my_person_id(session)
    if person_id is None:
        raise WorkflowError(
            "This workspace does not know who you are yet, so the action cannot be recorded in your name. "
            "Choose your person in the workspace settings, then try again."
        )
    return person_id
