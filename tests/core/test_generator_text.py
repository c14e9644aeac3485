"""The generator's text layer: every template fills, times match the stored format, mails are well formed."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, timedelta
from random import Random

import pytest

from core.db.types import format_utc
from core.domain.enums import CustomerTier
from core.generator import phrases
from core.generator.areas import AREAS
from core.generator.catalog import AreaProfile, Scenario
from core.generator.customers import Contact, Customer
from core.generator.mail import MailComposer
from core.generator.names import ascii_slug
from core.generator.organisation import build_organisation
from core.generator.slots import DRAWERS, Slots
from core.generator.timing import Clock

FIXED_SLOTS = {
    "customer": "Northwind Traders",
    "customer_tier": "enterprise",
    "renewal": "2027-03-01",
    "contact": "Dana",
    "tenant": "northwind-traders",
    "tenant_url": "https://northwind-traders.app.example",
    "team": "Identity Specialists",
    "defect": "ENG-4821",
    "subject_lower": "login fails",
    "root_cause": "A cause.",
    "resolution": "A fix.",
}


def _scenario_templates(scenario: Scenario) -> list[str]:
    return [
        *scenario.subjects,
        scenario.problem,
        *scenario.details,
        *scenario.steps,
        *scenario.logs,
        *scenario.hypotheses,
        scenario.root_cause,
        scenario.resolution,
    ]


def _phrase_templates() -> list[str]:
    templates: list[str] = [phrases.AGENT_PROPOSES]
    for name in dir(phrases):
        if not name.isupper():
            continue
        value = getattr(phrases, name)
        if isinstance(value, tuple) and all(isinstance(item, str) for item in value):
            templates.extend(value)
        elif isinstance(value, dict):
            for item in value.values():
                templates.extend(item if isinstance(item, tuple) else (item,))
    return templates


@pytest.mark.parametrize("area", AREAS, ids=[area.key for area in AREAS])
def test_every_scenario_template_fills_with_known_slots(area: AreaProfile) -> None:
    profile = area
    assert len(profile.scenarios) >= 5
    for scenario in profile.scenarios:
        slots = Slots(Random(1), day=date(2026, 5, 4), error_prefix=profile.error_prefix, fixed=FIXED_SLOTS)
        for template in _scenario_templates(scenario):
            filled = slots.fill(template)
            assert "{" not in filled and "}" not in filled, template


def test_every_phrase_template_fills_with_known_slots() -> None:
    slots = Slots(Random(2), day=date(2026, 5, 4), error_prefix="ERR_SSO_", fixed=FIXED_SLOTS)
    templates = _phrase_templates()
    assert len(templates) > 60
    for template in templates:
        filled = slots.fill(template)
        assert "{" not in filled and "}" not in filled, template


def test_templates_only_name_slots_that_exist() -> None:
    known = set(DRAWERS) | set(FIXED_SLOTS)
    templates = _phrase_templates() + [
        t for area in AREAS for s in area.scenarios for t in _scenario_templates(s)
    ]
    used = {
        name
        for template in templates
        for _lit, name, _spec, _conv in string.Formatter().parse(template)
        if name
    }
    assert used <= known, used - known


def test_slots_are_drawn_once_and_then_repeated() -> None:
    slots = Slots(Random(3), day=date(2026, 5, 4), error_prefix="ERR_SSO_", fixed={})
    first = slots.fill("{err} {version} {req_id}")
    assert slots.fill("{err} {version} {req_id}") == first
    assert slots["err"].startswith("ERR_SSO_") and len(slots["err"]) == len("ERR_SSO_0041")
    assert slots["http"].endswith(slots["http_code"] + slots["http"][len("HTTP ") + 3 :])
    assert slots["version_next"].rsplit(".", 1)[0] == slots["version"].rsplit(".", 1)[0]
    with pytest.raises(KeyError):
        slots.fill("{no_such_slot}")


def test_clock_text_is_the_stored_utc_format() -> None:
    anchor = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    clock = Clock(anchor)
    for offset in (0, -1, -86_399, -40_000_000):
        assert clock.text(offset) == format_utc(anchor + timedelta(seconds=offset))
    with pytest.raises(ValueError, match="aware"):
        Clock(anchor.replace(tzinfo=None))


def test_mail_html_escapes_text_and_plain_text_has_no_markup() -> None:
    customer = Customer(
        1,
        "Smith & Jones <Ltd>",
        "smithjones.example",
        "smith-jones",
        CustomerTier.BUSINESS,
        1,
        date(2027, 1, 1),
        (),
    )
    contact = Contact(1, "Dana Whitfield", "IT Administrator", "dana@smithjones.example", "+1 555 0100")
    composer = MailComposer(Random(4))
    mails = [
        composer.compose(
            greeting="Hi,",
            paragraphs=["Error <b>503</b> & more"],
            bullets=["first", "second"],
            sign_off="Thanks,",
            contact=contact,
            customer=customer,
        )
        for _ in range(40)
    ]
    assert any(html is None for _text, html in mails) and any(html is not None for _text, html in mails)
    for text, html in mails:
        assert text.startswith("Hi,\n\nError <b>503</b> & more\n\n- first\n- second\n\nThanks,\nDana")
        assert "Dana Whitfield\nIT Administrator | Smith & Jones <Ltd>" in text
        if html is not None:
            assert "Error &lt;b&gt;503&lt;/b&gt; &amp; more" in html
            assert "<li>first</li><li>second</li>" in html
            assert 'src="https://cdn.smithjones.example/mail/logo.png"' in html


def test_organisation_scales_with_the_case_count() -> None:
    small = build_organisation(Random(1), cases=200, today=date(2026, 11, 2))
    large = build_organisation(Random(1), cases=100_000, today=date(2026, 11, 2))
    assert 40 <= len(small.people) < len(large.people) <= 120
    assert len(small.customers) == 30 and len(large.customers) == 5_000
    assert len({customer.name for customer in large.customers}) == 5_000
    assert len({person.name for person in large.people}) == len(large.people)


def test_ascii_slug() -> None:
    assert ascii_slug("Sørensen & Krüger GmbH") == "sorensen-kruger-gmbh"
    assert ascii_slug("Dana Whitfield", ".") == "dana.whitfield"
