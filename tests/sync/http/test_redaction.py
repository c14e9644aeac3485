"""Secrets never reach a log line: registered secrets, headers, tokens in URLs, exceptions."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from sync.http import Credentials, install_redaction, redact_text, register_secret


@pytest.fixture
def log_text() -> Iterator[list[str]]:
    """Lines a redacted logger writes (a handler of our own, independent of pytest's capture)."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    logger = logging.getLogger("tests.sync.http.redaction")
    handler = Collect()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    install_redaction(logger)
    yield lines
    logger.removeHandler(handler)


def test_a_registered_secret_is_masked_wherever_it_appears() -> None:
    register_secret("zd-secret-8a7f3c")

    assert "zd-secret-8a7f3c" not in redact_text("token was zd-secret-8a7f3cX in a sentence")
    assert redact_text("nothing secret here") == "nothing secret here"


def test_message_and_arguments_are_redacted(log_text: list[str]) -> None:
    register_secret("arg-secret-123456")
    logger = logging.getLogger("tests.sync.http.redaction")

    logger.info("sending %s with %r", "arg-secret-123456", {"Authorization": "Bearer abc.def.ghi"})
    logger.debug("GET /api?access_token=qwerty987&page=2 password=hunter22")

    text = "\n".join(log_text)
    for secret in ("arg-secret-123456", "abc.def.ghi", "qwerty987", "hunter22"):
        assert secret not in text
    assert "sending" in text and "page=2" in text


def test_exceptions_and_stacks_are_redacted(log_text: list[str]) -> None:
    register_secret("exc-secret-555555")
    logger = logging.getLogger("tests.sync.http.redaction")

    try:
        raise RuntimeError("failed with token exc-secret-555555")
    except RuntimeError:
        logger.exception("request failed")

    assert "exc-secret-555555" not in "\n".join(log_text)
    assert "RuntimeError" in "\n".join(log_text)


def test_credentials_register_themselves_and_hide_from_repr() -> None:
    credentials = Credentials.api_token("agent@acme.example", "tok-4242-abcd")

    assert "tok-4242-abcd" not in repr(credentials)
    assert "tok-4242-abcd" not in redact_text(f"secret tok-4242-abcd, header {credentials.header}")
    assert credentials.value not in redact_text(f"value {credentials.value}")


def test_a_misformatted_record_is_still_redacted(log_text: list[str]) -> None:
    register_secret("fmt-secret-777777")
    logger = logging.getLogger("tests.sync.http.redaction")

    logger.info("only one slot %s", "fmt-secret-777777", "extra")

    assert log_text and "fmt-secret-777777" not in log_text[-1]
