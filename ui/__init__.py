"""Qt widgets, item models and dialogs of Handoff. Never imports ``sync`` or ``httpx``."""
