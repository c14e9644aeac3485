"""Errors a user can cause in the escalation workflow; each message says what to do instead."""

from __future__ import annotations


class WorkflowError(Exception):
    """A workflow action was refused; ``str(error)`` is written for the user."""


class IllegalTransitionError(WorkflowError):
    """The case cannot go from its stage to the requested one (the message lists where it can go)."""


class ReadinessOverrideRequiredError(WorkflowError):
    """Diagnostic context the target team requires is missing and no override reason was given.

    Attributes:
        missing: the readiness items that are missing, as shown to the user.
    """

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__(
            f"The target team requires context that is missing: {', '.join(missing)}. "
            "Add it to the case, or give a reason for escalating without it."
        )


class NotALeadError(WorkflowError):
    """Only a person with the lead or manager role may decide an approval request."""


class ClosureIncompleteError(WorkflowError):
    """The closure form lacks required fields or holds invalid ones.

    Attributes:
        missing: every missing or invalid field, as shown to the user.
    """

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__(
            "The case cannot be closed yet. Complete the closure form: " + "; ".join(missing) + "."
        )


class NothingToDecideError(WorkflowError):
    """There is no pending approval or open resolution proposal to answer."""
