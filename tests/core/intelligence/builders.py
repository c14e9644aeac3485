"""Builders for crafted intelligence cases: product areas, tiered teams, case facts set directly."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core.db.models import CaseRow, CustomerRow, EscalationRow, ProductAreaRow, TeamRow


def add_area(session: Session, key: str, name: str) -> ProductAreaRow:
    """A product area."""
    area = ProductAreaRow(key=key, name=name)
    session.add(area)
    session.flush()
    return area


def add_tier_team(session: Session, key: str, area: ProductAreaRow, tier: int) -> TeamRow:
    """A team working ``area`` at ``tier``."""
    team = TeamRow(key=key, name=f"{area.name} tier {tier}", tier=tier, product_area_id=area.id)
    session.add(team)
    session.flush()
    return team


def file_under(
    case: CaseRow, area: ProductAreaRow, *, reopen_count: int = 0, defect_key: str | None = None
) -> None:
    """Put ``case`` in ``area``, with its reopen count and linked defect."""
    case.product_area_id = area.id
    case.reopen_count = reopen_count
    case.defect_key = defect_key


def set_account(customer: CustomerRow, *, tier: str, arr: int, renewal: date | None) -> None:
    """The CRM facts of ``customer`` (ARR in whole currency units)."""
    customer.tier = tier
    customer.arr_cents = arr * 100
    customer.renewal_date = renewal


def add_escalation(
    session: Session, case: CaseRow, *, tier: int, reason: str, justification: str
) -> EscalationRow:
    """An escalation episode of ``case``."""
    escalation = EscalationRow(
        case_id=case.id,
        tier=tier,
        reason_code=reason,
        justification=justification,
        stage=case.stage,
        requested_at=case.created_at,
    )
    session.add(escalation)
    session.flush()
    return escalation
