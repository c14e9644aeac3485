"""Secrets never reach a log line."""

from __future__ import annotations

import logging

import pytest

from core.redaction import MASK, redact
from desktop.logging_setup import RedactingFilter


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "eyJhbGciOiJIUzI1NiJ9.payload.sig"),
        ("Authorization: Basic YWdlbnRAYWNtZS5jb20vdG9rZW46c2VjcmV0", "YWdlbnRAYWNtZS5jb20vdG9rZW46c2VjcmV0"),
        ("GET /oauth?access_token=abc123XYZ&page=2", "abc123XYZ"),
        ('{"api_token": "zd-6f1e0c9a", "email": "agent@acme.example"}', "zd-6f1e0c9a"),
        ("password=hunter2", "hunter2"),
        ("https://agent:s3cr3t@acme.zendesk.com/api/v2", "s3cr3t"),
    ],
)
def test_credentials_are_masked(line: str, secret: str) -> None:
    cleaned = redact(line)

    assert secret not in cleaned
    assert MASK in cleaned


def test_ordinary_text_is_left_alone() -> None:
    line = "Pulled 100 tickets from acme.zendesk.com in 2.3 s (cursor page 4)"

    assert redact(line) == line


def test_log_records_are_redacted_before_any_handler_writes_them() -> None:
    record = logging.LogRecord(
        "handoff.sync", logging.INFO, __file__, 1, "sent %s", ("Bearer abc.def.ghi",), None
    )

    RedactingFilter().filter(record)

    assert "abc.def.ghi" not in record.getMessage()
