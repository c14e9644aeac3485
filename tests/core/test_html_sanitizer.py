"""Customer HTML keeps its formatting and loses everything active or remote."""

from __future__ import annotations

import re

import pytest

from core.html_sanitizer import sanitize_customer_html


def test_keeps_harmless_formatting() -> None:
    html = (
        "<h2>Login fails</h2><p>Hello <b>team</b>, <i>since</i> <em>Monday</em> <strong>SSO</strong> "
        "<u>breaks</u>.</p><ul><li>one</li></ul><ol><li>two</li></ol><blockquote>quoted</blockquote>"
        "<pre><code>ERR 42</code></pre><div><span>ok</span></div>"
    )
    assert sanitize_customer_html(html) == html


def test_tables_survive_with_span_attributes_only() -> None:
    cleaned = sanitize_customer_html(
        '<table border="1" background="http://x.example/bg.png"><tr><th rowspan="2">a</th>'
        '<td colspan="2" bgcolor="red" style="color:red">b</td></tr></table>'
    )
    assert '<th rowspan="2">a</th>' in cleaned
    assert '<td colspan="2">b</td>' in cleaned
    assert "background" not in cleaned and "bgcolor" not in cleaned and "style" not in cleaned


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('pwned')</script>",
        "<SCRIPT SRC=http://127.0.0.1:9/x.js></SCRIPT>",
        "<style>body { background: url(http://127.0.0.1:9/bg.png) }</style>",
        "<iframe src='http://127.0.0.1:9/'>alert('pwned')</iframe>",
        "<object data='http://127.0.0.1:9/x.swf'>alert('pwned')</object>",
        "<embed src='http://127.0.0.1:9/x.swf'>",
        "<form action='http://127.0.0.1:9/'><input name='q'><button>Go</button></form>",
        "<svg><image href='http://127.0.0.1:9/x.png'/><script>alert('pwned')</script></svg>",
        "<link rel='stylesheet' href='http://127.0.0.1:9/a.css'>",
        "<base href='http://127.0.0.1:9/'>",
        "<meta http-equiv='refresh' content='0;url=http://127.0.0.1:9/'>",
        "<video src='http://127.0.0.1:9/v.mp4' poster='http://127.0.0.1:9/p.png'></video>",
        "<audio src='http://127.0.0.1:9/a.mp3'></audio>",
    ],
)
def test_active_and_embedded_content_is_removed_with_its_text(hostile: str) -> None:
    cleaned = sanitize_customer_html(f"<p>before</p>{hostile}<p>after</p>")
    assert cleaned.startswith("<p>before</p>") and cleaned.endswith("<p>after</p>")
    assert "127.0.0.1" not in cleaned
    assert "alert" not in cleaned
    assert not re.search(
        r"<(script|style|iframe|object|embed|form|input|svg|link|base|meta|video|audio)", cleaned
    )


def test_images_are_removed_including_event_handlers() -> None:
    cleaned = sanitize_customer_html(
        '<p>See <img src="http://127.0.0.1:9/x.png" onerror="alert(1)" alt="screenshot"> '
        '<img src="data:image/png;base64,iVBORw0KGgo="> attached</p>'
    )
    assert cleaned == "<p>See   attached</p>"


def test_style_class_id_and_event_attributes_are_dropped() -> None:
    cleaned = sanitize_customer_html(
        '<p style="background-image: url(http://127.0.0.1:9/t.png)" class="x" id="y" '
        'onclick="alert(1)" onmouseover="alert(2)">text</p>'
    )
    assert cleaned == "<p>text</p>"


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("https://status.example.com/incident/7", True),
        ("http://example.com/docs", True),
        ("mailto:dana@northwind.example", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("vbscript:msgbox(1)", False),
        ("file:///etc/passwd", False),
        ("ftp://example.com/file", False),
        ("/relative/path", False),
        ("//evil.example/x", False),
    ],
)
def test_links_keep_only_safe_schemes(href: str, kept: bool) -> None:
    cleaned = sanitize_customer_html(f'<a href="{href}" target="_blank" onclick="x()">link</a>')
    assert ("href=" in cleaned) is kept
    assert 'rel="noopener noreferrer"' in cleaned
    assert "target" not in cleaned and "onclick" not in cleaned
    assert ">link</a>" in cleaned


def test_existing_rel_is_replaced() -> None:
    cleaned = sanitize_customer_html('<a href="https://x.example" rel="opener">x</a>')
    assert cleaned == '<a href="https://x.example" rel="noopener noreferrer">x</a>'


def test_malformed_markup_becomes_balanced() -> None:
    cleaned = sanitize_customer_html("<table><tr><td><b>unclosed</td></table></td></tr></table><p>x")
    assert cleaned.count("<b>") == cleaned.count("</b>")
    assert cleaned.count("<table>") == cleaned.count("</table>")
    assert cleaned.endswith("<p>x</p>")


def test_comments_and_text_escapes() -> None:
    cleaned = sanitize_customer_html("<!-- <script>alert(1)</script> -->a &lt;b&gt; & c")
    assert cleaned == "a &lt;b&gt; &amp; c"


def test_empty_input() -> None:
    assert sanitize_customer_html("") == ""
