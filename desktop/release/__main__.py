"""``python -m desktop.release [--out DIR] [--work DIR]`` builds a release.

``python -m desktop.release verify DIR [--key FILE]`` checks one.

Exit status: 0 done / verified, 1 verification failed, 2 the release could not be built.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop.release.tools import Progress, ReleaseError

ROOT = Path(__file__).resolve().parents[2]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop.release",
        description="Build Handoff's Linux release: the frozen app, .deb, tar.gz, SHA256SUMS and, when "
        "HANDOFF_SIGNING_KEY names a key in GNUPGHOME, OpenPGP signatures.",
        epilog="Check a download: python -m desktop.release verify DIR [--key FILE]",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "dist", metavar="DIR", help="default: dist/")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "release", metavar="DIR", help="default: build/release/"
    )
    return parser


def _verify_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop.release verify",
        description="Check a release folder: SHA256SUMS, every .asc signature and the .deb's "
        "debsigs signature.",
    )
    parser.add_argument("folder", type=Path, metavar="DIR")
    parser.add_argument(
        "--key",
        type=Path,
        metavar="FILE",
        help="trust only this public key file (default: the keys in GNUPGHOME)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the release command line; the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["verify"]:
            from desktop.release.verify import verify_release

            options = _verify_parser().parse_args(arguments[1:])
            return 0 if verify_release(options.folder, options.key) else 1
        from desktop.release.build import release

        options = _build_parser().parse_args(arguments)
        release(ROOT, options.out.resolve(), options.work.resolve(), Progress())
    except ReleaseError as error:
        print(f"release: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
