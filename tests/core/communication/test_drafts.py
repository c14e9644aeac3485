"""Drafts: one per case, channel and author, saved on every pause, restored, discarded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.communication.drafts import discard_draft, load_draft, load_my_drafts, save_draft
from core.db.runner import DbRunner
from core.domain.enums import DraftChannel
from core.queries.case_detail import CaseNotFoundError
from tests.core.communication.conftest import NOW, CaseOnDesk, row_counts


def test_saving_twice_keeps_one_draft_with_the_latest_text(db: DbRunner, desk: CaseOnDesk) -> None:
    first = db.write(
        save_draft, desk.case_id, desk.me, DraftChannel.PUBLIC_REPLY, "Hi Dana", None, NOW
    ).result()
    later = NOW + timedelta(seconds=2)
    second = db.write(
        save_draft,
        desk.case_id,
        desk.me,
        DraftChannel.PUBLIC_REPLY,
        "Hi Dana, thanks",
        {"template": "ack"},
        later,
    ).result()

    draft = db.read(load_draft, desk.case_id, DraftChannel.PUBLIC_REPLY, desk.me).result()
    assert first.drafts == second.drafts
    assert draft is not None
    assert draft.body == "Hi Dana, thanks"
    assert draft.meta == {"template": "ack"}
    assert draft.updated_at == later
    assert row_counts(db)["drafts"] == 1


def test_each_channel_and_author_has_its_own_draft(db: DbRunner, desk: CaseOnDesk) -> None:
    db.write(
        save_draft, desk.case_id, desk.me, DraftChannel.PUBLIC_REPLY, "to the customer", None, NOW
    ).result()
    db.write(
        save_draft, desk.case_id, desk.me, DraftChannel.INTERNAL_NOTE, "for the team", None, NOW
    ).result()
    db.write(save_draft, desk.case_id, None, DraftChannel.PUBLIC_REPLY, "someone else", None, NOW).result()

    mine = db.read(load_my_drafts, desk.case_id).result()

    assert mine.author_id == desk.me
    assert {channel: draft.body for channel, draft in mine.drafts.items()} == {
        DraftChannel.PUBLIC_REPLY: "to the customer",
        DraftChannel.INTERNAL_NOTE: "for the team",
    }
    assert db.read(load_draft, desk.case_id, DraftChannel.PUBLIC_REPLY, None).result().body == "someone else"


def test_a_discarded_draft_is_gone_and_discarding_twice_is_harmless(db: DbRunner, desk: CaseOnDesk) -> None:
    db.write(save_draft, desk.case_id, desk.me, DraftChannel.PUBLIC_REPLY, "never mind", None, NOW).result()

    changes = db.write(discard_draft, desk.case_id, DraftChannel.PUBLIC_REPLY, desk.me).result()
    again = db.write(discard_draft, desk.case_id, DraftChannel.PUBLIC_REPLY, desk.me).result()

    assert changes.drafts
    assert again.is_empty
    assert db.read(load_draft, desk.case_id, DraftChannel.PUBLIC_REPLY, desk.me).result() is None


def test_a_draft_for_a_case_that_is_gone_says_so(db: DbRunner, desk: CaseOnDesk) -> None:
    with pytest.raises(CaseNotFoundError, match="no case with id 424242"):
        db.write(save_draft, 424242, desk.me, DraftChannel.PUBLIC_REPLY, "Hello?", None, NOW).result()

    assert row_counts(db)["drafts"] == 0
