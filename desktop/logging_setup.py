"""Logging for the app: a rotating file in the user log folder, secrets redacted everywhere."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from core.redaction import redact

_OURS = "_handoff_handler"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with credentials masked (see :func:`core.redaction.redact`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def configure_logging(log_folder: Path | None, *, verbose: bool = False) -> Path | None:
    """Send ``handoff.*`` logs to ``log_folder/handoff.log`` (rotating) and warnings to stderr.

    Returns the log file path, or None when the folder cannot be created (logging
    then goes to stderr only; a read-only home must not stop the app).
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    redacting = RedactingFilter()
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    console.addFilter(redacting)
    setattr(console, _OURS, True)
    root.addHandler(console)
    if log_folder is None:
        return None
    try:
        log_folder.mkdir(parents=True, exist_ok=True)
        log_file = log_folder / "handoff.log"
        file_handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as error:
        logging.getLogger("handoff").warning("cannot write logs to %s: %s", log_folder, error)
        return None
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    file_handler.addFilter(redacting)
    setattr(file_handler, _OURS, True)
    root.addHandler(file_handler)
    return log_file
