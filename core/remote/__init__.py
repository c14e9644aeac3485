"""What Handoff knows about remote helpdesks, without talking to them: connections, pulled
records (DTOs), the rules that merge them into the workspace, and the outbox's delivery states.

The sync engine (``sync/``) talks HTTP and calls these functions on the DB thread; the UI reads
them through :class:`ui.data_access.DataAccess`. Nothing here imports httpx or Qt.
"""
