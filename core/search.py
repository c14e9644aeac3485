"""Full-text search over cases (SQLite FTS5, ranked with bm25).

User text becomes a safe FTS5 expression: every word is quoted (so FTS5
operators and punctuation typed by a user can never raise a syntax error),
quoted phrases stay phrases, and the word being typed matches as a prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.domain.dtos import SearchHit
from core.domain.enums import Stage

# bm25 column weights: subject, description, timeline.
BM25_WEIGHTS = "10.0, 4.0, 1.0"
# A word being typed matches as a prefix from this many characters on.
MIN_PREFIX_CHARS = 3
# Above this many matches, results come newest first instead of ranked (see relevance_order).
RANK_LIMIT = 20_000
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD_CHAR = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class ParsedQuery:
    """The pieces of a user's search text."""

    phrases: tuple[str, ...]
    words: tuple[str, ...]
    prefix_last_word: bool


def parse_query(user_text: str, *, prefix: bool = True) -> ParsedQuery:
    """Split ``user_text`` into quoted phrases and words; the last word is a prefix while typing."""
    phrases: list[str] = []
    words: list[str] = []
    last_was_word = False
    for match in _TOKEN.finditer(user_text):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            if _WORD_CHAR.search(phrase):
                phrases.append(phrase.strip())
            last_was_word = False
        elif word is not None and _WORD_CHAR.search(word):
            words.append(word)
            last_was_word = True
    typing_word = prefix and last_was_word and not user_text[-1:].isspace()
    return ParsedQuery(tuple(phrases), tuple(words), typing_word)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(user_text: str, *, prefix: bool = True) -> str | None:
    """The FTS5 MATCH expression for ``user_text``, or None when it holds nothing searchable.

    While typing (``prefix``), the last word matches as a prefix once it has
    :data:`MIN_PREFIX_CHARS` characters; a shorter unfinished word is left out
    when other terms exist (it would match nearly every case) and searched as a
    whole word when it is all there is.
    """
    parsed = parse_query(user_text, prefix=prefix)
    terms = [_quote(phrase) for phrase in parsed.phrases]
    finished = parsed.words[:-1] if parsed.prefix_last_word else parsed.words
    terms.extend(_quote(word) for word in finished)
    if parsed.prefix_last_word:
        typing = parsed.words[-1]
        if len(typing) >= MIN_PREFIX_CHARS:
            terms.append(_quote(typing) + "*")
        elif not terms:
            terms.append(_quote(typing))
    return " AND ".join(terms) if terms else None


def relevance_order(session: Session, expression: str) -> str:
    """ORDER BY terms for matches of ``expression``: bm25 rank, or newest first when too many.

    Ranking costs time per matching case; past :data:`RANK_LIMIT` matches (a
    very common word) the ranking says little anyway, so the newest cases come
    first and the search still answers while the user types.
    """
    matches = session.execute(
        text("SELECT count(*) FROM (SELECT 1 FROM case_fts WHERE case_fts MATCH :expression LIMIT :cap)"),
        {"expression": expression, "cap": RANK_LIMIT + 1},
    ).scalar_one()
    if matches > RANK_LIMIT:
        return "case_fts.rowid DESC"
    return f"bm25(case_fts, {BM25_WEIGHTS}), case_fts.rowid DESC"


def search_cases(
    session: Session, user_text: str, *, limit: int = 50, prefix: bool = True
) -> list[SearchHit]:
    """The best ``limit`` cases for ``user_text``, with a highlighted snippet each."""
    expression = match_expression(user_text, prefix=prefix)
    if expression is None:
        return []
    rows = session.execute(
        text(
            f"""
            SELECT c.id, c.number, c.subject, c.stage, coalesce(cu.name, ''),
                   snippet(case_fts, -1, '[', ']', '…', 12), bm25(case_fts, {BM25_WEIGHTS}) AS score
            FROM case_fts
            JOIN cases c ON c.id = case_fts.rowid
            LEFT JOIN customers cu ON cu.id = c.customer_id
            WHERE case_fts MATCH :expression
            ORDER BY {relevance_order(session, expression)}
            LIMIT :limit
            """
        ),
        {"expression": expression, "limit": limit},
    ).all()
    return [
        SearchHit(
            case_id=row[0],
            number=row[1],
            subject=row[2],
            stage=Stage(row[3]),
            customer_name=row[4],
            snippet=row[5],
            score=float(row[6]),
        )
        for row in rows
    ]
