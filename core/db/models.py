"""SQLAlchemy ORM models of the local workspace database (schema revisions 0001–0003).

ORM classes end in ``Row``; they never leave the DB thread (DTOs do). Later
issues add tables and nullable columns through Alembic migrations; they do not
rewrite these.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.db.types import UtcDateTime, utc_now

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so batch migrations can name constraints."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class WorkspaceSettingRow(Base):
    """Key/value settings of the workspace (for example who "me" is)."""

    __tablename__ = "workspace_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ProductAreaRow(Base):
    """A product area (billing, SSO, API, …) cases and skills are filed under."""

    __tablename__ = "product_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class TeamRow(Base):
    """A support team; each team is a lane on the board."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[int] = mapped_column(Integer, default=2)
    product_area_id: Mapped[int | None] = mapped_column(ForeignKey("product_areas.id"))
    wip_limit: Mapped[int | None] = mapped_column(Integer)
    secondary_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    source_system: Mapped[str] = mapped_column(String(32), default="local")
    remote_id: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (Index("ix_teams_remote", "source_system", "remote_id"),)  # revision 0006: sync


class PersonRow(Base):
    """A person of the support organisation (agent, specialist, lead, engineer, manager)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    capacity: Mapped[int] = mapped_column(Integer, default=6)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Revision 0003: routing. ``presence`` is available or away; the last assignment breaks ties.
    presence: Mapped[str] = mapped_column(String(16), default="available", server_default="available")
    last_assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    source_system: Mapped[str] = mapped_column(String(32), default="local")
    remote_id: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (Index("ix_people_remote", "source_system", "remote_id"),)  # revision 0006: sync


class PersonSkillRow(Base):
    """A skill of a person with its level 0–10 (product area, issue type or language)."""

    __tablename__ = "person_skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    skill: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("person_id", "skill"),)


class CustomerRow(Base):
    """A customer account, with its CRM context (tier, ARR, renewal)."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    domain: Mapped[str | None] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(32))
    arr_cents: Mapped[int] = mapped_column(Integer, default=0)
    renewal_date: Mapped[date | None] = mapped_column(Date)
    source_system: Mapped[str] = mapped_column(String(32), default="local")
    remote_id: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (Index("ix_customers_remote", "source_system", "remote_id"),)  # revision 0006: sync


class ContactRow(Base):
    """A person at a customer who writes to support."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    title: Mapped[str | None] = mapped_column(String(200))
    source_system: Mapped[str] = mapped_column(String(32), default="local")
    remote_id: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (Index("ix_contacts_remote", "source_system", "remote_id"),)  # revision 0006: sync


class CaseRow(Base):
    """A support case; its ``stage`` and ``tier`` describe where its escalation stands."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    subject: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(String(16), index=True)
    stage: Mapped[str] = mapped_column(String(32), index=True)
    tier: Mapped[int] = mapped_column(Integer, default=1)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    product_area_id: Mapped[int | None] = mapped_column(ForeignKey("product_areas.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    resolution: Mapped[str | None] = mapped_column(Text)
    root_cause: Mapped[str | None] = mapped_column(Text)
    defect_key: Mapped[str | None] = mapped_column(String(64))
    source_system: Mapped[str] = mapped_column(String(32), default="local")
    remote_id: Mapped[str | None] = mapped_column(String(128))
    remote_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Revision 0003: what routing matches against skills ("lang:de", "type:bug").
    language: Mapped[str | None] = mapped_column(String(16))
    issue_type: Mapped[str | None] = mapped_column(String(32))
    # Revision 0004: the SLA clock due soonest, recomputed on every change of the case
    # (the inbox sorts and the At risk view filters on these; risk is read against "now").
    sla_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    sla_warning_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)  # index: 0005
    sla_metric: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (
        UniqueConstraint("source_system", "remote_id", name="uq_cases_source_remote"),
        Index("ix_cases_stage_updated", "stage", "updated_at"),
    )


class EscalationRow(Base):
    """One escalation episode of a case: a tier, a reason, who asked and when."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    tier: Mapped[int] = mapped_column(Integer)
    reason_code: Mapped[str] = mapped_column(String(32))
    justification: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Revision 0002: what Handoff recommended and found at the time, kept for trend analysis.
    recommended_tier: Mapped[int | None] = mapped_column(Integer)
    recommendation_json: Mapped[str | None] = mapped_column(Text)
    readiness_json: Mapped[str | None] = mapped_column(Text)


class StageTransitionRow(Base):
    """Audit trail: every stage change of a case (who, when, from, to, why)."""

    __tablename__ = "stage_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"))
    from_stage: Mapped[str | None] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    reason: Mapped[str] = mapped_column(Text, default="")
    # Revision 0002: normal / escalated / re_escalated / returned, and details such as the
    # customer's feedback and the guidance given when a resolution is returned.
    kind: Mapped[str | None] = mapped_column(String(16))
    details_json: Mapped[str | None] = mapped_column(Text)


class CaseRouteRow(Base):
    """One routing decision of a case: the team and specialist it went from and to, why, by whom.

    ``kind`` is ``triage`` (the first route of an escalation), ``reroute`` (another team)
    or ``assign`` (another specialist in the same team). The moves of one drop or one bulk
    triage share a ``batch_key`` and are undone together; ``undone_at`` marks an undone move
    (kept for the audit trail, not counted as a re-route). ``previous_*`` hold what undo restores.
    """

    __tablename__ = "case_routes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"))
    batch_key: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    from_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    to_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    from_assignee_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    to_assignee_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    from_stage: Mapped[str] = mapped_column(String(32))
    to_stage: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    overridden_rules_json: Mapped[str | None] = mapped_column(Text)
    explanation_json: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", ondelete="SET NULL"))
    transition_id: Mapped[int | None] = mapped_column(ForeignKey("stage_transitions.id", ondelete="SET NULL"))
    previous_last_assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SlaCycleRow(Base):
    """The SLA policy (and calendar) a cycle of a case started with, kept as it was then.

    A case's first cycle starts when it is created; each escalation starts a new one. An
    edited policy applies to new cycles only, so ``policy_json``/``calendar_json`` keep the
    text the cycle started with and ``policy_version`` names it.
    """

    __tablename__ = "sla_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    policy_key: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(64))
    policy_json: Mapped[str] = mapped_column(Text)
    calendar_json: Mapped[str] = mapped_column(Text)


class VendorSlaTargetRow(Base):
    """A helpdesk's own SLA target for a case, as last synced (revision 0005).

    Zendesk SLA policy metrics, Freshdesk due dates and Salesforce milestones are kept beside
    Handoff's clocks, never mixed into them: ``metric`` is the helpdesk's own name for it,
    ``handoff_metric`` the Handoff metric it corresponds to when there is one.
    """

    __tablename__ = "vendor_sla_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    source_system: Mapped[str] = mapped_column(String(32))
    metric: Mapped[str] = mapped_column(String(64))
    handoff_metric: Mapped[str | None] = mapped_column(String(32))
    policy_name: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    synced_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    __table_args__ = (
        UniqueConstraint("case_id", "source_system", "metric", name="uq_vendor_sla_targets_case_metric"),
    )


class TimelineEventRow(Base):
    """One event of a case's context timeline (message, reply, note, log, field change, …)."""

    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    visibility: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    author_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    author_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)
    meta_json: Mapped[str | None] = mapped_column(Text)
    source_system: Mapped[str] = mapped_column(String(32), default="local")
    remote_id: Mapped[str | None] = mapped_column(String(128))
    # Revision 0002: the outbox entry that will deliver this event (pending until it is done).
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))

    # Revision 0005: kind and visibility too, so the SLA clocks read messages and replies from the index.
    __table_args__ = (
        Index("ix_timeline_events_case_time", "case_id", "occurred_at", "kind", "visibility"),
        Index("ix_timeline_events_remote", "source_system", "remote_id"),  # revision 0006: sync
    )


class InvestigationNoteRow(Base):
    """A specialist's investigation note (hypothesis, test, result or a free note)."""

    __tablename__ = "investigation_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(16), default="note")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Revision 0002: the internal timeline event that shows this note.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("timeline_events.id"))


class DraftRow(Base):
    """An unsent message to the customer or internal note, saved as it is typed."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Revision 0002: extra state of the draft (note kind, template, attachment ids), as JSON.
    meta_json: Mapped[str | None] = mapped_column(Text)


class OutboxRow(Base):
    """A local change waiting to be delivered to a remote system; deleted only after acknowledgement."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    connection_id: Mapped[str | None] = mapped_column(String(100))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    remote_id: Mapped[str | None] = mapped_column(String(128))
    operation: Mapped[str] = mapped_column(String(64))
    payload_json: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Revision 0006: delivery exactly once, and conflicts kept for the user to resolve.
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # last handed to the network
    remote_result: Mapped[str | None] = mapped_column(Text)  # what the server answered (JSON)
    conflict_json: Mapped[str | None] = mapped_column(Text)  # the remote values, author, time


class ConnectionRow(Base):
    """A helpdesk account Handoff syncs with (revision 0006); its secret lives in the OS keychain only.

    ``scope_json`` says which tickets are escalations to pull; ``mapping_json`` how Handoff's
    stages, tiers, product areas and teams map to the helpdesk's statuses, groups, tags and
    custom fields (:mod:`core.remote.connections`).
    """

    __tablename__ = "connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # a SourceSystem value
    base_url: Mapped[str] = mapped_column(String(500))
    auth_method: Mapped[str] = mapped_column(String(16))  # api_token | oauth
    account_email: Mapped[str | None] = mapped_column(String(320))
    ca_bundle: Mapped[str | None] = mapped_column(String(1000))
    scope_json: Mapped[str] = mapped_column(Text, default="{}")
    mapping_json: Mapped[str] = mapped_column(Text, default="{}")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(32), default="never_synced")
    status_message: Mapped[str | None] = mapped_column(Text)
    last_synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SyncCursorRow(Base):
    """How far a connection has pulled a resource; written in the same transaction as the page."""

    __tablename__ = "sync_cursors"

    connection_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    resource: Mapped[str] = mapped_column(String(64), primary_key=True)
    cursor: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ApprovalRow(Base):
    """A request for management authorization (credit/refund, policy exception, engineering priority)."""

    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str | None] = mapped_column(String(3))
    justification: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    decision: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_comment: Mapped[str | None] = mapped_column(Text)


class ResolutionProposalRow(Base):
    """A proposed resolution awaiting the customer's confirmation, with its reminder schedule."""

    __tablename__ = "resolution_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("timeline_events.id"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    next_reminder_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    customer_feedback: Mapped[str | None] = mapped_column(Text)


class ClosureRecordRow(Base):
    """How an escalation ended: what trend analysis reads (root cause, defect, follow-ups)."""

    __tablename__ = "closure_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"))
    resolution_summary: Mapped[str] = mapped_column(Text)
    root_cause_category: Mapped[str] = mapped_column(String(100))
    root_cause_detail: Mapped[str] = mapped_column(Text, default="")
    defect_key: Mapped[str | None] = mapped_column(String(64))
    defect_url: Mapped[str | None] = mapped_column(String(500))
    customer_notified: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class FollowUpActionRow(Base):
    """A follow-up action decided at closure (text, owner, due date)."""

    __tablename__ = "follow_up_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    closure_id: Mapped[int] = mapped_column(ForeignKey("closure_records.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class AttachmentRow(Base):
    """A file attached to a draft or a timeline event, stored in the workspace's attachments folder."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("timeline_events.id"))
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
