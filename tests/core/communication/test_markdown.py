"""The Markdown of messages and notes: formatting works, nothing typed becomes active markup."""

from __future__ import annotations

import pytest

from core.communication.markdown import markdown_to_html, markdown_to_text
from core.html_sanitizer import sanitize_customer_html


def test_paragraphs_line_breaks_emphasis_code_and_lists() -> None:
    source = (
        "Hi **Dana**,\nthanks for *waiting*.\n\nRun `sso --check` then:\n\n1. sign out\n2. sign in\n\n- done"
    )

    assert markdown_to_html(source) == (
        "<p>Hi <strong>Dana</strong>,<br>thanks for <em>waiting</em>.</p>"
        "<p>Run <code>sso --check</code> then:</p>"
        "<ol><li>sign out</li><li>sign in</li></ol>"
        "<ul><li>done</li></ul>"
    )
    assert markdown_to_text(source) == (
        "Hi Dana,\nthanks for waiting.\n\nRun sso --check then:\n\n1. sign out\n2. sign in\n\n- done"
    )


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="http://127.0.0.1:9/x.png" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '[x](https://a.example/"onmouseover="alert(1))',
        "```\n<iframe src=http://127.0.0.1:9></iframe>\n```",
    ],
)
def test_nothing_typed_becomes_active_markup(source: str) -> None:
    rendered = markdown_to_html(source)

    assert "<script" not in rendered and "<img" not in rendered and "<iframe" not in rendered
    assert 'href="javascript' not in rendered and '"onmouseover' not in rendered
    assert sanitize_customer_html(rendered).replace(' rel="noopener noreferrer"', "") == rendered


def test_safe_links_keep_their_address_and_underscores_inside_them() -> None:
    rendered = markdown_to_html("See [the *notes*](https://x.example/a_b_c?q=1&r=2) and snake_case_name.")

    assert rendered == (
        '<p>See <a href="https://x.example/a_b_c?q=1&amp;r=2">the <em>notes</em></a> and snake_case_name.</p>'
    )
