"""Errors a user can cause while writing to a case; each message says what to do instead."""

from __future__ import annotations


class CommunicationError(ValueError):
    """A message, note or attachment that cannot be accepted as it is; ``str()`` is for the user."""


class EmptyMessageError(CommunicationError):
    """Nothing was written."""


class AttachmentError(CommunicationError):
    """A file that cannot be attached (too large, unreadable, no room on the disk, already sent)."""


class StageMoveError(CommunicationError):
    """The message asks to move the case to a stage it cannot move to from where it is."""
