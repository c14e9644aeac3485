"""Signal: the case looks like an open case already linked to a product defect.

Similarity is the share of the case's distinctive words (weighted by how rare
they are) that the other case also contains: 1.0 means it has them all. The
explanation names the defect, the similar case and the words they share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.domain.enums import OPEN_STAGES
from core.intelligence.case_terms import Term, any_of_expression, distinctive_terms, words_of
from core.intelligence.signals.base import Signal, SignalInputs
from core.search import BM25_WEIGHTS

KEY = "known_defect"
LABEL = "Likely known defect"
# How many of the best full-text matches are compared word by word.
CANDIDATES = 10
_SHOWN_WORDS = 6


@dataclass(frozen=True)
class DefectMatch:
    """An open case linked to a defect, and how similar it is to the case being escalated."""

    case_id: int
    number: int
    subject: str
    defect_key: str
    similarity: float
    shared: tuple[str, ...]


def defect_matches(session: Session, case_id: int, terms: list[Term]) -> list[DefectMatch]:
    """Open cases with a defect that share ``terms`` with case ``case_id``, most similar first."""
    expression = any_of_expression(terms)
    if expression is None:
        return []
    stages = ", ".join(f"'{stage.value}'" for stage in OPEN_STAGES)
    rows = session.execute(
        text(
            f"""
            SELECT c.id, c.number, c.subject, c.defect_key,
                   case_fts.subject || ' ' || case_fts.description || ' ' || case_fts.timeline
            FROM case_fts JOIN cases c ON c.id = case_fts.rowid
            WHERE case_fts MATCH :expression AND c.id != :case_id
              AND c.defect_key IS NOT NULL AND c.defect_key != '' AND c.stage IN ({stages})
            ORDER BY bm25(case_fts, {BM25_WEIGHTS}), c.id
            LIMIT :limit
            """
        ),
        {"expression": expression, "case_id": case_id, "limit": CANDIDATES},
    ).all()
    total = sum(term.idf for term in terms)
    matches = []
    for other_id, number, subject, defect_key, body in rows:
        words = set(words_of(body))
        shared = [term for term in terms if term.word in words]
        similarity = sum(term.idf for term in shared) / total if total else 0.0
        shared_words = tuple(term.word for term in shared)
        matches.append(DefectMatch(other_id, number, subject, defect_key, similarity, shared_words))
    matches.sort(key=lambda match: (-match.similarity, match.number))
    return matches


def evaluate(inputs: SignalInputs) -> Sequence[Signal]:
    """Fires when the most similar open defect-linked case reaches the configured similarity."""
    criteria = inputs.config.escalation.known_defect
    matches = defect_matches(
        inputs.session, inputs.case.header.id, distinctive_terms(inputs.session, inputs.case)
    )
    if not matches:
        return [Signal(KEY, LABEL, criteria.weight, False, "No open case linked to a defect is similar.")]
    best = matches[0]
    percent = f"{best.similarity:.0%}"
    words = ", ".join(best.shared[:_SHOWN_WORDS]) + ("…" if len(best.shared) > _SHOWN_WORDS else "")
    words = f" ({words})" if words else ""
    fired = best.similarity >= criteria.similarity_threshold
    explanation = (
        f"Case {best.number} ({best.subject}) is linked to defect {best.defect_key} and shares "
        f"{percent} of this case's distinctive words{words}; "
        f"{'counts' if fired else 'counts only'} from {criteria.similarity_threshold:.0%}."
    )
    return [Signal(KEY, LABEL, criteria.weight, fired, explanation)]
