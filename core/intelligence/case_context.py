"""What the case-intelligence functions read about one case: its detail plus a few raw facts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CaseRow, ProductAreaRow
from core.domain.dtos import CaseDetail, CaseHeader, TimelineEvent
from core.domain.enums import EventKind
from core.queries.case_detail import CaseNotFoundError, load_case


@dataclass(frozen=True)
class CaseContext:
    """One case as the recommendation, readiness check and summary see it."""

    detail: CaseDetail
    reopen_count: int
    product_area_id: int | None
    product_area_key: str
    defect_key: str | None

    @property
    def header(self) -> CaseHeader:
        return self.detail.header

    @property
    def timeline(self) -> tuple[TimelineEvent, ...]:
        return self.detail.timeline

    def events_of(self, *kinds: EventKind) -> list[TimelineEvent]:
        """The timeline events of the given kinds, oldest first."""
        return [event for event in self.detail.timeline if event.kind in kinds]


def load_case_context(session: Session, case_id: int) -> CaseContext:
    """The context of case ``case_id``; raises :class:`CaseNotFoundError` when there is none."""
    detail = load_case(session, case_id)
    row = session.execute(
        select(CaseRow.reopen_count, CaseRow.product_area_id, ProductAreaRow.key, CaseRow.defect_key)
        .outerjoin(ProductAreaRow, ProductAreaRow.id == CaseRow.product_area_id)
        .where(CaseRow.id == case_id)
    ).one_or_none()
    if row is None:  # deleted between the two reads of this unit of work: cannot happen in one transaction
        raise CaseNotFoundError(f"There is no case with id {case_id} in this workspace.")
    reopen_count, area_id, area_key, defect_key = row
    return CaseContext(
        detail=detail,
        reopen_count=reopen_count,
        product_area_id=area_id,
        product_area_key=area_key or "",
        defect_key=defect_key,
    )
