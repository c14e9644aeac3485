"""The Zendesk Support connector: incremental pulls mapped to core DTOs, safe-updated pushes."""

from sync.connectors.zendesk.connector import ZendeskConnector
from sync.connectors.zendesk.cursor import SyncCursor
from sync.connectors.zendesk.fields import ZendeskFields
from sync.connectors.zendesk.push import PushPlan, plan_push

__all__ = ["PushPlan", "SyncCursor", "ZendeskConnector", "ZendeskFields", "plan_push"]
