"""Comparing release versions the PEP 440 way (``1.10`` after ``1.9``, ``2.0rc1`` before ``2.0``)."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version


def parse_version(text: str) -> Version | None:
    """``text`` as a PEP 440 version, or None if it is not one."""
    try:
        return Version(text)
    except InvalidVersion:
        return None


def is_newer(candidate: str, current: str) -> bool:
    """Whether ``candidate`` is a later release than ``current`` (False if either is not a version)."""
    new, old = parse_version(candidate), parse_version(current)
    return new is not None and old is not None and new > old
