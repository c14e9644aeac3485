"""``handoff search --data-dir DIR QUERY… [--limit N] [--json]``: full-text search from the shell.

The query follows the search box's rules: words must all match, ``"quoted
phrases"`` match as phrases, the last word also matches as a prefix, and no
input is ever a syntax error.
"""

from __future__ import annotations

import argparse
import json

from sqlalchemy.orm import Session

from core.domain.dtos import SearchHit
from core.search import search_cases
from desktop.cli import add_data_dir_argument
from desktop.commands.workspace_arg import open_engine

# Column caps for the table; the snippet takes what is left of a wide terminal line.
_CUSTOMER_WIDTH = 24
_SUBJECT_WIDTH = 48


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "search",
        help="find cases by words in their subject, description or timeline",
        description="Search cases, best match first. Quote phrases: handoff search '\"login loop\" okta'.",
    )
    add_data_dir_argument(parser, required=True)
    parser.add_argument("query", nargs="+", metavar="QUERY", help="words and quoted phrases")
    parser.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N (default: 20)")
    parser.add_argument("--json", action="store_true", help="print a JSON list of objects")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    engine = open_engine(args)
    try:
        with Session(engine) as session:
            hits = search_cases(session, query, limit=args.limit)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([_as_json(hit) for hit in hits], ensure_ascii=False, indent=2))
    elif hits:
        print(format_table(hits))
    else:
        print(f"No case matches {query!r}.")
    return 0


def _as_json(hit: SearchHit) -> dict[str, object]:
    return {
        "number": hit.number,
        "stage": hit.stage.value,
        "customer": hit.customer_name,
        "subject": hit.subject,
        "snippet": hit.snippet,
        "score": round(hit.score, 6),
    }


def format_table(hits: list[SearchHit]) -> str:
    """The hits as aligned columns: number, stage, customer, subject, snippet (matches in brackets)."""
    header = ("NUMBER", "STAGE", "CUSTOMER", "SUBJECT", "SNIPPET")
    rows = [header] + [
        (
            str(hit.number),
            hit.stage.value,
            _clip(hit.customer_name, _CUSTOMER_WIDTH),
            _clip(hit.subject, _SUBJECT_WIDTH),
            " ".join(hit.snippet.split()),
        )
        for hit in hits
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)), row[-1]])
        for row in rows
    )


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
