"""``handoff screenshot``: render the real window offscreen to a PNG and exit."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from core.db.migrate import DatabaseError
from desktop.cli import CliError, add_data_dir_argument

VIEWS = ("inbox", "case", "board", "triage")
_SIZE = re.compile(r"^(\d{2,5})x(\d{2,5})$")


def _size(text: str) -> tuple[int, int]:
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"size must look like 1400x900, not {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError("size must be between 320x240 and 7680x4320")
    return width, height


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("screenshot", help="render the window offscreen to a PNG file")
    add_data_dir_argument(parser, required=True)
    parser.add_argument("--view", choices=VIEWS, default="inbox")
    parser.add_argument(
        "--case", type=int, metavar="NUMBER", help="case number (default: the first in the inbox)"
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.png")
    parser.add_argument("--size", type=_size, default=(1400, 900), metavar="WxH", help="default 1400x900")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from desktop.qt_wait import SignalTimeout
    from desktop.screenshot import ScreenshotRequest, render_screenshot

    if args.out.suffix.lower() != ".png":
        raise CliError(f"--out must name a .png file, not {args.out}")
    request = ScreenshotRequest(
        data_dir=args.data_dir,
        view=args.view,
        out=args.out,
        width=args.size[0],
        height=args.size[1],
        case_number=args.case,
    )
    try:
        path = render_screenshot(request)
    except (DatabaseError, SignalTimeout, LookupError, OSError) as error:
        raise CliError(str(error)) from error
    print(path)
    return 0
