"""Whether a callback's Qt object still exists: late background results must not reach deleted widgets."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject


def receiver_alive(callback: Callable[..., Any]) -> bool:
    """False when ``callback`` is a method of a Qt object that has been deleted meanwhile.

    A widget closed while its load was in flight must not be called back (its C++ side is gone).
    """
    while isinstance(callback, functools.partial):
        callback = callback.func
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)
