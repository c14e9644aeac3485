"""Pulled pages merged into the workspace: what a specialist sees after a sync."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import (
    CaseRow,
    ContactRow,
    CustomerRow,
    OutboxRow,
    PersonRow,
    StageTransitionRow,
    TeamRow,
    TimelineEventRow,
    VendorSlaTargetRow,
)
from core.db.runner import DbRunner
from core.domain.enums import OutboxOperation, OutboxState, Stage
from core.outbox import enqueue
from core.remote.connections import cursor_of
from core.remote.dtos import Connection, FieldMapping, RemotePage
from core.remote.merge import apply_page, pending_fields
from core.remote.search_backlog import index_backlog
from core.search import search_cases
from core.sla.vendor import VendorSlaState, VendorSlaTarget
from core.workflow.transitions import change_stage
from tests.core.remote.builders import AGENT, T0, add_zendesk, comment, page, ticket
from tests.factories import add_person


def _case(session: Session, remote_id: str = "1001") -> CaseRow:
    case = session.scalar(select(CaseRow).where(CaseRow.remote_id == remote_id))
    assert case is not None
    return case


def _events(session: Session, remote_id: str = "1001") -> list[tuple[str, str, str, str | None]]:
    case = _case(session, remote_id)
    rows = session.scalars(
        select(TimelineEventRow).where(TimelineEventRow.case_id == case.id).order_by(TimelineEventRow.id)
    )
    return [(row.kind, row.visibility, row.body_text, row.remote_id) for row in rows]


def _count(session: Session, table: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def _apply(db: DbRunner, connection: Connection, pulled: RemotePage, minutes: int = 0) -> object:
    return db.write(apply_page, connection, pulled, T0 + timedelta(minutes=minutes)).result()


def test_a_first_page_brings_the_ticket_with_its_customer_people_team_and_conversation(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    pulled = page(
        ticket(),
        comments=(
            comment("1", body="Our users cannot sign in."),
            comment("2", author_id="900", body="Looking into it.", minutes=5),
            comment("3", author_id="900", public=False, body="IdP metadata expired?", minutes=6),
        ),
        cursor="after-1",
    )

    changes = _apply(db, connection, pulled)

    def check(session: Session) -> None:
        case = _case(session)
        assert changes.cases_added == frozenset({case.id})  # type: ignore[attr-defined]
        assert (case.source_system, case.subject, case.stage, case.priority) == (
            "zendesk",
            "SSO login loops",
            "investigating",
            "normal",
        )
        customer = session.get(CustomerRow, case.customer_id)
        contact = session.get(ContactRow, case.contact_id)
        team = session.get(TeamRow, case.team_id)
        assignee = session.get(PersonRow, case.assignee_id)
        assert customer is not None and customer.name == "Northwind Traders"
        assert contact is not None and (contact.name, contact.customer_id) == ("Dana Whitfield", customer.id)
        assert team is not None and (team.name, team.remote_id) == ("Identity & SSO", "30")
        assert assignee is not None and (assignee.name, assignee.remote_id) == ("Priya Raman", "900")
        assert case.remote_updated_at == T0
        assert _events(session) == [
            ("customer_message", "customer", "Our users cannot sign in.", "1"),
            ("agent_reply", "customer", "Looking into it.", "2"),
            ("internal_note", "internal", "IdP metadata expired?", "3"),
        ]
        assert cursor_of(session, connection, "tickets") == "after-1"

    db.read(check).result()


def test_an_agent_already_in_the_workspace_is_matched_by_email(db: DbRunner) -> None:
    def existing(session: Session) -> int:
        person = add_person(session, "Priya R.")
        person.email = "PRIYA@acme.example"
        return person.id

    person_id = db.write(existing).result()
    connection = db.write(add_zendesk).result()

    _apply(db, connection, page(ticket()))

    def check(session: Session) -> None:
        assert _case(session).assignee_id == person_id
        person = session.get(PersonRow, person_id)
        assert person is not None and (person.name, person.remote_id) == ("Priya R.", AGENT.remote_id)
        assert _count(session, PersonRow) == 1

    db.read(check).result()


def test_applying_the_same_page_twice_changes_nothing(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    pulled = page(ticket(), comments=(comment("1"), comment("2", author_id="900", minutes=5)))
    _apply(db, connection, pulled)

    def snapshot(session: Session) -> tuple[object, ...]:
        case = _case(session)
        return (
            _events(session),
            (
                case.stage,
                case.priority,
                case.team_id,
                case.assignee_id,
                case.updated_at,
                case.remote_updated_at,
            ),
            _count(session, CaseRow),
            _count(session, PersonRow),
            _count(session, ContactRow),
            _count(session, CustomerRow),
            _count(session, TeamRow),
            _count(session, StageTransitionRow),
        )

    before = db.read(snapshot).result()
    again = _apply(db, connection, pulled, minutes=30)

    assert db.read(snapshot).result() == before
    assert again.is_empty  # type: ignore[attr-defined]


def test_a_changed_ticket_updates_the_case_and_says_so_in_the_timeline(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    _apply(db, connection, page(ticket()))
    case_id = db.read(lambda s: _case(s).id).result()

    changes = _apply(
        db, connection, page(ticket(status="pending", stage="awaiting_customer", priority="high", minutes=9))
    )

    assert changes.cases == frozenset({case_id})  # type: ignore[attr-defined]
    assert changes.cases_added == frozenset()  # type: ignore[attr-defined]

    def check(session: Session) -> None:
        case = _case(session)
        assert (case.stage, case.priority) == ("awaiting_customer", "high")
        assert case.remote_updated_at == T0 + timedelta(minutes=9)
        field_change = _events(session)[-1]
        assert field_change[0] == "field_change"
        assert field_change[2] == (
            "Changed in Zendesk: stage Investigating → Awaiting customer; priority normal → high"
        )
        transition = session.scalar(select(StageTransitionRow).where(StageTransitionRow.case_id == case.id))
        assert transition is not None
        assert (transition.from_stage, transition.to_stage, transition.actor_id) == (
            "investigating",
            "awaiting_customer",
            None,
        )

    db.read(check).result()


def test_an_open_ticket_leaves_a_triaged_case_triaged(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    _apply(db, connection, page(ticket(status="new", stage="new")))

    def triage(session: Session) -> None:
        _case(session).stage = Stage.TRIAGED.value

    db.write(triage).result()
    _apply(db, connection, page(ticket(status="open", stage="investigating", minutes=5)))
    assert db.read(lambda s: _case(s).stage).result() == "triaged"  # "open" is what triaged maps to

    _apply(db, connection, page(ticket(status="hold", stage="awaiting_engineering", minutes=9)))
    assert db.read(lambda s: _case(s).stage).result() == "awaiting_engineering"


def test_a_pending_local_stage_change_survives_a_pull(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    _apply(db, connection, page(ticket()))
    actor = db.read(lambda s: _case(s).assignee_id).result()
    case_id = db.read(lambda s: _case(s).id).result()
    db.write(change_stage, case_id, Stage.AWAITING_CUSTOMER, actor, "Asked for the HAR file", T0).result()
    assert db.read(pending_fields, case_id).result() == frozenset({"stage"})

    # The helpdesk still says "open" (our change is not delivered yet) and a customer wrote meanwhile.
    _apply(db, connection, page(ticket(priority="high", minutes=7), comments=(comment("8", minutes=7),)))

    def check(session: Session) -> None:
        case = _case(session)
        assert case.stage == "awaiting_customer"  # kept: a pending local edit
        assert case.priority == "high"  # not pending: the helpdesk's value
        assert case.remote_updated_at == T0 + timedelta(minutes=7)  # nobody else touched the stage

    db.read(check).result()


def test_a_remote_change_to_a_pending_field_keeps_the_version_the_edit_was_based_on(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    _apply(db, connection, page(ticket()))
    actor = db.read(lambda s: _case(s).assignee_id).result()
    case_id = db.read(lambda s: _case(s).id).result()
    db.write(change_stage, case_id, Stage.AWAITING_CUSTOMER, actor, "Asked for logs", T0).result()

    # Another agent put the ticket on hold in Zendesk meanwhile.
    _apply(db, connection, page(ticket(status="hold", stage="awaiting_engineering", minutes=7)))

    def check(session: Session) -> None:
        case = _case(session)
        assert case.stage == "awaiting_customer"  # never overwritten silently
        assert case.remote_updated_at == T0  # the push meets a 409: a conflict the user resolves

    db.read(check).result()


def test_a_comment_carrying_a_marker_is_the_delivery_of_the_local_reply(db: DbRunner) -> None:
    from core.communication.messages import OutgoingMessage, send_message
    from core.domain.enums import DraftChannel

    connection = db.write(add_zendesk).result()
    _apply(db, connection, page(ticket()))
    author = db.read(lambda s: _case(s).assignee_id).result()
    case_id = db.read(lambda s: _case(s).id).result()
    message = OutgoingMessage(case_id, author, DraftChannel.PUBLIC_REPLY, "Please send the HAR file.")
    db.write(send_message, message, T0).result()
    key, entry_id = db.read(
        lambda s: s.execute(select(OutboxRow.idempotency_key, OutboxRow.id)).one()
    ).result()

    changes = _apply(
        db,
        connection,
        page(
            ticket(minutes=3),
            comments=(comment("77", author_id="900", body="Please send the HAR file.", marker=key),),
        ),
    )

    assert changes.outbox == frozenset({entry_id})  # type: ignore[attr-defined]

    def check(session: Session) -> None:
        replies = [event for event in _events(session) if event[0] == "agent_reply"]
        assert replies == [("agent_reply", "customer", "Please send the HAR file.", "77")]
        entry = session.get(OutboxRow, entry_id)
        assert entry is not None and entry.state == OutboxState.DONE.value

    db.read(check).result()


def test_a_deleted_ticket_keeps_its_case_and_says_it_was_deleted_once(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    _apply(db, connection, page(ticket(), comments=(comment("1"),)))

    _apply(db, connection, page(deleted=("1001",), cursor="c2"))
    _apply(db, connection, page(deleted=("1001",), cursor="c3"))

    def check(session: Session) -> None:
        events = _events(session)
        assert events[0][2] == "It still loops."
        deleted = [event for event in events if "deleted in Zendesk" in event[2]]
        assert len(deleted) == 1
        assert cursor_of(session, connection, "tickets") == "c3"

    db.read(check).result()


def test_a_pulled_customer_reply_moves_the_sla_deadline(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    _apply(db, connection, page(ticket(), comments=(comment("1"), comment("2", author_id="900", minutes=5))))
    before = db.read(lambda s: _case(s).sla_due_at).result()

    _apply(db, connection, page(ticket(minutes=240), comments=(comment("3", minutes=240, body="Any news?"),)))

    after = db.read(lambda s: _case(s).sla_due_at).result()
    assert after is not None and after != before


def test_the_helpdesks_own_sla_targets_replace_the_earlier_ones(db: DbRunner) -> None:
    from dataclasses import replace

    connection = db.write(add_zendesk).result()
    first = VendorSlaTarget(
        "zendesk", "first_reply_time", VendorSlaState.RUNNING, due_at=T0 + timedelta(hours=1)
    )
    later = VendorSlaTarget(
        "zendesk", "next_reply_time", VendorSlaState.BREACHED, due_at=T0 + timedelta(hours=2)
    )
    _apply(db, connection, page(replace(ticket(), vendor_sla=(first,))))
    _apply(db, connection, page(replace(ticket(minutes=5), vendor_sla=(later,))))

    metrics = db.read(lambda s: list(s.scalars(select(VendorSlaTargetRow.metric)))).result()
    assert metrics == ["next_reply_time"]


def test_a_group_the_mapping_names_is_that_team(db: DbRunner) -> None:
    from tests.factories import add_team

    team_id = db.write(lambda s: add_team(s, "SSO specialists", key="sso").id).result()
    mapping = FieldMapping(team_groups=(("sso", "30"),))
    connection = db.write(add_zendesk, "Acme", mapping).result()

    _apply(db, connection, page(ticket()))

    def check(session: Session) -> None:
        assert _case(session).team_id == team_id
        team = session.get(TeamRow, team_id)
        assert team is not None and (team.name, team.remote_id) == ("SSO specialists", "30")
        assert _count(session, TeamRow) == 1

    db.read(check).result()


def test_pending_fields_follow_each_operation(db: DbRunner) -> None:
    from core.communication.messages import OutgoingMessage, send_message
    from core.domain.enums import DraftChannel
    from core.routing.moves import MoveRequest, move_cases

    connection = db.write(add_zendesk).result()
    _apply(db, connection, page(ticket()))
    author = db.read(lambda s: _case(s).assignee_id).result()
    team = db.read(lambda s: _case(s).team_id).result()
    case_id = db.read(lambda s: _case(s).id).result()

    db.write(
        send_message, OutgoingMessage(case_id, author, DraftChannel.INTERNAL_NOTE, "Checked logs."), T0
    ).result()
    assert db.read(pending_fields, case_id).result() == frozenset()

    db.write(move_cases, MoveRequest((case_id,), team, None, author), T0).result()
    assert db.read(pending_fields, case_id).result() == frozenset({"team", "assignee"})

    db.write(change_stage, case_id, Stage.AWAITING_CUSTOMER, author, "", T0).result()
    assert db.read(pending_fields, case_id).result() == frozenset({"team", "assignee", "stage"})


def test_a_page_of_tickets_takes_a_few_statements_not_one_per_ticket(db: DbRunner) -> None:
    from sqlalchemy import event

    connection = db.write(add_zendesk).result()
    tickets = tuple(ticket(str(2000 + n), subject=f"Ticket {n}") for n in range(100))
    comments = tuple(comment(str(9000 + n), str(2000 + n)) for n in range(100))
    _apply(db, connection, page(*tickets, comments=comments))  # the cases exist: the second page updates

    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    updated = tuple(ticket(str(2000 + n), subject=f"Ticket {n}", minutes=5) for n in range(100))
    more = tuple(comment(str(9100 + n), str(2000 + n), minutes=5) for n in range(100))
    with Session(db.engine) as session:  # no SLA hook here: only the merge's own statements
        event.listen(session.connection(), "before_cursor_execute", count)
        apply_page(session, connection, page(*updated, comments=more, cursor="c2"), T0 + timedelta(minutes=5))
        session.commit()

    assert len(statements) < 25, statements
    assert db.read(lambda s: len(_events(s, "2099"))).result() == 2


def test_a_comment_by_someone_the_page_did_not_describe_is_a_customer_message_named_by_id(
    db: DbRunner,
) -> None:
    connection = db.write(add_zendesk).result()

    _apply(db, connection, page(ticket(), comments=(comment("1", author_id="4242", body="Forwarded"),)))

    assert db.read(_events).result() == [("customer_message", "customer", "Forwarded", "1")]
    names = db.read(lambda s: list(s.scalars(select(TimelineEventRow.author_name)))).result()
    assert names == ["Zendesk user 4242"]


def test_search_finds_a_pulled_case_by_the_words_of_its_comments(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    first = page(ticket(), comments=(comment("1", body="The SAML assertion carries a stale audience."),))
    _apply(db, connection, first)
    while db.write(index_backlog, connection, T0).result():  # a first pull: indexed once it is done
        pass
    later = page(
        ticket(),
        comments=(comment("2", body="Rotating the signing certificate fixed the audience."),),
        cursor="c2",
    )
    _apply(db, connection, later, minutes=10)

    def found(session: Session, words: str) -> list[str]:
        return [hit.subject for hit in search_cases(session, words)]

    assert db.read(found, "stale audience").result() == ["SSO login loops"]
    assert db.read(found, "signing certificate").result() == ["SSO login loops"]  # the second page's comment


def test_a_tier_the_helpdesk_changed_under_a_pending_escalation_keeps_the_version(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    _apply(db, connection, page(ticket(tier=2)))

    def escalate(session: Session) -> None:
        case = _case(session)
        payload = {"from_stage": case.stage, "stage": "requested", "from_tier": 2, "tier": 3}
        enqueue(session, case, OutboxOperation.ESCALATE, payload, T0)
        case.tier, case.stage = 3, "requested"

    db.write(escalate).result()
    # Another agent lowered the tier field in Zendesk meanwhile.
    _apply(db, connection, page(ticket(tier=1, minutes=7)))

    def check(session: Session) -> None:
        case = _case(session)
        assert case.tier == 3  # the pending escalation's tier is kept
        assert case.remote_updated_at == T0  # the push meets a 409: a conflict, never a silent overwrite

    db.read(check).result()
