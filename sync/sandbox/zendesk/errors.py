"""The error answers of the sandbox Zendesk, with the bodies real Zendesk sends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class ZendeskError(Exception):
    """An error answer: HTTP status, JSON body and extra headers."""

    def __init__(self, status: int, body: Mapping[str, object], headers: Mapping[str, str] | None = None):
        super().__init__(f"{status} {body.get('error')}")
        self.status = status
        self.body = dict(body)
        self.headers = dict(headers or {})


def not_found() -> ZendeskError:
    """404 for a record that does not exist (or was deleted)."""
    return ZendeskError(404, {"error": "RecordNotFound", "description": "Not found"})


def invalid_endpoint() -> ZendeskError:
    """404 for a path the API does not have."""
    return ZendeskError(404, {"error": "InvalidEndpoint", "description": "Not found"})


def not_authenticated() -> ZendeskError:
    """401 without valid credentials."""
    return ZendeskError(401, {"error": "Couldn't authenticate you"})


def forbidden() -> ZendeskError:
    """403 for an end-user credential on an agent endpoint."""
    return ZendeskError(
        403,
        {
            "error": "Forbidden",
            "description": "You do not have access to this page. "
            "Please contact the account owner of this help desk for further help.",
        },
    )


def record_invalid(details: Mapping[str, Sequence[Mapping[str, str]]]) -> ZendeskError:
    """422 with per-field validation errors."""
    return ZendeskError(
        422,
        {
            "error": "RecordInvalid",
            "description": "Record validation errors",
            "details": {name: [dict(item) for item in items] for name, items in details.items()},
        },
    )


def field_invalid(field_name: str, description: str, error: str = "InvalidValue") -> ZendeskError:
    """422 for one invalid field."""
    return record_invalid({field_name: [{"description": description, "error": error}]})


def invalid_value(description: str) -> ZendeskError:
    """422 for a bad query parameter (a cursor or start time the export cannot use)."""
    return ZendeskError(422, {"error": "InvalidValue", "description": description})


def bad_request(description: str) -> ZendeskError:
    """400 for a malformed request body or parameter."""
    return ZendeskError(400, {"error": "InvalidParameter", "description": description})


def too_many_values(parameter: str, max_count: int = 100) -> ZendeskError:
    """400 when a bulk parameter names more than ``max_count`` values."""
    return ZendeskError(
        400,
        {
            "error": "TooManyValues",
            "description": f"Parameter {parameter} cannot specify more than {max_count} values",
            "max_count": max_count,
        },
    )


def update_conflict() -> ZendeskError:
    """409 when ``safe_update`` finds the ticket changed since ``updated_stamp``; nothing is applied."""
    return ZendeskError(
        409,
        {
            "error": "UpdateConflict",
            "description": "Safe Update prevented the update due to outdated ticket data. "
            "Please fetch the latest ticket data and try again.",
        },
    )


def method_not_allowed() -> ZendeskError:
    """405 for a known path with a method it does not take."""
    return ZendeskError(405, {"error": "MethodNotAllowed", "description": "Method not allowed"})


def upload_too_large(max_bytes: int) -> ZendeskError:
    """413 for an upload over the account's file size limit; nothing is kept."""
    limit = f"{max_bytes / (1024 * 1024):g} MB"
    return ZendeskError(
        413,
        {
            "error": "RecordInvalid",
            "description": "Record validation errors",
            "details": {
                "uploads": [
                    {
                        "description": f"Uploads: file size exceeds the limit of {limit}",
                        "error": "FileTooLarge",
                    }
                ]
            },
        },
    )
