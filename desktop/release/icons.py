"""Rendering the application icon: ``handoff.svg`` to ``handoff.png`` (Linux, macOS) and ``handoff.ico``.

Run ``python -m desktop.release.icons`` after editing the SVG; the rendered files are committed
next to it in ``resources/packaging`` so that a release build needs no image tools.
"""

from __future__ import annotations

import struct
from pathlib import Path

ICO_SIZES = (16, 32, 48, 256)
PNG_SIZE = 256


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico file holding PNG images (one per square size; Vista and later read PNG entries)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def render_png(svg: Path, size: int) -> bytes:
    """The SVG rendered as a ``size`` x ``size`` PNG with a transparent background."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["icons"])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, b"PNG")
    return bytes(data.data())


def render_icons(folder: Path) -> list[Path]:
    """Write ``handoff.png`` and ``handoff.ico`` from ``handoff.svg`` in ``folder``; the files written."""
    svg = folder / "handoff.svg"
    png, ico = folder / "handoff.png", folder / "handoff.ico"
    png.write_bytes(render_png(svg, PNG_SIZE))
    ico.write_bytes(ico_bytes({size: render_png(svg, size) for size in ICO_SIZES}))
    return [png, ico]


if __name__ == "__main__":
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for written in render_icons(Path(__file__).resolve().parents[2] / "resources" / "packaging"):
        print(f"wrote {written}")
