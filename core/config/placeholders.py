"""Message template placeholders: which exist, and filling them in without ever failing on user text."""

from __future__ import annotations

import re
from collections.abc import Mapping

from core.config.model import MessageTemplate

PLACEHOLDERS: tuple[str, ...] = (
    "customer_name",
    "contact_name",
    "case_number",
    "specialist",
    "next_update_due",
    "subject",
)

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders_in(body: str) -> list[str]:
    """The placeholder names ``body`` uses, in order of appearance (repeats included)."""
    return _PLACEHOLDER.findall(body)


def render_template(template: MessageTemplate | str, values: Mapping[str, str]) -> str:
    """The body of ``template`` (a template or its body) with each ``{name}`` replaced by ``values[name]``.

    A placeholder without a value stays as written (``{next_update_due}``), so
    the author sees what is left to fill in; braces that are not placeholders
    are kept as they are. Nothing the user typed can make this raise.
    """
    body = template if isinstance(template, str) else template.body
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), body)
