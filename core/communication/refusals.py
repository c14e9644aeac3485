"""Running a step so that a refusal the user can act on comes back as a value, with nothing written.

A unit of work that raises is rolled back whole by the DB thread, but the error then travels as an
exception. :func:`attempt` runs the step inside a savepoint instead: a refused step (an empty note, an
illegal stage move, a file too large) is rolled back to the savepoint and returned as a
:class:`Refusal` carrying the message for the user, while bugs still raise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from core.communication.errors import CommunicationError
from core.queries.case_detail import CaseNotFoundError
from core.workflow.errors import WorkflowError

P = ParamSpec("P")
T = TypeVar("T")

USER_ERRORS: tuple[type[Exception], ...] = (CommunicationError, WorkflowError, CaseNotFoundError)


@dataclass(frozen=True)
class Refusal:
    """A step the user asked for was refused; ``message`` says why and what to do instead."""

    message: str


def attempt(
    session: Session, step: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
) -> T | Refusal:
    """``step(session, *args)``, or a :class:`Refusal` (with its writes undone) if the user must act."""
    try:
        with session.begin_nested():
            return step(session, *args, **kwargs)
    except USER_ERRORS as error:
        return Refusal(str(error))
