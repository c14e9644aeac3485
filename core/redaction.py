"""Masking secrets (tokens, passwords, API keys) in text before it is logged or shown."""

from __future__ import annotations

import re

MASK = "[REDACTED]"

_PATTERNS: tuple[re.Pattern[str], ...] = (
    # Authorization headers: "Authorization: Bearer abc", "Basic abc=="
    re.compile(r"(?i)(authorization\s*[:=]\s*(?:bearer|basic|token)?\s*)([^\s,;'\"]+)"),
    re.compile(r"(?i)\b(bearer\s+)([A-Za-z0-9\-._~+/]+=*)"),
    # key=value and "key": "value" forms for secret-looking keys
    re.compile(
        r"(?i)([\"']?(?:access_token|refresh_token|api_token|api_key|apikey|token|password|secret|"
        r"client_secret)[\"']?\s*[:=]\s*[\"']?)([^\s&,;'\"]+)"
    ),
    # user:password@ in URLs
    re.compile(r"(?i)(https?://[^/\s:@]+:)([^@\s/]+)(@)"),
)


def redact(text: str) -> str:
    """``text`` with every credential-looking value replaced by ``[REDACTED]``."""
    for pattern in _PATTERNS:
        if pattern.groups == 3:
            text = pattern.sub(lambda m: m.group(1) + MASK + m.group(3), text)
        else:
            text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text
