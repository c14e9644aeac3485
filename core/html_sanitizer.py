"""Sanitizing customer HTML before it is displayed: formatting survives, anything active or remote does not.

Customer messages arrive from helpdesks as raw HTML written by anyone. Before a
view renders it, :func:`sanitize_customer_html` keeps only harmless formatting
(paragraphs, emphasis, lists, quotes, code, tables, headings, links) and drops
everything that could run code or reach the network: scripts, styles, images,
frames, objects, forms, event-handler and style attributes. Links keep their
``href`` only for ``http``, ``https`` and ``mailto`` and are marked
``rel="noopener noreferrer"``; nothing is ever loaded from them.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "code",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "span",
        "div",
    }
)
"""Tags that survive; any other tag is removed (its text kept unless it is in ``_DROPPED_WITH_CONTENT``)."""

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
"""Attributes kept per tag. No ``style``, ``class``, ``src`` or ``on*`` attribute survives anywhere."""

ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

# Tags whose text is itself code or chrome, not message content: removed with everything inside.
_DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "head", "title"}
)


def sanitize_customer_html(html: str) -> str:
    """``html`` reduced to harmless formatting, safe to hand to a rich-text widget.

    Never raises on malformed input; the result is a balanced HTML fragment.
    """
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
