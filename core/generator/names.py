"""Names of people and companies, and job titles, to compose believable organisations from."""

from __future__ import annotations

import unicodedata

FIRST_NAMES: tuple[str, ...] = (
    "Aisha", "Alejandro", "Amelia", "Anders", "Andrea", "Anja", "Arjun", "Beatriz", "Ben", "Camille",
    "Carlos", "Chen", "Chloe", "Daniel", "Dana", "David", "Elena", "Emeka", "Emma", "Fatima",
    "Felix", "Fiona", "Gabriel", "Grace", "Hannah", "Hiroshi", "Ines", "Isabel", "Ivan", "Jakob",
    "James", "Jana", "Javier", "Jessica", "Jonas", "Julia", "Kai", "Kavya", "Kenji", "Laura",
    "Lea", "Leon", "Liam", "Lucas", "Luis", "Maja", "Marco", "Maria", "Mateo", "Mei",
    "Michael", "Mila", "Mohammed", "Nadia", "Nina", "Noah", "Olivia", "Omar", "Oskar", "Paula",
    "Pedro", "Priya", "Rafael", "Rahul", "Rosa", "Ruth", "Samuel", "Sara", "Sebastian", "Sofia",
    "Sophie", "Stefan", "Tariq", "Thomas", "Tobias", "Valentina", "Victor", "Wei", "Yara", "Zoe",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Abbott", "Adeyemi", "Almeida", "Andersson", "Bauer", "Becker", "Bennett", "Brooks", "Castillo",
    "Chen", "Costa", "Dubois", "Eriksen", "Fischer", "Fernandes", "Fitzgerald", "Garcia", "Greene",
    "Gupta", "Hartmann", "Hayes", "Hoffmann", "Ibrahim", "Ito", "Jansen", "Kaur", "Keller", "Kim",
    "Kowalski", "Krüger", "Larsen", "Laurent", "Lehmann", "Lindqvist", "Lopez", "Martin", "Meyer",
    "Moreau", "Murphy", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Park", "Patel", "Petrov",
    "Quinn", "Raman", "Reyes", "Richter", "Rossi", "Sato", "Schmidt", "Schneider", "Shah", "Silva",
    "Singh", "Sørensen", "Sullivan", "Tanaka", "Thompson", "Vargas", "Vogel", "Wagner", "Walsh",
    "Weber", "Whitfield", "Wright", "Yilmaz", "Young", "Zhang", "Zimmermann",
)  # fmt: skip

COMPANY_FIRST: tuple[str, ...] = (
    "Alder", "Alpine", "Amber", "Apex", "Arcadia", "Atlas", "Aurora", "Beacon", "Birch", "Blue Harbor",
    "Brightwater", "Cascade", "Cedar", "Clearpath", "Cobalt", "Copperleaf", "Crescent", "Crown",
    "Delta", "Eastgate", "Elmstone", "Evergreen", "Fairway", "Falcon", "Fjord", "Foxglove", "Granite",
    "Greenfield", "Harbor", "Helix", "Highland", "Horizon", "Ironwood", "Juniper", "Keystone",
    "Lakeside", "Lantern", "Linden", "Lumen", "Maple", "Meridian", "Midland", "Nimbus", "Northwind",
    "Oakridge", "Orchard", "Pinnacle", "Polaris", "Quarry", "Redwood", "Ridgeline", "Riverbend",
    "Sable", "Silverline", "Solstice", "Summit", "Tidewater", "Trailhead", "Vantage", "Westbrook",
    "Willow", "Zenith",
)  # fmt: skip

COMPANY_SECOND: tuple[str, ...] = (
    "Analytics", "Bank", "Biotech", "Brewing", "Capital", "Clinics", "Construction", "Consulting",
    "Dental Group", "Energy", "Engineering", "Foods", "Freight", "Health", "Hotels", "Insurance",
    "Labs", "Legal", "Logistics", "Manufacturing", "Media", "Medical", "Mobility", "Outdoor",
    "Partners", "Pharma", "Property", "Retail", "Robotics", "Security", "Software", "Solar",
    "Systems", "Telecom", "Textiles", "Trading", "Travel", "Utilities", "Ventures", "Wholesale",
)  # fmt: skip

COMPANY_SUFFIX: tuple[str, ...] = (
    "", "", "", "", " Inc.", " Ltd", " GmbH", " AG", " LLC", " S.A.", " B.V.", " plc", " Group",
)  # fmt: skip

DOMAIN_SUFFIXES: tuple[str, ...] = ("example", "example.com", "example.de", "example.co.uk", "example.io")
"""Reserved example domains, so generated addresses can never reach a real mailbox."""

CONTACT_TITLES: tuple[str, ...] = (
    "IT Administrator", "Head of IT", "Systems Engineer", "Finance Manager", "Accounts Payable Lead",
    "Operations Manager", "CRM Administrator", "Integration Developer", "Product Owner",
    "Customer Success Lead", "Office Manager", "Security Engineer", "Data Analyst", "CTO",
    "Head of Sales Operations", "Field Service Coordinator", "Platform Engineer", "Controller",
)  # fmt: skip

VENDOR_DOMAIN = "brightdesk.example"
"""E-mail domain of the support organisation's own staff."""

_ASCII = str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE"})


def ascii_slug(text: str, separator: str = "-") -> str:
    """``text`` as a lowercase ASCII slug ("Sørensen & Co" → "sorensen-co")."""
    plain = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore").decode()
    words = "".join(ch if ch.isalnum() else " " for ch in plain.lower()).split()
    return separator.join(words)
