"""The triage queue: escalations in ``requested``, most urgent and longest waiting first, each with its route.

CONTRACT (DTO fixed; the query body belongs to the routing-engine helper).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.domain.enums import Priority
from core.routing.types import RouteProposal


@dataclass(frozen=True)
class TriageItem:
    """One escalation waiting for a lead, with the route Handoff recommends."""

    case_id: int
    number: int
    subject: str
    customer_name: str
    priority: Priority
    tier: int
    product_area: str  # name, "" if none
    language: str  # "de", "" if unknown
    requested_at: datetime
    waiting_seconds: int
    current_team_id: int | None
    current_team_name: str
    proposal: RouteProposal


def load_triage_queue(session: Session, now: datetime) -> list[TriageItem]:
    """Every case in ``requested``: priority (urgent first), then waiting longest first.

    Proposals are computed in that order on one snapshot that takes each earlier
    proposal into account, so accepting all of them never overloads anyone twice.
    """
    raise NotImplementedError
