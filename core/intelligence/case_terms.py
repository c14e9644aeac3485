"""The most distinctive words of a case, and the full-text query that finds cases sharing them.

A word is distinctive when the case uses it often and few other cases do
(term frequency × inverse document frequency, counted in the full-text index).
Words only this case uses are left out: they cannot connect it to another case.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.intelligence.case_context import CaseContext

# Words of the subject count this many times (the subject states the problem).
SUBJECT_BOOST = 3
# How many of the case's most frequent words are looked up in the index.
CANDIDATES = 40
# A word found in more than this share of all cases says nothing about the case.
MAX_DOCUMENT_SHARE = 0.2
# Below this many cases every shared word counts (the share above means little in a tiny workspace).
_SMALL_WORKSPACE = 10
# Counting stops here: a word in this many cases is common anyway, and counting costs time at 100,000.
_COUNT_CAP = 5_000
# unicode61 (the index's tokenizer) splits at anything but letters and digits.
_WORD = re.compile(r"[^\W_]+")
_STOPWORD_TEXT = """
    about above after again against all also although always among and another any anyone anything are
    around because been before being below between both but can cannot could did does doing done down
    during each either else even ever every few for from further had has have having hello her here hers
    him his how however into its just last least less let like made make many may might more most much
    must never new next nor not now off often once one only onto other our ours out over own per please
    put quite rather really regards same see seems she should since some still such than thank thanks
    that the their them then there these they thing this those though through thus till too under until
    upon use used using very via want was way well were what when where whether which while who whom
    whose why will with within without would yes yet you your yours team support case issue problem
    hi dear best kind cheers today yesterday tomorrow morning week day days time
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class Term:
    """A distinctive word of a case: how often the case uses it, and how rare it is (``idf``)."""

    word: str
    count: int
    idf: float

    @property
    def weight(self) -> float:
        return self.count * self.idf


def words_of(value: str) -> list[str]:
    """The indexable words of ``value`` as the full-text index sees them: lower-cased, accents removed."""
    decomposed = unicodedata.normalize("NFKD", value)
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [word.lower() for word in _WORD.findall(folded)]


def _is_candidate(word: str) -> bool:
    return len(word) >= 3 and not word.isdigit() and word not in _STOPWORDS


def _word_counts(context: CaseContext) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word in words_of(context.header.subject):
        counts[word] += SUBJECT_BOOST
    for body in (context.header.description, *(event.body_text for event in context.timeline)):
        counts.update(words_of(body))
    # Names link a case to others of the same people, not of the same problem.
    header = context.header
    names = {header.customer_name, header.contact_name, *(event.author_name for event in context.timeline)}
    name_words = {word for name in names for word in words_of(name)}
    return Counter(
        {word: count for word, count in counts.items() if _is_candidate(word) and word not in name_words}
    )


def document_frequency(session: Session, word: str) -> int:
    """In how many cases ``word`` occurs (counted up to a cap)."""
    count: int = session.execute(
        text("SELECT count(*) FROM (SELECT 1 FROM case_fts WHERE case_fts MATCH :term LIMIT :cap)"),
        {"term": quote(word), "cap": _COUNT_CAP},
    ).scalar_one()
    return count


def distinctive_terms(session: Session, context: CaseContext, limit: int = 12) -> list[Term]:
    """The ``limit`` most distinctive words ``context`` shares with at least one other case, best first."""
    total = session.execute(text("SELECT count(*) FROM cases")).scalar_one()
    counts = _word_counts(context)
    frequent = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:CANDIDATES]
    terms: list[Term] = []
    for word, count in frequent:
        frequency = document_frequency(session, word)
        if (
            frequency < 2
            or frequency >= total
            or frequency >= _COUNT_CAP
            or frequency > max(_SMALL_WORKSPACE, total * MAX_DOCUMENT_SHARE)
        ):
            continue
        terms.append(Term(word=word, count=count, idf=math.log(total / frequency)))
    terms.sort(key=lambda term: (-term.weight, term.word))
    return terms[:limit]


def quote(word: str) -> str:
    """``word`` as an FTS5 string (so no word can be read as an operator)."""
    return '"' + word.replace('"', '""') + '"'


def any_of_expression(terms: list[Term]) -> str | None:
    """An FTS5 expression matching cases with any of ``terms``, or None without terms."""
    return " OR ".join(quote(term.word) for term in terms) or None
