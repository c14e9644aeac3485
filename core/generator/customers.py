"""Customer accounts with CRM context (tier, ARR, renewal) and the contacts who write to support.

The number of customers scales with the workspace (one per twenty cases, at
least 30); larger tiers have more contacts and, through their case weight,
open more cases.
"""

from __future__ import annotations

from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from random import Random

from core.domain.enums import CustomerTier
from core.generator.names import (
    COMPANY_FIRST,
    COMPANY_SECOND,
    COMPANY_SUFFIX,
    CONTACT_TITLES,
    DOMAIN_SUFFIXES,
    FIRST_NAMES,
    LAST_NAMES,
    ascii_slug,
)

CUSTOMERS_PER_CASE = 1 / 20
MIN_CUSTOMERS = 30

_CUSTOMER_TIERS: tuple[tuple[CustomerTier, float, int, int, int, int], ...] = (
    # tier, share of customers, ARR range in dollars, contacts range
    (CustomerTier.STARTER, 0.38, 2_400, 24_000, 1, 2),
    (CustomerTier.BUSINESS, 0.34, 24_000, 120_000, 1, 3),
    (CustomerTier.ENTERPRISE, 0.21, 120_000, 900_000, 2, 5),
    (CustomerTier.STRATEGIC, 0.07, 900_000, 4_800_000, 3, 6),
)
_TIER_SHARES = list(accumulate(share for _tier, share, *_rest in _CUSTOMER_TIERS))
_CASE_WEIGHT = {
    CustomerTier.STARTER: 1.0,
    CustomerTier.BUSINESS: 2.0,
    CustomerTier.ENTERPRISE: 4.0,
    CustomerTier.STRATEGIC: 7.0,
}
_PHONE_PREFIX = {
    "example": "+1 555 01",
    "example.com": "+1 555 01",
    "example.de": "+49 89 5550",
    "example.co.uk": "+44 20 7946 0",
    "example.io": "+353 1 555 0",
}
_QUALIFIERS = ("International", "Europe", "Americas", "Holdings", "Digital", "Nordic")


@dataclass(frozen=True)
class Contact:
    """A person at a customer who writes to support."""

    id: int
    name: str
    title: str
    email: str
    phone: str

    @property
    def first_name(self) -> str:
        """The given name, as used in greetings."""
        return self.name.split(" ", 1)[0]


@dataclass(frozen=True)
class Customer:
    """A customer account with its CRM context and contacts."""

    id: int
    name: str
    domain: str
    tenant: str
    tier: CustomerTier
    arr_cents: int
    renewal: date
    contacts: tuple[Contact, ...]


def customer_count(cases: int) -> int:
    """How many customers a workspace of ``cases`` cases has."""
    return max(MIN_CUSTOMERS, int(cases * CUSTOMERS_PER_CASE))


def build_customers(rng: Random, *, count: int, today: date) -> list[Customer]:
    """``count`` customers with sequential ids (contacts too); renewals within a year after ``today``."""
    customers: list[Customer] = []
    next_contact = 1
    for index, base in enumerate(_company_names(rng, count)):
        tier, _share, arr_low, arr_high, contacts_low, contacts_high = _CUSTOMER_TIERS[
            bisect(_TIER_SHARES, rng.random() * _TIER_SHARES[-1])
        ]
        suffix = rng.choice(DOMAIN_SUFFIXES)
        domain = f"{ascii_slug(base, '')}.{suffix}"
        contacts = []
        for _ in range(rng.randint(contacts_low, contacts_high)):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            contacts.append(
                Contact(
                    id=next_contact,
                    name=name,
                    title=rng.choice(CONTACT_TITLES),
                    email=f"{ascii_slug(name, '.')}@{domain}",
                    phone=f"{_PHONE_PREFIX[suffix]}{rng.randint(10, 99)}",
                )
            )
            next_contact += 1
        customers.append(
            Customer(
                id=index + 1,
                name=base + rng.choice(COMPANY_SUFFIX),
                domain=domain,
                tenant=ascii_slug(base),
                tier=tier,
                arr_cents=rng.randint(arr_low // 100, arr_high // 100) * 100 * 100,
                renewal=today + timedelta(days=rng.randint(7, 365)),
                contacts=tuple(contacts),
            )
        )
    return customers


def case_weights(rng: Random, customers: list[Customer]) -> list[float]:
    """How often each customer opens cases: by tier, times a random activity (some accounts are noisy)."""
    return [_CASE_WEIGHT[customer.tier] * rng.lognormvariate(0, 0.6) for customer in customers]


def _company_names(rng: Random, count: int) -> list[str]:
    """``count`` distinct company names (without legal suffix), in a random order."""
    names = [f"{first} {second}" for first in COMPANY_FIRST for second in COMPANY_SECOND]
    rng.shuffle(names)
    pool = names + [f"{name} {qualifier}" for qualifier in _QUALIFIERS for name in names]
    return [
        pool[index % len(pool)] + (f" {index // len(pool) + 1}" if index >= len(pool) else "")
        for index in range(count)
    ]
