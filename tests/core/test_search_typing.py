"""How search text becomes a query while the user types, and how very common words are ordered."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from core import search
from core.db.runner import DbRunner
from core.domain.enums import EventKind
from core.search import match_expression, search_cases
from tests.factories import add_case, add_event


@pytest.mark.parametrize(
    ("typed", "expression"),
    [
        ("okt", '"okt"*'),  # a word being typed matches as a prefix…
        ("okta ", '"okta"'),  # …and as a whole word once a space follows
        ("webhook s", '"webhook"'),  # a one-letter start of a word would match everything: left out
        ("ok", '"ok"'),  # a short word on its own is searched as a whole word
        ('"certificate rotation" fail', '"certificate rotation" AND "fail"*'),
        ("ENG-1316", '"ENG-1316"*'),  # ids stay one phrase
        ("   ", None),
    ],
)
def test_typed_text_becomes_a_safe_fts_expression(typed: str, expression: str | None) -> None:
    assert match_expression(typed) == expression


def test_very_common_words_list_the_newest_cases_first(db: DbRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def build(session: Session) -> None:
        for number in range(1, 6):
            subject = (
                "Login fails after the SSO change" if number == 2 else f"Sync delayed for tenant {number}"
            )
            case = add_case(session, number, subject)
            add_event(session, case, EventKind.CUSTOMER_MESSAGE, "Users report the login page is slow.")

    db.write(build).result()
    ranked = [hit.number for hit in db.read(search_cases, "login ").result()]
    monkeypatch.setattr(search, "RANK_LIMIT", 3)
    newest_first = [hit.number for hit in db.read(search_cases, "login ").result()]

    assert ranked[0] == 2  # ranked: the subject match comes first
    assert newest_first == [5, 4, 3, 2, 1]
