"""Drafts: what a person is typing on a case, saved on every pause so that it is never lost.

There is one draft per case, channel and author. Saving is an upsert of one row, cheap enough to
run on every pause in typing; sending the message or saving the note discards the draft in the
same transaction (see :mod:`core.communication.messages` and :mod:`core.communication.notes`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from core.db.models import AttachmentRow, CaseRow, DraftRow
from core.domain.changes import ChangeSet
from core.domain.dtos import Attachment, CaseDrafts, Draft
from core.domain.enums import DraftChannel
from core.queries.case_detail import CaseNotFoundError
from core.settings import my_person_id

DRAFTS_INITIATOR = "drafts"


def save_draft(
    session: Session,
    case_id: int,
    author_id: int | None,
    channel: DraftChannel,
    body: str,
    meta: Mapping[str, object] | None,
    now: datetime,
) -> ChangeSet:
    """Store ``body`` (and ``meta``) as the author's draft on the case for ``channel``; insert or update.

    Raises :class:`CaseNotFoundError` when the case is gone (deleted or merged meanwhile).
    """
    row = _draft_row(session, case_id, channel, author_id)
    if row is None and session.get(CaseRow, case_id) is None:
        raise CaseNotFoundError(f"There is no case with id {case_id} in this workspace any more.")
    meta_json = json.dumps(dict(meta), sort_keys=True, ensure_ascii=False) if meta else None
    if row is None:
        row = DraftRow(case_id=case_id, author_id=author_id, channel=channel.value)
        session.add(row)
    row.body = body
    row.meta_json = meta_json
    row.updated_at = now
    session.flush()
    return ChangeSet(drafts=frozenset({row.id}), initiator=DRAFTS_INITIATOR)


def ensure_draft(
    session: Session, case_id: int, author_id: int | None, channel: DraftChannel, now: datetime
) -> int:
    """The id of the author's draft on the case for ``channel``, creating an empty one if there is none."""
    row = _draft_row(session, case_id, channel, author_id)
    if row is None:
        row = DraftRow(case_id=case_id, author_id=author_id, channel=channel.value, body="", updated_at=now)
        session.add(row)
        session.flush()
    return row.id


def load_draft(session: Session, case_id: int, channel: DraftChannel, author_id: int | None) -> Draft | None:
    """The author's draft on the case for ``channel``, with its attachments, or None."""
    row = _draft_row(session, case_id, channel, author_id)
    return None if row is None else _to_draft(session, row)


def load_my_drafts(session: Session, case_id: int) -> CaseDrafts:
    """Every draft of this workspace's person ("me") on the case, by channel."""
    author_id = my_person_id(session)
    rows = session.scalars(
        select(DraftRow).where(DraftRow.case_id == case_id, _author_is(author_id)).order_by(DraftRow.id)
    )
    drafts: dict[DraftChannel, Draft] = {}
    for row in rows:
        try:
            channel = DraftChannel(row.channel)
        except ValueError:
            continue  # a channel of a newer version: left alone
        drafts.setdefault(channel, _to_draft(session, row))
    return CaseDrafts(case_id=case_id, author_id=author_id, drafts=drafts)


def discard_draft(session: Session, case_id: int, channel: DraftChannel, author_id: int | None) -> ChangeSet:
    """Remove the author's draft on the case for ``channel`` with the attachments never sent with it."""
    row = _draft_row(session, case_id, channel, author_id)
    if row is None:
        return ChangeSet()
    session.execute(
        delete(AttachmentRow).where(AttachmentRow.draft_id == row.id, AttachmentRow.event_id.is_(None))
    )
    session.delete(row)
    session.flush()
    return ChangeSet(drafts=frozenset({row.id}), initiator=DRAFTS_INITIATOR)


def to_attachment(row: AttachmentRow) -> Attachment:
    """The DTO of an attachment row."""
    return Attachment(
        id=row.id,
        case_id=row.case_id,
        filename=row.filename,
        content_type=row.content_type,
        size_bytes=row.size_bytes,
        sha256=row.sha256,
        stored_name=row.stored_name,
    )


def _author_is(author_id: int | None) -> ColumnElement[bool]:
    return DraftRow.author_id.is_(None) if author_id is None else DraftRow.author_id == author_id


def _draft_row(
    session: Session, case_id: int, channel: DraftChannel, author_id: int | None
) -> DraftRow | None:
    return session.scalars(
        select(DraftRow)
        .where(DraftRow.case_id == case_id, DraftRow.channel == channel.value, _author_is(author_id))
        .order_by(DraftRow.id)
        .limit(1)
    ).first()


def _to_draft(session: Session, row: DraftRow) -> Draft:
    attachments = session.scalars(
        select(AttachmentRow)
        .where(AttachmentRow.draft_id == row.id, AttachmentRow.event_id.is_(None))
        .order_by(AttachmentRow.id)
    )
    return Draft(
        id=row.id,
        case_id=row.case_id,
        author_id=row.author_id,
        channel=DraftChannel(row.channel),
        body=row.body,
        updated_at=row.updated_at,
        meta=json.loads(row.meta_json) if row.meta_json else {},
        attachments=tuple(to_attachment(attachment) for attachment in attachments),
    )
