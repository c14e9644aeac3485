"""UI fixtures: DataAccess on a real DB thread, and workspaces filled through the ORM."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from core.db.models import CaseRow, EscalationRow, InvestigationNoteRow
from core.db.runner import DbRunner
from core.db.types import utc_now
from core.domain.enums import EventKind, Priority, Stage
from core.settings import ME_PERSON_ID, set_setting
from tests.factories import BASE_TIME, add_case, add_customer, add_event, add_person, add_team
from ui.case_view import CaseView
from ui.data_access import DataAccess

HOSTILE_HTML = (
    "<p>Hi team, the <b>login loop</b> is back.</p>"
    "<script>document.title = 'pwned-by-script'</script>"
    '<img src="http://127.0.0.1:9/tracker.png" onerror="alert(\'pwned-by-onerror\')">'
    '<iframe src="http://127.0.0.1:9/frame">pwned-by-iframe</iframe>'
    '<p style="background: url(http://127.0.0.1:9/bg.png)">See <a href="https://status.example.com/7">'
    "the status page</a> and <a href=\"javascript:alert('pwned-by-link')\">this</a>.</p>"
)


@dataclass(frozen=True)
class Sample:
    """Case ids of the sample workspace, by case number."""

    ids: dict[int, int]
    me: int

    def id(self, number: int) -> int:
        return self.ids[number]


# number, subject, stage, priority, team ("sso"/"billing"), assignee ("me"/"marco"/"ana"/None)
SAMPLE_CASES: tuple[tuple[int, str, Stage, Priority, str, str | None], ...] = (
    (
        1001,
        "Okta SSO login loops back to the sign-in page",
        Stage.INVESTIGATING,
        Priority.URGENT,
        "sso",
        "me",
    ),
    (
        1002,
        "SAML assertion rejected after certificate rotation",
        Stage.TRIAGED,
        Priority.HIGH,
        "sso",
        "marco",
    ),
    (1003, "Invoice shows duplicate line items", Stage.AWAITING_CUSTOMER, Priority.NORMAL, "billing", "ana"),
    (1004, "Refund not received for cancelled plan", Stage.AWAITING_CUSTOMER, Priority.LOW, "billing", None),
    (1005, "Webhook signature mismatch on retries", Stage.INVESTIGATING, Priority.NORMAL, "sso", "me"),
    (1006, "Okta group push does not remove users", Stage.REQUESTED, Priority.HIGH, "sso", None),
    (1007, "CSV export truncates unicode names", Stage.RESOLVED, Priority.NORMAL, "billing", "ana"),
    (1008, "Dashboard slow for large accounts", Stage.CLOSED, Priority.LOW, "billing", "ana"),
)
OPEN_NUMBERS = (1001, 1002, 1003, 1004, 1005, 1006)


def _write_sample(session: Session) -> Sample:
    sso = add_team(session, "Identity & SSO")
    billing = add_team(session, "Billing")
    me = add_person(session, "Priya Raman", sso)
    people = {
        "me": me,
        "marco": add_person(session, "Marco Bellini", sso),
        "ana": add_person(session, "Ana Costa"),
    }
    set_setting(session, ME_PERSON_ID, str(me.id))
    customers = [add_customer(session, "Northwind Traders"), add_customer(session, "Contoso", "strategic")]
    ids: dict[int, int] = {}
    for index, (number, subject, stage, priority, team, assignee) in enumerate(SAMPLE_CASES):
        done = stage in (Stage.RESOLVED, Stage.CLOSED)
        case = add_case(
            session,
            number,
            subject,
            description=f"Customer report for {subject.lower()}.",
            customer=customers[index % 2],
            team=sso if team == "sso" else billing,
            assignee=people[assignee] if assignee else None,
            stage=stage,
            priority=priority,
            updated_at=BASE_TIME - timedelta(hours=index),
            resolved_at=(utc_now() - timedelta(days=2 if number == 1007 else 60)) if done else None,
        )
        ids[number] = case.id
    _write_timeline(session, session.get_one(CaseRow, ids[1001]), me.id)
    return Sample(ids=ids, me=me.id)


def _write_timeline(session: Session, case: CaseRow, me_id: int) -> None:
    add_event(
        session, case, EventKind.CUSTOMER_MESSAGE, "Hi team, the login loop is back.", body_html=HOSTILE_HTML
    )
    add_event(
        session,
        case,
        EventKind.AGENT_REPLY,
        "Thanks Dana,\nwe are looking into it.",
        author="Sam Agent",
        minutes_after=12,
    )
    add_event(
        session,
        case,
        EventKind.INTERNAL_NOTE,
        "Secret internal hunch: the IdP clock is skewed.",
        author="Priya Raman",
        minutes_after=30,
    )
    add_event(
        session,
        case,
        EventKind.TROUBLESHOOTING_STEP,
        "Cleared the session cache; the loop persists.",
        author="Sam Agent",
        minutes_after=35,
    )
    add_event(
        session,
        case,
        EventKind.SYSTEM_LOG,
        "2026-10-31T09:12:03Z ERROR saml: NotBefore in the future (skew=94s)",
        author="Log bundle",
        minutes_after=40,
    )
    add_event(
        session,
        case,
        EventKind.FIELD_CHANGE,
        "priority changed",
        author="Priya Raman",
        minutes_after=41,
        meta={"field": "priority", "from": "normal", "to": "urgent"},
    )
    add_event(
        session,
        case,
        EventKind.ATTACHMENT,
        "har file",
        author="Dana Whitfield",
        minutes_after=50,
        meta={"filename": "login-loop.har", "size_bytes": "482133"},
    )
    session.add(
        EscalationRow(
            case_id=case.id,
            tier=2,
            reason_code="technical_expertise",
            justification="Needs an SSO specialist.",
            stage=Stage.INVESTIGATING.value,
            team_id=case.team_id,
            requested_by_id=me_id,
            requested_at=case.created_at + timedelta(minutes=20),
        )
    )
    session.add(
        InvestigationNoteRow(
            case_id=case.id,
            author_id=me_id,
            kind="hypothesis",
            body="Clock skew between the IdP and our servers.",
            created_at=case.created_at + timedelta(minutes=45),
            updated_at=case.created_at + timedelta(minutes=45),
        )
    )
    session.flush()


def _write_many(session: Session, count: int) -> list[int]:
    team = add_team(session, "Platform")
    rows = [
        CaseRow(
            number=20_000 + index,
            subject=f"Generated case {index:04d} about {'okta' if index % 10 == 0 else 'billing'}",
            description="",
            priority=list(Priority)[index % 4].value,
            stage=Stage.INVESTIGATING.value,
            tier=2,
            team_id=team.id,
            created_at=BASE_TIME - timedelta(days=3),
            updated_at=BASE_TIME - timedelta(minutes=index),
        )
        for index in range(count)
    ]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


@pytest.fixture(autouse=True)
def garbage_collected_on_the_ui_thread() -> Iterator[None]:
    """No cyclic garbage collection on the DB thread during a UI test (as in the app).

    A collection that happened to run on the DB thread could destroy Qt objects off their
    thread and crash; the app prevents it with desktop.gc_guard, the tests by collecting
    here, on the UI thread, before and after each test and not in between.
    """
    gc.collect()
    gc.disable()
    yield
    gc.enable()
    gc.collect()


@pytest.fixture(autouse=True)
def no_sql_on_the_ui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every UI test fails if any SQL statement ran on the Qt (main) thread."""
    if "engine" not in request.fixturenames and "db" not in request.fixturenames:
        yield
        return
    engine: Engine = request.getfixturevalue("engine")
    on_ui_thread: list[str] = []

    def _before_cursor_execute(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append(statement)

    event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    yield
    event.remove(engine, "before_cursor_execute", _before_cursor_execute)
    assert not on_ui_thread, f"SQL ran on the UI thread: {on_ui_thread[:3]}"


@pytest.fixture
def data(db: DbRunner) -> Iterator[DataAccess]:
    """DataAccess over the test's DB thread; closed before the DB thread shuts down."""
    access = DataAccess(db)
    yield access
    access.close()


@pytest.fixture
def sample(db: DbRunner) -> Sample:
    """Eight cases over two teams (two of them mine), one with a rich, hostile timeline."""
    return db.write(_write_sample).result()


@pytest.fixture
def many_cases(db: DbRunner) -> list[int]:
    """1,000 open cases, newest first by id order; every tenth mentions okta."""
    return db.write(_write_many, 1000).result()


@pytest.fixture
def view(qtbot: QtBot, data: DataAccess) -> CaseView:
    """A shown case view (1200×900) over the test's DataAccess."""
    case_view = CaseView(data)
    qtbot.addWidget(case_view)
    case_view.resize(1200, 900)
    case_view.show()
    qtbot.waitExposed(case_view)
    return case_view
