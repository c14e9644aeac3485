"""Allowed hosts: a connection to any other host is refused (on save and at sync start)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest

from core.policy import (
    DEFAULT_POLICY,
    Feature,
    HostNotAllowed,
    Policy,
    PresetConnection,
    check_connection_host,
    host_allowed,
    refused_connections,
    set_current_policy,
)
from core.policy.hosts import connection_policy_problems, permitted_connections, user_connection_problems
from core.remote.connections import ConnectionDraft
from core.remote.dtos import AuthMethod


@dataclass(frozen=True)
class FakeConnection:
    name: str
    base_url: str


RESTRICTED = Policy(allowed_hosts=("acme.zendesk.com", "*.support.acme.com"))


def test_without_allowed_hosts_every_host_is_allowed() -> None:
    assert host_allowed(DEFAULT_POLICY, "https://anything.example")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://acme.zendesk.com", True),
        ("https://ACME.zendesk.com/api/v2", True),
        ("https://eu.support.acme.com", True),
        ("https://support.acme.com", False),  # the wildcard names subdomains only
        ("https://evilsupport.acme.com", False),
        ("https://other.zendesk.com", False),
        ("not a url", False),
    ],
)
def test_hosts_are_matched_exactly_or_by_wildcard(url: str, allowed: bool) -> None:
    assert host_allowed(RESTRICTED, url) is allowed


def test_loopback_follows_the_demo_feature() -> None:
    assert host_allowed(RESTRICTED, "http://127.0.0.1:8123")
    no_demo = Policy(allowed_hosts=("acme.zendesk.com",), disabled_features=frozenset({Feature.DEMO}))
    assert not host_allowed(no_demo, "http://127.0.0.1:8123")


def test_refusal_names_the_host_and_the_allowed_ones() -> None:
    with pytest.raises(HostNotAllowed) as raised:
        check_connection_host(RESTRICTED, "https://other.zendesk.com")
    assert str(raised.value) == (
        "Your organization's policy does not allow connections to other.zendesk.com "
        "(allowed hosts: acme.zendesk.com, *.support.acme.com)."
    )
    with pytest.raises(HostNotAllowed, match=r"\(allowed hosts: none\)"):
        check_connection_host(Policy(allowed_hosts=()), "https://acme.zendesk.com")


def test_sync_start_lists_the_connections_it_must_skip() -> None:
    good = FakeConnection("Acme", "https://acme.zendesk.com")
    bad = FakeConnection("Old", "https://old.zendesk.com")
    assert refused_connections(RESTRICTED, [good, bad]) == [bad]


def test_problems_for_saving_a_connection_are_worded_like_save_connections() -> None:
    assert connection_policy_problems("https://acme.zendesk.com", RESTRICTED) == []
    assert connection_policy_problems("https://other.zendesk.com", RESTRICTED) == [
        "URL: Your organization's policy does not allow connections to other.zendesk.com "
        "(allowed hosts: acme.zendesk.com, *.support.acme.com)."
    ]


def test_with_connections_locked_only_the_policys_own_can_be_saved() -> None:
    preset = PresetConnection("zendesk", "Acme", "https://acme.zendesk.com", "api_token")
    locked = Policy(connections=(preset,), locked_settings=frozenset({"connections"}))
    own = ConnectionDraft("Acme", "zendesk", "https://acme.zendesk.com/", AuthMethod.API_TOKEN, "me@acme.com")
    assert user_connection_problems(own, locked) == []  # signing in to it, with the user's e-mail
    other = ConnectionDraft(
        "Mine", "zendesk", "https://acme.zendesk.com", AuthMethod.API_TOKEN, "me@acme.com"
    )
    assert user_connection_problems(other, locked) == [
        "Connection: helpdesk connections are managed by your organization; "
        "only its own can be signed in to (Acme)"
    ]
    moved = ConnectionDraft("Acme", "zendesk", "https://other.zendesk.com", AuthMethod.OAUTH)
    assert len(user_connection_problems(moved, locked)) == 1
    assert user_connection_problems(other, RESTRICTED) == []


def test_the_current_policy_is_used_by_default(caplog: pytest.LogCaptureFixture) -> None:
    good = FakeConnection("Acme", "https://acme.zendesk.com")
    bad = FakeConnection("Old", "https://old.zendesk.com")
    assert permitted_connections([good, bad]) == [good, bad]  # no policy set
    set_current_policy(RESTRICTED)
    try:
        with caplog.at_level(logging.WARNING, logger="handoff.policy"):
            assert permitted_connections([good, bad]) == [good]
        assert (
            "sync skipped: Your organization's policy does not allow connections to old.zendesk.com"
            in caplog.text
        )
        assert connection_policy_problems("https://old.zendesk.com")[0].startswith("URL: ")
    finally:
        set_current_policy(DEFAULT_POLICY)
