"""Connections: saved, validated field by field, renamed with their cursors, removed without losing cases."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db.models import CaseRow, SyncCursorRow
from core.db.runner import DbRunner
from core.domain.enums import Priority, Stage
from core.remote.connections import (
    ConnectionDraft,
    ConnectionProblem,
    connection_named,
    cursor_of,
    default_mapping,
    list_connections,
    remove_connection,
    save_connection,
    set_status,
)
from core.remote.dtos import AuthMethod, ConnectionScope, ConnectionStatus
from core.remote.merge import apply_page
from tests.core.remote.builders import T0, add_zendesk, page, ticket


def _draft(**changes: object) -> ConnectionDraft:
    values: dict[str, object] = {
        "name": "Acme Zendesk",
        "kind": "zendesk",
        "base_url": "https://acme.zendesk.com/",
        "auth_method": AuthMethod.API_TOKEN,
        "account_email": "priya@acme.example",
    }
    values.update(changes)
    return ConnectionDraft(**values)  # type: ignore[arg-type]


def test_zendesk_default_mapping_pulls_and_pushes_every_status() -> None:
    mapping = default_mapping("zendesk")
    assert dict(mapping.status_stages) == {
        "new": "new",
        "open": "investigating",
        "pending": "awaiting_customer",
        "hold": "awaiting_engineering",
        "solved": "resolved",
        "closed": "closed",
    }
    pushes = dict(mapping.stage_statuses)
    assert set(pushes) == {stage.value for stage in Stage}
    for stage in ("requested", "triaged", "investigating"):
        assert pushes[stage] == "open"
    assert (pushes["awaiting_customer"], pushes["resolution_proposed"]) == ("pending", "pending")
    assert (pushes["awaiting_engineering"], pushes["awaiting_approval"]) == ("hold", "hold")
    assert (pushes["resolved"], pushes["closed"]) == ("solved", "closed")
    assert dict(mapping.priority_values) == {priority.value: priority.value for priority in Priority}


def test_a_saved_connection_reads_back_with_its_scope_and_mapping(db: DbRunner) -> None:
    scope = ConnectionScope(group_ids=("30", "31"), tags=("escalated",))
    saved = db.write(save_connection, _draft(scope=scope)).result()

    found = db.read(connection_named, "Acme Zendesk").result()
    assert found == saved
    assert found is not None
    assert found.base_url == "https://acme.zendesk.com"  # the trailing slash is dropped
    assert found.scope == scope
    assert found.mapping == default_mapping("zendesk")
    assert found.status is ConnectionStatus.NEVER_SYNCED
    assert [c.name for c in db.read(list_connections).result()] == ["Acme Zendesk"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"base_url": "http://acme.zendesk.com"}, "URL: must start with https://"),
        ({"base_url": "ftp://acme.zendesk.com"}, "URL: must start with https://"),
        ({"base_url": ""}, "URL: required"),
        ({"name": "  "}, "Name: required"),
        ({"kind": "jira"}, "Helpdesk: “jira” is not one Handoff can sync with"),
        ({"account_email": None}, "E-mail: required to sign in with an API token"),
        ({"account_email": "priya"}, "E-mail: “priya” is not an e-mail address"),
        ({"ca_bundle": "/nowhere/corporate.pem"}, "CA bundle: there is no file /nowhere/corporate.pem"),
    ],
)
def test_a_problem_names_the_field(db: DbRunner, changes: dict[str, object], message: str) -> None:
    with pytest.raises(ConnectionProblem) as raised:
        db.write(save_connection, _draft(**changes)).result()
    assert any(problem.startswith(message) for problem in raised.value.problems), raised.value.problems
    assert db.read(list_connections).result() == []


def test_plain_http_is_only_for_a_sandbox_on_this_machine(db: DbRunner) -> None:
    local = db.write(save_connection, _draft(name="Sandbox", base_url="http://127.0.0.1:8443")).result()
    named = db.write(save_connection, _draft(name="Sandbox 2", base_url="http://localhost:8443")).result()
    assert (local.base_url, named.base_url) == ("http://127.0.0.1:8443", "http://localhost:8443")


def test_oauth_needs_no_email_and_a_readable_ca_bundle_is_kept(db: DbRunner, tmp_path: Path) -> None:
    bundle = tmp_path / "corporate.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    saved = db.write(
        save_connection, _draft(auth_method=AuthMethod.OAUTH, account_email=None, ca_bundle=str(bundle))
    ).result()
    assert (saved.auth_method, saved.account_email, saved.ca_bundle) == (AuthMethod.OAUTH, None, str(bundle))


def test_two_connections_cannot_share_a_name(db: DbRunner) -> None:
    db.write(save_connection, _draft()).result()
    with pytest.raises(ConnectionProblem, match="Name: another connection is already called “Acme Zendesk”"):
        db.write(save_connection, _draft(base_url="https://other.zendesk.com")).result()


def test_renaming_a_connection_keeps_where_its_pull_stopped(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    db.write(apply_page, connection, page(ticket(), cursor="after-1"), T0).result()

    renamed = db.write(save_connection, _draft(name="Support desk"), connection.id).result()

    assert renamed.id == connection.id
    assert db.read(cursor_of, renamed, "tickets").result() == "after-1"
    assert db.read(connection_named, "Acme Zendesk").result() is None


def test_status_and_last_sync_are_recorded(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    db.write(set_status, connection.id, ConnectionStatus.CONNECTED, None, T0).result()
    db.write(set_status, connection.id, ConnectionStatus.OFFLINE, "Cannot reach acme.zendesk.com").result()

    found = db.read(connection_named, connection.name).result()
    assert found is not None
    assert found.status is ConnectionStatus.OFFLINE
    assert found.status_message == "Cannot reach acme.zendesk.com"
    assert found.last_synced_at == T0  # an offline spell does not forget the last good sync


def test_removing_a_connection_keeps_its_cases_and_forgets_its_cursor(db: DbRunner) -> None:
    connection = db.write(add_zendesk).result()
    db.write(apply_page, connection, page(ticket()), T0).result()

    changes = db.write(remove_connection, connection.id).result()

    assert changes.config
    assert db.read(list_connections).result() == []
    assert db.read(lambda s: s.scalar(select(func.count()).select_from(CaseRow))).result() == 1
    assert db.read(lambda s: s.scalar(select(func.count()).select_from(SyncCursorRow))).result() == 0


def test_editing_without_a_mapping_keeps_the_one_the_user_made(db: DbRunner) -> None:
    mapping = replace(default_mapping("zendesk"), team_groups=(("sso", "30"),), tier_field_id="360001")
    saved = db.write(save_connection, _draft(mapping=mapping)).result()

    edited = db.write(save_connection, _draft(base_url="https://acme2.zendesk.com"), saved.id).result()

    assert edited.mapping == mapping
    assert edited.base_url == "https://acme2.zendesk.com"


def test_a_mapping_to_an_unknown_stage_is_refused(db: DbRunner) -> None:
    mapping = replace(default_mapping("zendesk"), status_stages=(("open", "working"),))
    with pytest.raises(
        ConnectionProblem, match="Status mapping: “open” maps to “working”, which is not a Handoff stage"
    ):
        db.write(save_connection, _draft(mapping=mapping)).result()
