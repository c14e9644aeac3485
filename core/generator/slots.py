"""Per-case values that fill the text templates (versions, error codes, IDs, amounts, …).

A :class:`Slots` mapping draws a value the first time a template asks for it
and keeps it, so every event of a case repeats the same version, error code and
request id. Values are drawn from the generator's random source in the order
templates ask for them, which is itself deterministic for a seed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from random import Random

_OS = ("Windows 11 23H2", "Windows 10 22H2", "macOS 14.5 Sonoma", "macOS 13.6 Ventura", "Ubuntu 22.04 LTS")
_BROWSERS = ("Chrome 126", "Chrome 124", "Edge 125", "Firefox 127", "Safari 17.5")
_DEVICES = (
    "iPhone 15 (iOS 17.5.1)",
    "iPhone 13 (iOS 17.4)",
    "Pixel 8 (Android 14)",
    "Samsung Galaxy S23 (Android 14)",
    "Samsung Galaxy Tab Active4 Pro (Android 13)",
    "Zebra TC58 (Android 13)",
)
_HTTP = (
    ("HTTP 502 Bad Gateway", "502"),
    ("HTTP 503 Service Unavailable", "503"),
    ("HTTP 504 Gateway Timeout", "504"),
    ("HTTP 500 Internal Server Error", "500"),
    ("HTTP 401 Unauthorized", "401"),
    ("HTTP 403 Forbidden", "403"),
    ("HTTP 409 Conflict", "409"),
    ("HTTP 422 Unprocessable Entity", "422"),
)
_IDPS = (
    ("Okta", "okta.com"),
    ("Microsoft Entra ID", "microsoftonline.com"),
    ("Google Workspace", "accounts.google.com"),
    ("OneLogin", "onelogin.com"),
    ("Ping Identity", "pingone.com"),
    ("ADFS", "adfs.example"),
)
_ENDPOINTS = (
    "/v2/orders",
    "/v2/contacts",
    "/v2/invoices",
    "/v2/tickets/search",
    "/v2/events",
    "/v2/products",
)
_CRMS = ("Salesforce", "HubSpot", "Microsoft Dynamics 365", "Pipedrive", "Zoho CRM")
_ERPS = ("NetSuite", "QuickBooks Online", "Xero", "SAP Business One", "DATEV", "Sage Intacct")
_CHANNELS = ("ops-alerts", "support-escalations", "sales-notifications", "dispatch", "billing-events")
_FILE_STEMS = ("contacts_export", "customers", "price_list", "orders", "assets", "leads_q3")
_REPORTS = (
    "Monthly revenue by region",
    "Pipeline by owner",
    "SLA attainment",
    "Churn cohort analysis",
    "Open orders by warehouse",
    "Weekly active users",
)
_REGIONS = ("eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2")
_PLANS = ("Business (annual)", "Enterprise", "Professional", "Enterprise Plus")
_DURATIONS = ("40 minutes", "90 minutes", "2 hours", "3 hours", "6 hours")
_CURRENCIES = ("$", "€", "£")
_CARDS = ("Visa", "Mastercard", "American Express")

Drawer = Callable[["Slots", Random], str]


def _pick(values: tuple[str, ...]) -> Drawer:
    return lambda _slots, rng: values[int(rng.random() * len(values))]


def _money(rng: Random, currency: str) -> str:
    return f"{currency}{rng.randint(90, 48_000) + rng.randint(0, 99) / 100:,.2f}"


def _version(rng: Random) -> str:
    return f"{rng.randint(4, 5)}.{rng.randint(0, 14)}.{rng.randint(0, 9)}"


def _next_version(current: str) -> str:
    major, minor, patch = current.split(".")
    return f"{major}.{minor}.{int(patch) + 1}"


def _app_version(slots: Slots, rng: Random) -> str:
    return f"7.{rng.randint(2, 9)}.{rng.randint(0, 6)}"


class _Paired:
    """Draws two slots that belong together (an HTTP status and its code) at once."""

    def __init__(self, values: tuple[tuple[str, str], ...], keys: tuple[str, str], index: int) -> None:
        self._values = values
        self._keys = keys
        self._index = index

    def __call__(self, slots: Slots, rng: Random) -> str:
        pair = self._values[int(rng.random() * len(self._values))]
        slots[self._keys[0]], slots[self._keys[1]] = pair
        return pair[self._index]


def _shifted_date(slots: Slots, rng: Random) -> str:
    return (slots.day - timedelta(days=rng.randint(0, 4))).isoformat()


DRAWERS: dict[str, Drawer] = {
    "version": lambda _s, rng: _version(rng),
    "version_next": lambda s, _rng: _next_version(s["version"]),
    "app_version": _app_version,
    "app_version_next": lambda s, _rng: _next_version(s["app_version"]),
    "os": _pick(_OS),
    "browser": _pick(_BROWSERS),
    "device": _pick(_DEVICES),
    "http": _Paired(_HTTP, ("http", "http_code"), 0),
    "http_code": _Paired(_HTTP, ("http", "http_code"), 1),
    "idp": _Paired(_IDPS, ("idp", "idp_domain"), 0),
    "idp_domain": _Paired(_IDPS, ("idp", "idp_domain"), 1),
    "endpoint": _pick(_ENDPOINTS),
    "crm": _pick(_CRMS),
    "erp": _pick(_ERPS),
    "slack_channel": _pick(_CHANNELS),
    "report": _pick(_REPORTS),
    "region": _pick(_REGIONS),
    "plan": _pick(_PLANS),
    "duration": _pick(_DURATIONS),
    "err": lambda s, rng: f"{s.error_prefix}{rng.randint(1, 9999):04d}",
    "req_id": lambda _s, rng: f"req_{rng.getrandbits(48):012x}",
    "hex8": lambda _s, rng: f"{rng.getrandbits(32):08x}",
    "webhook": lambda _s, rng: f"wh_{rng.getrandbits(32):08x}",
    "report_id": lambda _s, rng: f"rpt_{rng.getrandbits(24):06x}",
    "account": lambda _s, rng: f"acct_{rng.randint(10_000, 99_999)}",
    "job_id": lambda _s, rng: f"job_{rng.randint(100_000, 9_999_999)}",
    "invoice": lambda s, rng: f"INV-{s.day.year}-{rng.randint(1, 99_999):06d}",
    "amount": lambda s, rng: _money(rng, s["currency"]),
    "amount2": lambda s, rng: _money(rng, s["currency"]),
    "currency": _pick(_CURRENCIES),
    "card": lambda _s, rng: f"{_CARDS[int(rng.random() * len(_CARDS))]} ending {rng.randint(1000, 9999)}",
    "date": _shifted_date,
    "time": lambda _s, rng: f"{rng.randint(6, 21):02d}:{rng.randint(0, 59):02d}",
    "user_count": lambda _s, rng: f"{rng.randint(12, 4_000):,}",
    "count": lambda _s, rng: str(rng.randint(2, 60)),
    "rows": lambda _s, rng: f"{rng.randint(2_000, 900_000):,}",
    "row": lambda _s, rng: f"{rng.randint(2, 1_999):,}",
    "rpm": lambda _s, rng: str(rng.randint(150, 900)),
    "pct": lambda _s, rng: f"{rng.randint(3, 40)}%",
    "latency": lambda _s, rng: f"{rng.uniform(4.0, 25.0):.1f} s",
    "num2": lambda _s, rng: str(rng.randint(1, 12)),
    "num4": lambda _s, rng: str(rng.randint(1000, 9999)),
    "file": lambda s, rng: f"{_FILE_STEMS[int(rng.random() * len(_FILE_STEMS))]}_{s.day:%Y-%m}.csv",
}
"""How to draw each slot; a drawer may read other slots (drawing them first)."""


class Slots(dict[str, str]):
    """The template values of one case: fixed ones given up front, random ones drawn on first use.

    Unknown slot names raise ``KeyError``, so a typo in a template fails loudly.
    """

    __slots__ = ("_rng", "day", "error_prefix")
    day: date
    error_prefix: str

    def __init__(self, rng: Random, *, day: date, error_prefix: str, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self._rng = rng
        self.day = day
        self.error_prefix = error_prefix

    def __missing__(self, key: str) -> str:
        value = DRAWERS[key](self, self._rng)
        self[key] = value
        return value

    def fill(self, template: str) -> str:
        """``template`` with every ``{slot}`` replaced."""
        return template.format_map(self)
