"""Zendesk JSON records mapped to :mod:`core.remote.dtos` (Zendesk's field names end here).

Pure functions over decoded JSON: tickets (stage and priority through the connection's
mapping, scope filtering, deleted tickets), comments from the comments API and from the
incremental ticket events export, users (agents vs end users), organizations, groups and
the SLA policy metrics Zendesk attaches with ``include=slas``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from core.domain.enums import SourceSystem
from core.remote.dtos import (
    ConnectionScope,
    RemoteComment,
    RemoteGroup,
    RemoteOrganization,
    RemoteTicket,
    RemoteUser,
)
from core.sla.types import Metric
from core.sla.vendor import VendorSlaState, VendorSlaTarget
from sync.connectors.zendesk.fields import DELETED_STATUS, ZendeskFields
from sync.connectors.zendesk.json_values import (
    JsonObject,
    as_int,
    custom_field_values,
    handoff_key,
    id_text,
    moment,
    obj,
    objects,
    optional_text,
    text,
    ticket_changes,
)

AGENT_ROLES = frozenset({"agent", "admin"})
SOURCE = SourceSystem.ZENDESK.value
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Zendesk SLA metric -> the Handoff clock it corresponds to.
_HANDOFF_METRICS = {
    "first_reply_time": Metric.FIRST_REPLY,
    "next_reply_time": Metric.NEXT_REPLY,
    "periodic_update_time": Metric.PERIODIC_UPDATE,
    "pausable_update_time": Metric.PERIODIC_UPDATE,
    "requester_wait_time": Metric.RESOLUTION,
}


def browser_url(base_url: str, ticket_id: str) -> str:
    """Where an agent opens the ticket in Zendesk's agent interface."""
    return f"{base_url.rstrip('/')}/agent/tickets/{ticket_id}"


def is_deleted(ticket: JsonObject) -> bool:
    """Whether the export lists the ticket as deleted."""
    return ticket.get("status") == DELETED_STATUS


def in_scope(ticket: JsonObject, scope: ConnectionScope) -> bool:
    """Whether the ticket is an escalation the connection pulls: in any of the scope's groups, with any
    of its tags, or with one of its values in its custom field (an empty scope takes every ticket)."""
    criteria = bool(scope.group_ids or scope.tags or scope.custom_field_id)
    if not criteria:
        return True
    if scope.group_ids and id_text(ticket.get("group_id")) in scope.group_ids:
        return True
    if scope.tags:
        tags = ticket.get("tags")
        if isinstance(tags, list) and any(tag in scope.tags for tag in tags):
            return True
    if scope.custom_field_id:
        value = custom_field_values(ticket).get(scope.custom_field_id)
        if value is not None and (not scope.custom_field_values or str(value) in scope.custom_field_values):
            return True
    return False


def ticket_of(ticket: JsonObject, fields: ZendeskFields, base_url: str, now: datetime) -> RemoteTicket:
    """A ticket in Handoff's terms (``now``: when its SLA data was read)."""
    remote_id = id_text(ticket.get("id")) or ""
    status = text(ticket.get("status"))
    custom = custom_field_values(ticket)
    tags = ticket.get("tags")
    created_at = moment(ticket.get("created_at")) or _EPOCH
    updated_at = moment(ticket.get("updated_at")) or created_at
    product_area = custom.get(fields.product_area_field_id) if fields.product_area_field_id else None
    return RemoteTicket(
        remote_id=remote_id,
        subject=text(ticket.get("subject")),
        description=text(ticket.get("description")),
        stage=fields.stage_of(status),
        status=status,
        priority=fields.priority_of(optional_text(ticket.get("priority"))),
        requester_id=id_text(ticket.get("requester_id")),
        organization_id=id_text(ticket.get("organization_id")),
        group_id=id_text(ticket.get("group_id")),
        assignee_id=id_text(ticket.get("assignee_id")),
        tags=tuple(tag for tag in tags if isinstance(tag, str)) if isinstance(tags, list) else (),
        tier=as_int(custom.get(fields.tier_field_id)) if fields.tier_field_id else None,
        product_area=str(product_area) if product_area not in (None, "") else None,
        created_at=created_at,
        updated_at=updated_at,
        version=text(ticket.get("updated_at")),
        url=browser_url(base_url, remote_id),
        vendor_sla=vendor_sla_of(ticket, now),
    )


def vendor_sla_of(ticket: JsonObject, now: datetime) -> tuple[VendorSlaTarget, ...]:
    """Zendesk's own SLA targets of a ticket read with ``include=slas`` (none without it)."""
    targets: list[VendorSlaTarget] = []
    for metric in objects(obj(ticket.get("slas")).get("policy_metrics")):
        name = text(metric.get("metric"))
        if not name:
            continue
        due_at = moment(metric.get("breach_at"))
        stage = text(metric.get("stage"))
        if stage == "paused":
            state = VendorSlaState.PAUSED
        elif stage == "achieved":
            state = VendorSlaState.MET
        elif due_at is not None and due_at <= now:
            state = VendorSlaState.BREACHED
        else:
            state = VendorSlaState.RUNNING
        targets.append(
            VendorSlaTarget(
                source=SOURCE,
                metric=name,
                state=state,
                due_at=due_at,
                policy_name=text(obj(metric.get("policy")).get("title")),
                handoff_metric=_HANDOFF_METRICS.get(name),
                synced_at=now,
            )
        )
    return tuple(targets)


def user_of(user: JsonObject) -> RemoteUser:
    """An agent or admin (a person of the organisation) or an end user (a customer contact)."""
    return RemoteUser(
        remote_id=id_text(user.get("id")) or "",
        name=text(user.get("name")),
        email=optional_text(user.get("email")),
        is_agent=user.get("role") in AGENT_ROLES,
        organization_id=id_text(user.get("organization_id")),
    )


def organization_of(organization: JsonObject) -> RemoteOrganization:
    """A customer account; its first domain name, if any."""
    domains = organization.get("domain_names")
    domain = (
        next((d for d in domains if isinstance(d, str) and d), None) if isinstance(domains, list) else None
    )
    return RemoteOrganization(
        remote_id=id_text(organization.get("id")) or "",
        name=text(organization.get("name")),
        domain=domain,
    )


def group_of(group: JsonObject) -> RemoteGroup:
    """A team lane."""
    return RemoteGroup(remote_id=id_text(group.get("id")) or "", name=text(group.get("name")))


def comment_of(
    comment: JsonObject, ticket_id: str, created_at: datetime | None = None, marker: str | None = None
) -> RemoteComment:
    """A comment from the comments API or a comment event (whose time and marker may be its audit's).

    Runs for every comment of a first sync, so it reads the fields directly.
    """
    body = comment.get("plain_body") or comment.get("body")
    html = comment.get("html_body")
    own_marker = handoff_key(comment["metadata"]) if "metadata" in comment else None
    own_time = moment(comment["created_at"]) if "created_at" in comment else None
    return RemoteComment(
        remote_id=id_text(comment.get("id")) or "",
        ticket_id=ticket_id,
        author_id=id_text(comment.get("author_id")) or "",
        public=comment.get("public") is not False,
        body_text=body if isinstance(body, str) else "",
        body_html=html if isinstance(html, str) and html else None,
        created_at=own_time or created_at or _EPOCH,
        marker=own_marker or marker,
    )


def comments_of_events(
    events: Iterable[JsonObject], skip_tickets: frozenset[str]
) -> tuple[RemoteComment, ...]:
    """Every comment event (``include=comment_events``) of tickets not in ``skip_tickets``.

    The marker is read from the comment's own ``metadata.custom`` or else its audit's.
    """
    comments: list[RemoteComment] = []
    for event in events:
        if not event.get("comment_present", True):
            continue  # an audit without a comment (the export says so): most of a long history
        ticket_id = id_text(event.get("ticket_id"))
        if ticket_id is None or ticket_id in skip_tickets:
            continue
        audit_marker = handoff_key(event["metadata"]) if "metadata" in event else None
        created_at = moment(event.get("created_at"))
        children = event.get("child_events")
        for child in children if isinstance(children, list) else ():
            if isinstance(child, dict) and (
                child.get("event_type") == "Comment" or child.get("type") == "Comment"
            ):
                comments.append(comment_of(child, ticket_id, created_at, audit_marker))
    return tuple(comments)


def tickets_entering_scope(events: Iterable[JsonObject], scope: ConnectionScope) -> set[str]:
    """Tickets the events move into the scope (a group or a tag of the scope newly set): their
    earlier comments were left out while they were outside, so they are read again in full."""
    return {ticket_id for ticket_id, change in ticket_changes(events) if _enters_scope(change, scope)}


def _enters_scope(change: JsonObject, scope: ConnectionScope) -> bool:
    previous = change.get("previous_value")
    if scope.group_ids and "group_id" in change:
        return id_text(change["group_id"]) in scope.group_ids and id_text(previous) not in scope.group_ids
    if scope.tags and "tags" in change:
        wanted = set(scope.tags)
        return bool(_tag_set(change["tags"]) & wanted) and not _tag_set(previous) & wanted
    return False


def _tag_set(value: object) -> set[str]:
    """Tags as an audit event shows them: a space-separated text (or a list)."""
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, list):
        return {tag for tag in value if isinstance(tag, str)}
    return set()
