"""Seeding the sandbox from the workspace generator: what the tickets hold, and the seed cache."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sync.sandbox.zendesk import seed as seed_module
from sync.sandbox.zendesk.seed import SEED_FORMAT, STATUS_OF_STAGE, SeedData, load_seed, seed_store
from sync.sandbox.zendesk.store import ZendeskStore


def test_every_case_becomes_a_ticket_with_its_customer_visible_conversation(zendesk_seed: SeedData) -> None:
    store = ZendeskStore()
    seed_store(store, zendesk_seed)

    assert store.tickets_count == len(zendesk_seed.tickets) == 30
    for row, conversation in zip(zendesk_seed.tickets, zendesk_seed.comments, strict=True):
        number, subject, stage = row[0], row[1], row[4]
        ticket = store.ticket(number)
        comments = store.comments(number)
        assert (ticket["subject"], ticket["status"]) == (subject, STATUS_OF_STAGE[stage])
        if conversation:
            assert [comment["body"] for comment in comments] == [body for _, _, body, _ in conversation]
        assert ticket["description"] == comments[0]["body"]
        assert all(comment["public"] for comment in comments)
        assert store.user(ticket["requester_id"])["role"] == "end-user"
        if ticket["assignee_id"] is not None:
            assert store.user(ticket["assignee_id"])["role"] in ("agent", "admin")


def test_times_are_moved_to_now_and_never_lie_in_the_future(zendesk_seed: SeedData) -> None:
    now = datetime(2033, 5, 18, 3, 33, 20, tzinfo=UTC)
    store = ZendeskStore(clock=now.timestamp)
    seed_store(store, zendesk_seed)

    updated = [
        datetime.fromisoformat(str(store.ticket(ticket_id)["updated_at"])) for ticket_id in store.ticket_ids
    ]
    assert max(updated) <= now
    assert max(updated) >= now - timedelta(days=3)  # the newest activity is recent, not when it was generated


def test_a_seed_is_generated_once_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_seed(3, 5, cache_dir=tmp_path)

    def no_generation(cases: int, seed: int) -> SeedData:
        raise AssertionError("the cached seed should have been used")

    monkeypatch.setattr(seed_module, "generate_seed", no_generation)
    second = load_seed(3, 5, cache_dir=tmp_path)

    assert second == first
    assert [path.name for path in tmp_path.iterdir()] == [f"zendesk-v{SEED_FORMAT}-3-5.pickle"]
