"""``handoff screenshot`` renders the real window to a non-blank PNG."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.integration.conftest import run_handoff


def _distinct_colours(image: QImage, step: int = 7) -> int:
    colours = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
    return len(colours)


@pytest.mark.parametrize("view", ["inbox", "case", "board", "triage"])
def test_screenshot_writes_a_non_blank_png_of_the_requested_size(
    generated_workspace: Path, tmp_path: Path, view: str
) -> None:
    out = tmp_path / f"{view}.png"

    result = run_handoff(
        "screenshot",
        "--data-dir",
        str(generated_workspace),
        "--view",
        view,
        "--out",
        str(out),
        "--size",
        "1000x700",
    )

    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    assert _distinct_colours(image) > 20  # text, lines, highlights: not a blank canvas


def test_screenshot_of_an_unknown_case_fails_with_a_clear_message(
    generated_workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "missing.png"

    result = run_handoff(
        "screenshot",
        "--data-dir",
        str(generated_workspace),
        "--view",
        "case",
        "--case",
        "999999",
        "--out",
        str(out),
    )

    assert result.returncode == 2
    assert "no case number 999999" in result.stderr
    assert not out.exists()


def test_screenshot_rejects_a_bad_size(generated_workspace: Path, tmp_path: Path) -> None:
    result = run_handoff(
        "screenshot",
        "--data-dir",
        str(generated_workspace),
        "--out",
        str(tmp_path / "x.png"),
        "--size",
        "huge",
    )

    assert result.returncode == 2
    assert "size must look like 1400x900" in result.stderr
