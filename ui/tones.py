"""Colour hints derived from the current palette, readable in light and dark themes alike.

Nothing here hard-codes a background: hints are accents (text colours) picked
for the palette's lightness, and tints are the palette's base colour blended
a little towards an accent.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QColor, QPalette

from core.domain.enums import Priority, Stage


class Tone(Enum):
    """The meaning a colour hint carries."""

    DANGER = "danger"
    WARNING = "warning"
    SUCCESS = "success"
    INFO = "info"
    NOTE = "note"


# (on a light background, on a dark background)
_ACCENTS: dict[Tone, tuple[str, str]] = {
    Tone.DANGER: ("#c62828", "#ff7b72"),
    Tone.WARNING: ("#b35c00", "#f0a04b"),
    Tone.SUCCESS: ("#2e7d32", "#7ee787"),
    Tone.INFO: ("#1f5fbf", "#79b8ff"),
    Tone.NOTE: ("#8a6100", "#f2c14e"),
}
# Backgrounds blend towards these instead of the text accent, where the two differ.
_TINT_SOURCES: dict[Tone, str] = {Tone.NOTE: "#ffc107"}


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` draws light text on a dark background."""
    base = palette.color(QPalette.ColorRole.Base)
    return base.lightness() < palette.color(QPalette.ColorRole.Text).lightness()


def accent(tone: Tone, palette: QPalette) -> QColor:
    """A text colour for ``tone`` that contrasts with ``palette``'s base."""
    light, dark = _ACCENTS[tone]
    return QColor(dark if is_dark(palette) else light)


def mix(first: QColor, second: QColor, amount: float) -> QColor:
    """``first`` moved ``amount`` (0–1) of the way towards ``second``."""
    return QColor.fromRgbF(
        first.redF() + (second.redF() - first.redF()) * amount,
        first.greenF() + (second.greenF() - first.greenF()) * amount,
        first.blueF() + (second.blueF() - first.blueF()) * amount,
    )


def tint(tone: Tone, palette: QPalette, amount: float = 0.12) -> QColor:
    """A background: the palette's base blended slightly towards ``tone``."""
    source = QColor(_TINT_SOURCES[tone]) if tone in _TINT_SOURCES else accent(tone, palette)
    return mix(palette.color(QPalette.ColorRole.Base), source, amount)


def muted(palette: QPalette) -> QColor:
    """Secondary text, opaque: the placeholder colour flattened onto the base (Qt's is translucent)."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
    if not placeholder.isValid() or placeholder.rgb() == text.rgb():
        return mix(text, base, 0.45)
    opaque = QColor(placeholder)
    opaque.setAlpha(255)
    return mix(base, opaque, placeholder.alphaF())


def priority_tone(priority: Priority) -> Tone | None:
    """Urgent is danger, high is a warning; the rest carry no hint."""
    return {Priority.URGENT: Tone.DANGER, Priority.HIGH: Tone.WARNING}.get(priority)


def stage_tone(stage: Stage) -> Tone | None:
    """Waiting stages are warnings, resolution is success; the working stages carry no hint."""
    if stage in (Stage.AWAITING_CUSTOMER, Stage.AWAITING_ENGINEERING, Stage.AWAITING_APPROVAL):
        return Tone.WARNING
    if stage in (Stage.RESOLUTION_PROPOSED, Stage.RESOLVED, Stage.CLOSED):
        return Tone.SUCCESS
    if stage in (Stage.NEW, Stage.REQUESTED):
        return Tone.INFO
    return None
