"""The case workflow's dialogs: escalate, request and decide approvals, propose resolution, confirm, close."""
