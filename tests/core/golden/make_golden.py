"""Write the golden database of the newest schema: ``schema_<revision>.sqlite`` in this folder.

A golden file stands for the databases users already have at a released
schema; ``tests/core/test_migrations.py`` upgrades a copy of every golden file
to the head revision. Run this once when a schema revision is released, from
the repository root::

    PYTHONPATH=. python tests/core/golden/make_golden.py

It refuses to overwrite an existing golden file: those are history, never
regenerated. Everything is written through the ORM with fixed timestamps, and
the rows touch every table, so an upgrade that loses data is caught.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.engine import writer
from core.db.migrate import head_revision
from core.db.models import (
    ApprovalRow,
    AttachmentRow,
    CaseRouteRow,
    CaseRow,
    ClosureRecordRow,
    ConnectionRow,
    DraftRow,
    EscalationRow,
    FollowUpActionRow,
    InvestigationNoteRow,
    OutboxRow,
    PersonRow,
    PersonSkillRow,
    ProductAreaRow,
    ResolutionProposalRow,
    SlaCycleRow,
    StageTransitionRow,
    SyncCursorRow,
    VendorSlaTargetRow,
)
from core.domain.enums import EventKind, NoteKind, Priority, ReasonCode, Stage
from core.settings import ME_PERSON_ID, set_setting
from core.workspace import open_workspace
from tests.factories import BASE_TIME, add_case, add_customer, add_event, add_person, add_team

GOLDEN_DIR = Path(__file__).resolve().parent
PAGE_SIZE = 2048

# The cases every golden file holds, by number; the migration tests search for these words.
GOLDEN_CASES = {
    4101: "Okta single sign-on loop after password reset",
    4102: "Invoice totals differ from the usage export",
    4103: "Webhook deliveries throttled with 429 responses",
}


def populate(session: Session) -> None:
    """A small but complete workspace: every table has at least one row."""
    area = ProductAreaRow(key="identity", name="Identity")
    session.add(area)
    session.flush()
    sso = add_team(session, "Identity & SSO")
    billing = add_team(session, "Billing")
    priya = add_person(session, "Priya Raman", team=sso)
    marco = add_person(session, "Marco Bellini", team=billing)
    session.add(PersonSkillRow(person_id=priya.id, skill="identity", level=8))
    set_setting(session, ME_PERSON_ID, str(priya.id))
    northwind = add_customer(session, "Northwind Traders", tier="enterprise")
    contoso = add_customer(session, "Contoso", tier="business")
    northwind.renewal_date = date(2027, 3, 31)

    okta = add_case(
        session,
        4101,
        GOLDEN_CASES[4101],
        customer=northwind,
        team=sso,
        assignee=priya,
        priority=Priority.HIGH,
    )
    okta.product_area_id = area.id
    add_event(session, okta, EventKind.CUSTOMER_MESSAGE, "Since Monday nobody can sign in through Okta.")
    add_event(
        session,
        okta,
        EventKind.AGENT_REPLY,
        "Could you send a HAR file of the redirect loop?",
        body_html="<p>Could you send a <b>HAR file</b> of the redirect loop?</p>",
        author="Priya Raman",
        minutes_after=30,
    )
    add_event(
        session,
        okta,
        EventKind.SYSTEM_LOG,
        "saml: assertion expired (clock skew 312 s)",
        author="idp-gateway",
        minutes_after=45,
        meta={"host": "idp-gw-3", "level": "error"},
    )
    escalation = EscalationRow(
        case_id=okta.id,
        tier=2,
        reason_code=ReasonCode.TECHNICAL_EXPERTISE.value,
        justification="SAML clock skew needs an identity specialist.",
        stage=Stage.INVESTIGATING.value,
        team_id=sso.id,
        requested_by_id=marco.id,
        requested_at=BASE_TIME - timedelta(days=1),
    )
    session.add(escalation)
    session.flush()
    for from_stage, to_stage, hours in (
        (None, Stage.REQUESTED, 0),
        (Stage.REQUESTED, Stage.INVESTIGATING, 2),
    ):
        session.add(
            StageTransitionRow(
                case_id=okta.id,
                escalation_id=escalation.id,
                from_stage=None if from_stage is None else from_stage.value,
                to_stage=to_stage.value,
                actor_id=priya.id,
                at=BASE_TIME - timedelta(days=1) + timedelta(hours=hours),
                reason="routed by skill",
            )
        )
    session.add_all(
        [
            InvestigationNoteRow(
                case_id=okta.id,
                author_id=priya.id,
                kind=NoteKind.HYPOTHESIS.value,
                body="The IdP clock drifts; assertions arrive already expired.",
                created_at=BASE_TIME,
                updated_at=BASE_TIME,
            ),
            DraftRow(
                case_id=okta.id,
                author_id=priya.id,
                channel="public_reply",
                body="Hi Dana,",
                updated_at=BASE_TIME,
            ),
            OutboxRow(
                idempotency_key="golden-0001",
                connection_id="zendesk-main",
                case_id=okta.id,
                remote_id="88123",
                operation="add_comment",
                payload_json=json.dumps({"body": "Looking into it"}),
                created_at=BASE_TIME,
                updated_at=BASE_TIME,
            ),
            SyncCursorRow(
                connection_id="zendesk-main", resource="tickets", cursor="1730538000", updated_at=BASE_TIME
            ),
        ]
    )

    invoice = add_case(session, 4102, GOLDEN_CASES[4102], customer=contoso, team=billing, assignee=marco)
    add_event(
        session, invoice, EventKind.CUSTOMER_MESSAGE, "The March invoice is 12% above the usage export."
    )
    add_event(
        session, invoice, EventKind.INTERNAL_NOTE, "Proration after the plan change.", author="Marco Bellini"
    )
    webhook = add_case(
        session,
        4103,
        GOLDEN_CASES[4103],
        stage=Stage.RESOLVED,
        resolved_at=BASE_TIME,
        priority=Priority.URGENT,
    )
    webhook.resolution = "Raised the webhook rate limit for the account."
    webhook.root_cause = "Rate limit shared across environments."
    add_event(
        session, webhook, EventKind.TROUBLESHOOTING_STEP, "Replayed deliveries: 429 after 50 per minute."
    )
    populate_case_work(session, okta, webhook, escalation, priya, marco)
    populate_routing(session, okta, escalation, priya, marco)
    populate_sla(session, okta, escalation)
    populate_vendor_sla(session, okta)
    populate_sync(session)


def populate_case_work(
    session: Session,
    okta: CaseRow,
    webhook: CaseRow,
    escalation: EscalationRow,
    priya: PersonRow,
    marco: PersonRow,
) -> None:
    """Rows of the tables and columns added by revision 0002 (case work)."""
    escalation.recommended_tier = 2
    escalation.recommendation_json = json.dumps({"signals": [{"name": "customer_request", "weight": 3}]})
    escalation.readiness_json = json.dumps({"product_version": "present", "logs": "missing"})
    reply = add_event(
        session, okta, EventKind.AGENT_REPLY, "We are checking the IdP clock.", author="Priya Raman"
    )
    outbox = session.query(OutboxRow).one()
    reply.outbox_id = outbox.id
    note = session.query(InvestigationNoteRow).one()
    note.event_id = reply.id
    session.add_all(
        [
            ApprovalRow(
                case_id=okta.id,
                kind="credit_refund",
                amount_cents=50_000,
                currency="USD",
                justification="Two days of lost sign-ins.",
                requested_by_id=priya.id,
                requested_at=BASE_TIME,
                decision="approved",
                decided_by_id=marco.id,
                decided_at=BASE_TIME + timedelta(hours=1),
                decision_comment="Approved once.",
            ),
            ResolutionProposalRow(
                case_id=webhook.id,
                proposed_by_id=marco.id,
                proposed_at=BASE_TIME,
                reminders_sent=1,
                answer="confirmed",
                answered_at=BASE_TIME + timedelta(days=2),
            ),
            AttachmentRow(
                case_id=okta.id,
                event_id=reply.id,
                filename="redirect.har",
                content_type="application/json",
                size_bytes=2048,
                sha256="0" * 64,
                stored_name="0" * 64,
                created_at=BASE_TIME,
            ),
        ]
    )
    closure = ClosureRecordRow(
        case_id=webhook.id,
        resolution_summary="Raised the webhook rate limit.",
        root_cause_category="configuration",
        root_cause_detail="Rate limit shared across environments.",
        defect_key="ENG-4821",
        defect_url="https://tracker.example/ENG-4821",
        customer_notified=True,
        closed_by_id=marco.id,
        closed_at=BASE_TIME + timedelta(days=3),
    )
    session.add(closure)
    session.flush()
    session.add(
        FollowUpActionRow(closure_id=closure.id, text="Split limits per environment", owner="Platform")
    )


def populate_routing(
    session: Session, okta: CaseRow, escalation: EscalationRow, priya: PersonRow, marco: PersonRow
) -> None:
    """Rows of the tables and columns added by revision 0003 (routing)."""
    okta.language = "de"
    okta.issue_type = "incident"
    priya.presence = "away"
    priya.last_assigned_at = BASE_TIME
    transition = session.query(StageTransitionRow).first()
    session.add(
        CaseRouteRow(
            case_id=okta.id,
            escalation_id=escalation.id,
            batch_key="0" * 32,
            kind="reroute",
            from_team_id=marco.team_id,
            to_team_id=priya.team_id,
            from_assignee_id=marco.id,
            to_assignee_id=priya.id,
            from_stage="triaged",
            to_stage="triaged",
            reason="Needs SSO skills",
            overridden_rules_json=json.dumps(["over_capacity"]),
            explanation_json=json.dumps({"winner": "Priya Raman"}),
            actor_id=marco.id,
            at=BASE_TIME + timedelta(hours=2),
            outbox_id=session.query(OutboxRow).one().id,
            transition_id=transition.id if transition is not None else None,
            previous_last_assigned_at=None,
            undone_at=None,
        )
    )


def populate_sla(session: Session, okta: CaseRow, escalation: EscalationRow) -> None:
    """Rows of the tables and columns added by revision 0004 (SLA)."""
    okta.sla_due_at = BASE_TIME + timedelta(hours=4)
    okta.sla_warning_at = BASE_TIME + timedelta(hours=3)
    okta.sla_metric = "next_reply"
    session.add(
        SlaCycleRow(
            case_id=okta.id,
            escalation_id=escalation.id,
            started_at=BASE_TIME,
            policy_key="standard",
            policy_version="0" * 16,
            policy_json=json.dumps({"key": "standard", "targets": []}),
            calendar_json=json.dumps({"key": "office", "timezone": "Europe/Berlin"}),
        )
    )


def populate_vendor_sla(session: Session, okta: CaseRow) -> None:
    """Rows of the table added by revision 0005 (a helpdesk's own SLA data)."""
    session.add(
        VendorSlaTargetRow(
            case_id=okta.id,
            source_system="zendesk",
            metric="first_reply_time",
            handoff_metric="first_reply",
            policy_name="Enterprise SLA",
            state="running",
            due_at=BASE_TIME + timedelta(hours=2),
            completed_at=None,
            synced_at=BASE_TIME,
        )
    )


def populate_sync(session: Session) -> None:
    """Rows of the table and columns added by revision 0006 (sync)."""
    session.add(
        ConnectionRow(
            name="Acme Zendesk",
            kind="zendesk",
            base_url="https://acme.zendesk.com",
            auth_method="api_token",
            account_email="agent@acme.example",
            ca_bundle=None,
            scope_json=json.dumps({"tags": ["escalation"]}),
            mapping_json=json.dumps({"stage_statuses": [["awaiting_customer", "pending"]]}),
            enabled=True,
            status="connected",
            status_message=None,
            last_synced_at=BASE_TIME,
            created_at=BASE_TIME,
            updated_at=BASE_TIME,
        )
    )
    for entry in session.scalars(select(OutboxRow)):
        entry.sent_at = BASE_TIME
        entry.remote_result = json.dumps({"comment": "9001"})
        entry.conflict_json = None


def main() -> int:
    revision = head_revision()
    target = GOLDEN_DIR / f"schema_{revision}.sqlite"
    if target.exists():
        print(f"{target} exists; golden files are never regenerated.", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        engine, _report = open_workspace(Path(scratch))
        with Session(writer(engine)) as session, session.begin():
            populate(session)
        engine.dispose()
        source = sqlite3.connect(Path(scratch) / "handoff.sqlite")
        source.execute(f"PRAGMA page_size={PAGE_SIZE}")  # VACUUM INTO honours it: a smaller file in git
        source.execute("VACUUM INTO ?", (str(target),))
        source.close()
    golden = sqlite3.connect(target)
    golden.execute("PRAGMA journal_mode=WAL")  # as every workspace is; opening it then changes no byte
    golden.close()
    print(f"wrote {target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
