"""The server's reason for refusing a request, as the user reads it."""

from __future__ import annotations

from typing import Any

import pytest

from sync.http import server_message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {
                "error": "RecordInvalid",
                "description": "Record validation errors",
                "details": {
                    "base": [{"description": "Status: closed prevents ticket update", "error": "Closed"}],
                    "priority": [{"description": "is not a valid value", "error": "InvalidValue"}],
                },
            },
            "Status: closed prevents ticket update; priority: is not a valid value",
        ),
        (
            {"error": "TooManyValues", "description": "Parameter ids cannot specify more than 100 values"},
            "Parameter ids cannot specify more than 100 values",
        ),
        ({"error": "RecordNotFound", "description": "Not found"}, "Not found"),
        ({"error": "Couldn't authenticate you"}, "Couldn't authenticate you"),
        (
            {"error": {"title": "Forbidden", "message": "You do not have access to this page."}},
            "You do not have access to this page.",
        ),
        (
            {
                "description": "Validation failed",
                "errors": [{"field": "email", "message": "It should be valid"}],
            },
            "email: It should be valid",
        ),
        (
            [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}],
            "Session expired or invalid",
        ),
        ("Too Many Requests\n  try later", "Too Many Requests try later"),
        ({}, ""),
        (None, ""),
    ],
)
def test_the_most_specific_reason_is_extracted(body: Any, message: str) -> None:
    assert server_message(body) == message


def test_long_reasons_are_shortened() -> None:
    assert len(server_message("x" * 5000)) == 300
