"""Similar past cases: resolved or closed cases that share the most distinctive words of a case.

The query is an OR of the case's distinctive words (:mod:`core.intelligence.case_terms`),
ranked by the full-text index's bm25 (subject words weigh most), so a past case
about the same problem comes first even when worded differently around it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.domain.enums import DONE_STAGES
from core.intelligence.case_context import load_case_context
from core.intelligence.case_terms import any_of_expression, distinctive_terms
from core.search import BM25_WEIGHTS


@dataclass(frozen=True)
class SimilarCase:
    """A resolved or closed case like the current one, with how it ended; higher ``score`` is more similar."""

    case_id: int
    number: int
    subject: str
    resolution: str
    root_cause: str
    score: float


def similar_resolved_cases(session: Session, case_id: int, limit: int = 5) -> list[SimilarCase]:
    """The ``limit`` resolved or closed cases most similar to case ``case_id``, best first (never itself)."""
    context = load_case_context(session, case_id)
    expression = any_of_expression(distinctive_terms(session, context))
    if expression is None:
        return []
    stages = ", ".join(f"'{stage.value}'" for stage in DONE_STAGES)
    rows = session.execute(
        text(
            f"""
            SELECT c.id, c.number, c.subject, coalesce(c.resolution, ''), coalesce(c.root_cause, ''),
                   bm25(case_fts, {BM25_WEIGHTS}) AS rank
            FROM case_fts JOIN cases c ON c.id = case_fts.rowid
            WHERE case_fts MATCH :expression AND c.id != :case_id AND c.stage IN ({stages})
            ORDER BY rank, c.id
            LIMIT :limit
            """
        ),
        {"expression": expression, "case_id": case_id, "limit": limit},
    ).all()
    return [
        SimilarCase(
            case_id=row[0],
            number=row[1],
            subject=row[2],
            resolution=row[3],
            root_cause=row[4],
            score=-float(row[5]),
        )
        for row in rows
    ]
