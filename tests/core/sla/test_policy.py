"""Policies: first match wins over every condition; a cycle's snapshot carries a stable version."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.config.sla_defaults import DEFAULT_SLA
from core.config.sla_model import SlaSettings
from core.sla.calendar import CalendarError
from core.sla.policy import match_policy, snapshot_for
from tests.core.sla.builders import berlin, calendar_settings, created, policy, target, timeline

OPENED = berlin(2026, 11, 24, 9, 0)
CASE = timeline(created(OPENED), priority="high", customer_tier="enterprise", product_area="billing", tier=2)


def settings(*policies: object) -> SlaSettings:
    return SlaSettings(calendars=(calendar_settings(),), policies=policies, pauses=())  # type: ignore[arg-type]


def test_the_first_matching_policy_wins() -> None:
    sla = settings(
        policy(key="vip", customer_tiers=("strategic",)),
        policy(key="enterprise", customer_tiers=("enterprise",)),
        policy(key="everyone"),
    )
    matched = match_policy(CASE, sla)
    assert matched is not None and matched.key == "enterprise"


@pytest.mark.parametrize(
    ("condition", "matching", "other"),
    [
        ("priorities", ("high",), ("low",)),
        ("customer_tiers", ("enterprise",), ("starter",)),
        ("product_areas", ("billing",), ("mobile",)),
        ("sources", ("email",), ("chat",)),
        ("tiers", (2,), (3,)),
    ],
)
def test_every_non_empty_condition_must_hold(
    condition: str, matching: tuple[object, ...], other: tuple[object, ...]
) -> None:
    sla = settings(
        policy(key="specific", **{condition: other}), policy(key="fallback", **{condition: matching})
    )
    matched = match_policy(CASE, sla)
    assert matched is not None and matched.key == "fallback"


def test_no_policy_no_snapshot() -> None:
    sla = settings(policy(key="starter only", customer_tiers=("starter",)))
    assert match_policy(CASE, sla) is None
    assert snapshot_for(CASE, sla, OPENED) is None


def test_the_shipped_defaults_give_enterprise_round_the_clock_and_others_office_hours() -> None:
    enterprise = snapshot_for(CASE, DEFAULT_SLA, OPENED)
    starter = snapshot_for(CASE._replace(customer_tier="starter"), DEFAULT_SLA, OPENED)
    assert enterprise is not None and starter is not None
    assert (enterprise.policy.key, enterprise.calendar.key) == ("enterprise", "always")
    assert (starter.policy.key, starter.calendar.key) == ("standard", "office")


def test_the_version_is_stable_and_changes_with_the_policy_or_its_calendar() -> None:
    sla = settings(policy(target("first_reply", 60)))
    first = snapshot_for(CASE, sla, OPENED)
    again = snapshot_for(CASE, sla, berlin(2026, 12, 1))
    assert first is not None and again is not None
    assert first.version == again.version and len(first.version) == 12
    edited = replace(sla, policies=(policy(target("first_reply", 90)),))
    new_hours = replace(sla, calendars=(calendar_settings("mon-fri 08:00-16:00"),))
    versions = {first.version}
    for changed in (edited, new_hours):
        snapshot = snapshot_for(CASE, changed, OPENED)
        assert snapshot is not None
        versions.add(snapshot.version)
    assert len(versions) == 3


def test_the_snapshot_keeps_the_policy_it_started_with() -> None:
    sla = settings(policy(target("first_reply", 60)))
    snapshot = snapshot_for(CASE, sla, OPENED)
    assert snapshot is not None and snapshot.started_at == OPENED
    assert snapshot.policy.targets[0].minutes == 60


def test_a_policy_naming_an_unknown_calendar_is_refused() -> None:
    sla = settings(policy(key="lost", calendar_key="nowhere"))
    with pytest.raises(CalendarError, match=r"'lost'.*'nowhere'"):
        snapshot_for(CASE, sla, OPENED)


def test_a_policy_with_an_unusable_calendar_is_refused() -> None:
    sla = SlaSettings(
        calendars=(calendar_settings(timezone="Mars/Olympus"),), policies=(policy(),), pauses=()
    )
    with pytest.raises(CalendarError, match="Mars/Olympus"):
        snapshot_for(CASE, sla, OPENED)
