"""Communication on a case: drafts saved while typing, investigation notes, messages and attachments.

Every mutation here is a unit of work ``fn(session, ..., now) -> ChangeSet`` that writes the local
state, the timeline event and the outbox entry in one transaction, so nothing is ever half written.
"""
