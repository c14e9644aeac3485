"""The triage queue: escalations in ``requested``, most urgent and longest waiting first, with routes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from core.domain.enums import Priority, Stage
from core.routing.engine import propose_route, with_assignment
from core.routing.snapshot import load_profiles, load_routing_rules, load_snapshot
from core.routing.types import CaseProfile, RouteProposal

_QUEUE_SQL = text(
    """
    SELECT c.id, coalesce(cu.name, ''), coalesce(a.name, ''), coalesce(t.name, '')
    FROM cases c
    LEFT JOIN customers cu ON cu.id = c.customer_id
    LEFT JOIN product_areas a ON a.id = c.product_area_id
    LEFT JOIN teams t ON t.id = c.team_id
    WHERE c.stage = :stage
    """
)


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
    Raises :class:`~core.routing.types.RoutingError` when cases wait but no team exists.
    """
    names = {row[0]: row[1:] for row in session.execute(_QUEUE_SQL, {"stage": Stage.REQUESTED.value})}
    if not names:
        return []
    rules = load_routing_rules(session)
    snapshot = load_snapshot(session, rules, now)
    profiles = sorted(load_profiles(session, names).values(), key=_queue_order)
    items: list[TriageItem] = []
    for profile in profiles:
        proposal = propose_route(profile, snapshot, rules)
        snapshot = with_assignment(snapshot, profile, rules, proposal.team_id, proposal.person_id, now)
        customer, area, team = names[profile.case_id]
        items.append(
            TriageItem(
                case_id=profile.case_id,
                number=profile.number,
                subject=profile.subject,
                customer_name=customer,
                priority=profile.priority,
                tier=profile.tier,
                product_area=area,
                language=profile.language or "",
                requested_at=profile.waiting_since,
                waiting_seconds=max(0, int((now - profile.waiting_since).total_seconds())),
                current_team_id=profile.team_id,
                current_team_name=team,
                proposal=proposal,
            )
        )
    return items


def _queue_order(profile: CaseProfile) -> tuple[int, datetime, int]:
    """Urgent first, then longest waiting, then case number."""
    return (-profile.priority.rank, profile.waiting_since, profile.number)
