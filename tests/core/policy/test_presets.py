"""Preconfigured connections: added when missing, corrected when changed, reported when incomplete."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.policy import Policy, PresetConnection
from core.policy.presets import apply_preset_connections
from core.remote.connections import ConnectionDraft, connection_named, list_connections, save_connection
from core.remote.dtos import AuthMethod

OAUTH = PresetConnection("zendesk", "Acme Zendesk", "https://acme.zendesk.com", "oauth")
TOKEN = PresetConnection("zendesk", "Acme Token", "https://acme.zendesk.com", "api_token")


def test_a_missing_preset_is_added_once(engine: Engine) -> None:
    policy = Policy(connections=(OAUTH,))
    with Session(engine) as session, session.begin():
        first = apply_preset_connections(session, policy)
    assert first.added == ("Acme Zendesk",) and first.changes.config
    with Session(engine) as session, session.begin():
        again = apply_preset_connections(session, policy)
        assert again.added == () and again.updated == () and not again.changes.config
        connection = connection_named(session, "Acme Zendesk")
    assert connection is not None
    assert connection.base_url == "https://acme.zendesk.com" and connection.auth_method is AuthMethod.OAUTH


def test_an_existing_connection_takes_the_policys_url_and_keeps_the_users_email(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        draft = ConnectionDraft(
            "Acme Token",
            "zendesk",
            "https://old.zendesk.com",
            AuthMethod.API_TOKEN,
            account_email="me@acme.com",
        )
        save_connection(session, draft)
    with Session(engine) as session, session.begin():
        applied = apply_preset_connections(session, Policy(connections=(TOKEN,)))
        connection = connection_named(session, "Acme Token")
    assert applied.updated == ("Acme Token",)
    assert connection is not None
    assert connection.base_url == "https://acme.zendesk.com" and connection.account_email == "me@acme.com"


def test_a_preset_that_needs_the_users_email_is_reported_and_the_rest_applied(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        applied = apply_preset_connections(session, Policy(connections=(TOKEN, OAUTH)))
    assert applied.skipped == ("Acme Token: E-mail: required to sign in with an API token",)
    assert applied.added == ("Acme Zendesk",)
    with Session(engine) as session:
        assert [connection.name for connection in list_connections(session)] == ["Acme Zendesk"]
