"""The action registry: every command of the main window, once, for its menus, shortcuts and palette.

An :class:`ActionSpec` says what a command is called, its shortcut, the views
it applies to, when it is enabled and what it does. :class:`ActionRegistry`
turns each spec into one ``QAction`` (so the menu entry, the shortcut and the
command palette run the very same thing) and keeps the enabled states current.

Single-key shortcuts (``E``, ``N``, ``R``…) must never fire while the user
types: :class:`TypingShortcutGuard` is the one place that enforces it, for
every editable text field of the application.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget


class ViewName(StrEnum):
    """The main window's screens an action can apply to."""

    INBOX = "inbox"
    CASE = "case"
    BOARD = "board"
    TRIAGE = "triage"


ALL_VIEWS: frozenset[ViewName] = frozenset(ViewName)
CASE_VIEWS: frozenset[ViewName] = frozenset({ViewName.CASE})


def _always() -> bool:
    return True


@dataclass(frozen=True)
class ActionSpec:
    """One command: its stable id, menu text (with ``&`` mnemonic), shortcut and behaviour."""

    id: str
    text: str
    handler: Callable[[], object]
    shortcut: str = ""
    views: frozenset[ViewName] = ALL_VIEWS
    is_enabled: Callable[[], bool] = _always
    checkable: bool = False

    @property
    def plain_text(self) -> str:
        """The text without mnemonic ampersands and trailing ellipsis, as the palette lists it."""
        return self.text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…")


class ActionRegistry(QObject):
    """Owns the window's QActions, built from :class:`ActionSpec`, and their enabled states."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent
        self._specs: dict[str, ActionSpec] = {}
        self._actions: dict[str, QAction] = {}
        self._view = ViewName.INBOX

    def register(self, spec: ActionSpec) -> QAction:
        """Create the QAction of ``spec``, added to the window so its shortcut works everywhere in it."""
        if spec.id in self._specs:
            raise ValueError(f"action {spec.id!r} registered twice")
        action = QAction(spec.text, self._window)
        action.setObjectName(spec.id)
        action.setCheckable(spec.checkable)
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False, action_id=spec.id: self.trigger(action_id))
        self._window.addAction(action)
        self._specs[spec.id] = spec
        self._actions[spec.id] = action
        self._update(spec.id)
        return action

    def register_all(self, specs: Iterable[ActionSpec]) -> None:
        """Register each of ``specs``."""
        for spec in specs:
            self.register(spec)

    def ids(self) -> list[str]:
        """Every registered action id, in registration order."""
        return list(self._specs)

    def action(self, action_id: str) -> QAction:
        """The QAction of ``action_id``."""
        return self._actions[action_id]

    def spec(self, action_id: str) -> ActionSpec:
        """The spec of ``action_id``."""
        return self._specs[action_id]

    @property
    def view(self) -> ViewName:
        """The screen in front, which decides what applies."""
        return self._view

    def set_view(self, view: ViewName) -> None:
        """The window switched to ``view``: actions of other views are disabled."""
        self._view = view
        self.refresh()

    def refresh(self) -> None:
        """Re-evaluate every action's enabled state (after a view switch or a change of the case)."""
        for action_id in self._specs:
            self._update(action_id)

    def available(self) -> list[ActionSpec]:
        """The enabled actions of the current view, in registration order (what the palette lists)."""
        self.refresh()
        return [spec for spec in self._specs.values() if self._actions[spec.id].isEnabled()]

    def shortcut_text(self, action_id: str) -> str:
        """The shortcut as the platform writes it (``Ctrl+K``, ``⌘K``), or ""."""
        return self._actions[action_id].shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    def trigger(self, action_id: str) -> None:
        """Run ``action_id`` if it is enabled now (a stale menu or palette entry does nothing)."""
        self._update(action_id)
        if self._actions[action_id].isEnabled():
            self._specs[action_id].handler()

    def _update(self, action_id: str) -> None:
        spec = self._specs[action_id]
        self._actions[action_id].setEnabled(self._view in spec.views and spec.is_enabled())


def is_typing_target(widget: object) -> bool:
    """Whether ``widget`` is an editable text field, where typed letters are text, not commands."""
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return False


def produces_text(event: QKeyEvent) -> bool:
    """Whether the key press types a character (a letter, digit, punctuation, with or without Shift)."""
    chording = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    chording |= Qt.KeyboardModifier.MetaModifier
    text = event.text()
    return not (event.modifiers() & chording) and bool(text) and text.isprintable()


class TypingShortcutGuard(QObject):
    """Application event filter: while an editable text field has the focus, typed keys stay text.

    Qt asks the focus widget with a ``ShortcutOverride`` event before it fires a
    shortcut; accepting it hands the key to the widget instead. Install once on
    the QApplication (``app.installEventFilter(guard)``).
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and is_typing_target(watched)
            and produces_text(event)
        ):
            event.accept()
            return True
        return False
