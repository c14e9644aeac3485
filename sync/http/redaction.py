"""Credentials never reach a log line: registered secrets and credential-looking values are masked.

:func:`register_secret` remembers a secret (a token, a password, the encoded value of an
``Authorization`` header) for the life of the process; :class:`RedactionFilter` replaces
every registered secret and every credential-looking value (``Authorization: ...``,
``token=...``, ``access_token=...``, ``password=...``, see :func:`core.redaction.redact`)
in a log record's message, arguments, exception text and stack text.
:func:`install_redaction` puts the filter on a logger, on its handlers and on the loggers of
httpx and httpcore (records of a child logger skip its parents' filters, so each one is named).
"""

from __future__ import annotations

import logging
import threading
import traceback

from core.redaction import MASK, redact

_MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words; no real token is this short
_secrets: set[str] = set()
_secrets_lock = threading.Lock()

HTTP_LIBRARY_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


def register_secret(value: str) -> None:
    """Mask ``value`` wherever it appears in a log record from now on."""
    if len(value) >= _MIN_SECRET_LENGTH:
        with _secrets_lock:
            _secrets.add(value)


def redact_text(text: str) -> str:
    """``text`` with every registered secret and every credential-looking value masked."""
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)  # a longer secret may contain a shorter one
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return redact(text)


class RedactionFilter(logging.Filter):
    """Masks secrets in a record before any handler formats it (message and args, exception, stack)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: mask each part on its own
            message = " ".join([str(record.msg), *(str(arg) for arg in _args_of(record))])
        record.msg, record.args = redact_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


def _args_of(record: logging.LogRecord) -> tuple[object, ...]:
    args = record.args
    if args is None:
        return ()
    if isinstance(args, tuple):
        return args
    return (args,)


_FILTER = RedactionFilter()


def install_redaction(target: logging.Logger | None = None) -> RedactionFilter:
    """Redact every record that ``target`` (default: the root logger) and its handlers pass on.

    The filter goes on the logger, on each of its current handlers (records from child
    loggers reach handlers without passing the parent's own filters) and on the httpx and
    httpcore loggers. Installing twice adds nothing. Returns the filter, for
    :meth:`logging.Handler.addFilter` on handlers added later.
    """
    logger = target if target is not None else logging.getLogger()
    holders: list[logging.Logger | logging.Handler] = [logger, *logger.handlers]
    holders += [logging.getLogger(name) for name in HTTP_LIBRARY_LOGGERS]
    for holder in holders:
        if _FILTER not in holder.filters:
            holder.addFilter(_FILTER)
    return _FILTER
