"""Retry timing: jittered exponential backoff and Retry-After parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sync.http import RetryPolicy, backoff_delay, parse_retry_after


def test_backoff_doubles_each_retry_until_the_cap() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=3.0)

    delays = [backoff_delay(retry, policy, random=lambda: 0.999999) for retry in range(5)]

    assert delays == pytest.approx([0.5, 1.0, 2.0, 3.0, 3.0], rel=1e-5)


def test_jitter_keeps_each_wait_between_half_and_all_of_its_step() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=60.0)

    lowest = backoff_delay(3, policy, random=lambda: 0.0)
    middle = backoff_delay(3, policy, random=lambda: 0.5)

    assert (lowest, middle) == (4.0, 6.0)


@pytest.mark.parametrize(("header", "seconds"), [("7", 7.0), (" 2.5 ", 2.5), ("0", 0.0), ("-3", 0.0)])
def test_retry_after_in_seconds(header: str, seconds: float) -> None:
    assert parse_retry_after(header) == seconds


def test_retry_after_as_an_http_date_counts_from_now() -> None:
    now = datetime(2026, 11, 26, 19, 0, 0, tzinfo=UTC)

    assert parse_retry_after("Thu, 26 Nov 2026 19:00:30 GMT", now=now) == 30.0


@pytest.mark.parametrize("header", [None, "", "soon"])
def test_missing_or_unreadable_retry_after_is_none(header: str | None) -> None:
    assert parse_retry_after(header) is None


def test_writes_are_not_resent_after_an_ambiguous_failure_unless_asked() -> None:
    default, opted_in = RetryPolicy(), RetryPolicy(retry_ambiguous=True)

    assert default.retries_ambiguous("GET")
    assert not default.retries_ambiguous("PUT")
    assert not default.retries_ambiguous("post")
    assert opted_in.retries_ambiguous("PUT")
