"""The frozen smoke test's judgements: which output lines fail it, which screenshots count as blank."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage

from desktop.release.smoke import png_is_blank, unexpected_lines

SCREENSHOT = Path(__file__).resolve().parents[2] / "resources" / "screenshots" / "inbox.png"


NO_KEYCHAIN = "Keyring !!  WARNING: keyring.backends.fail.Keyring cannot store credentials: no sign-in kept"
PLAIN_TEXT = "Keyring !!  WARNING: keyrings.alt.file.PlaintextKeyring stores credentials in PLAIN TEXT"


def test_tracebacks_loader_errors_and_warnings_fail_but_progress_does_not() -> None:
    output = "\n".join(
        [
            "100%: 40/40 cases, 442 cases/s, ETA 0s",
            "Traceback (most recent call last):",
            "[PYI-29500:ERROR] Failed to execute script '__main__' due to unhandled exception!",
            "ModuleNotFoundError: No module named 'desktop.commands.policy'",
            "2026-11-26 22:00:00 WARNING handoff.qt: QFont::setPointSize: Point size <= 0",
            NO_KEYCHAIN,
            PLAIN_TEXT,
            "Generated 40 cases with 500 timeline events in 0.3 s",
        ]
    )

    assert unexpected_lines(output) == [
        "Traceback (most recent call last):",
        "[PYI-29500:ERROR] Failed to execute script '__main__' due to unhandled exception!",
        "ModuleNotFoundError: No module named 'desktop.commands.policy'",
        "2026-11-26 22:00:00 WARNING handoff.qt: QFont::setPointSize: Point size <= 0",
        PLAIN_TEXT,
    ]


def test_a_one_colour_picture_is_blank_and_a_real_window_is_not(tmp_path: Path) -> None:
    empty = QImage(1400, 900, QImage.Format.Format_RGB32)
    empty.fill(QColor("white"))
    blank = tmp_path / "blank.png"
    assert empty.save(str(blank))

    assert png_is_blank(blank)
    assert png_is_blank(tmp_path / "missing.png")
    assert not png_is_blank(SCREENSHOT)
