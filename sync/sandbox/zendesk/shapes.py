"""JSON shapes of the sandbox Zendesk records, as recorded from real Zendesk (built per request).

Every function takes the account's base URL (``https://127.0.0.1:PORT``) for the
``url`` fields and returns plain dicts ready for ``json.dumps``.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable
from urllib.parse import urlencode

from sync.sandbox.zendesk.model import (
    Audit,
    Change,
    Group,
    Organization,
    Ticket,
    TicketField,
    Upload,
    User,
    audit_id,
    comment_id,
    event_id,
)

JsonObject = dict[str, object]
API = "/api/v2"

_SANDBOX_CLIENT = {
    "client": "Handoff sandbox",
    "ip_address": "127.0.0.1",
    "location": "Loopback",
    "latitude": 0.0,
    "longitude": 0.0,
}


def iso(timestamp: int | None) -> str | None:
    """``2023-09-18T15:57:42Z`` for Unix seconds (None stays None)."""
    if timestamp is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def via(channel: str) -> JsonObject:
    """The ``via`` object of a ticket, comment or audit."""
    return {"channel": channel, "source": {"from": {}, "to": {}, "rel": None}}


def ticket_json(
    ticket: Ticket,
    base: str,
    custom_field_ids: Iterable[int],
    *,
    export: bool = False,
    slas_at: int | None = None,
) -> JsonObject:
    """A ticket as ``GET /tickets/{id}.json`` shows it.

    ``export`` adds ``generated_timestamp``; ``slas_at`` (the current time)
    adds the ``slas`` of ``include=slas``.
    """
    fields = [{"id": field_id, "value": ticket.custom_fields.get(field_id)} for field_id in custom_field_ids]
    shape: JsonObject = {
        "url": f"{base}{API}/tickets/{ticket.id}.json",
        "id": ticket.id,
        "external_id": None,
        "via": via(ticket.channel),
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "type": ticket.type,
        "subject": ticket.subject,
        "raw_subject": ticket.subject,
        "description": ticket.description,
        "priority": ticket.priority,
        "status": ticket.status,
        "recipient": None,
        "requester_id": ticket.requester_id,
        "submitter_id": ticket.submitter_id,
        "assignee_id": ticket.assignee_id,
        "organization_id": ticket.organization_id,
        "group_id": ticket.group_id,
        "collaborator_ids": [],
        "follower_ids": [],
        "email_cc_ids": [],
        "forum_topic_id": None,
        "problem_id": None,
        "has_incidents": False,
        "is_public": ticket.comments[0].public if ticket.comments else True,
        "due_at": None,
        "tags": list(ticket.tags),
        "custom_fields": fields,
        "satisfaction_rating": None,
        "sharing_agreement_ids": [],
        "custom_status_id": None,
        "fields": [dict(item) for item in fields],
        "followup_ids": [],
        "ticket_form_id": None,
        "brand_id": None,
        "allow_channelback": False,
        "allow_attachments": True,
        "from_messaging_channel": False,
    }
    if export:
        shape["generated_timestamp"] = ticket.updated_at
    if slas_at is not None:
        shape["slas"] = {"policy_metrics": _policy_metrics(ticket, slas_at)}
    return shape


def _policy_metrics(ticket: Ticket, now: int) -> list[JsonObject]:
    """The ticket's SLA target as ``include=slas`` shows it: stage, breach time and time left."""
    if ticket.sla_due_at is None or ticket.sla_metric is None:
        return []
    if ticket.status in ("solved", "closed"):
        stage = "achieved"
    elif ticket.status in ("pending", "hold") and ticket.sla_metric == "requester_wait_time":
        stage = "paused"
    else:
        stage = "active"
    left = max(0, ticket.sla_due_at - now) // 60
    return [
        {
            "breach_at": iso(ticket.sla_due_at),
            "stage": stage,
            "metric": ticket.sla_metric,
            "days": left // 1440,
            "hours": left % 1440 // 60,
            "minutes": left % 60,
        }
    ]


def html_of(text: str) -> str:
    """The ``html_body`` Zendesk renders for a plain-text comment (paragraphs, line breaks)."""
    escaped = html.escape(text, quote=False)
    paragraphs = [part.replace("\n", "<br>") for part in escaped.split("\n\n") if part.strip()]
    inner = "".join(f'<p dir="auto">{paragraph}</p>' for paragraph in paragraphs)
    return f'<div class="zd-comment" dir="auto">{inner}</div>'


def comment_json(ticket: Ticket, index: int) -> JsonObject:
    """Comment ``index`` of ``ticket`` as ``GET /tickets/{id}/comments.json`` lists it.

    Its ``metadata.custom`` is that of the audit that added it, as in Zendesk.
    """
    comment = ticket.comments[index]
    return {
        "id": comment_id(ticket.id, index),
        "type": "Comment",
        "author_id": comment.author_id,
        "body": comment.body,
        "html_body": comment.html_body if comment.html_body is not None else html_of(comment.body),
        "plain_body": comment.body,
        "public": comment.public,
        "attachments": [attachment_json(upload) for upload in comment.attachments],
        "audit_id": audit_id(ticket.id, comment.audit_index),
        "via": via(comment.channel),
        "created_at": iso(comment.created_at),
        "metadata": {"system": dict(_SANDBOX_CLIENT), "custom": ticket.audit_custom(comment.audit_index)},
    }


def attachment_json(upload: Upload) -> JsonObject:
    """An attachment as a comment (or an upload's answer) shows it, as recorded."""
    content_url = f"{upload.base}/attachments/token/{upload.token}/?{urlencode({'name': upload.file_name})}"
    return {
        "url": f"{upload.base}{API}/attachments/{upload.id}.json",
        "id": upload.id,
        "file_name": upload.file_name,
        "content_url": content_url,
        "mapped_content_url": content_url,
        "content_type": upload.content_type,
        "size": len(upload.content),
        "width": None,
        "height": None,
        "inline": False,
        "deleted": False,
        "malware_access_override": False,
        "malware_scan_result": "not_scanned",
        "thumbnails": [],
    }


def audit_json(ticket: Ticket, audit: Audit) -> JsonObject:
    """One audit with its events (comment events carry the whole comment, as recorded)."""
    events: list[JsonObject] = []
    for position, event in enumerate(audit.events):
        if isinstance(event, Change):
            shape: JsonObject = {
                "id": event_id(ticket.id, audit.number, position),
                "type": event.kind,
                "value": _event_value(event.value),
                "field_name": event.field_name,
            }
            if event.kind == "Change":
                shape["previous_value"] = _event_value(event.previous_value)
            events.append(shape)
        else:
            shape = comment_json(ticket, event.comment_index)
            for key in ("type", "author_id", "body", "html_body", "plain_body", "public", "attachments"):
                shape[key] = shape.pop(key)
            del (
                shape["via"],
                shape["created_at"],
                shape["metadata"],
            )  # its id stays the comment's, as recorded
            events.append(shape)
    return {
        "id": audit_id(ticket.id, audit.number),
        "ticket_id": ticket.id,
        "created_at": iso(audit.created_at),
        "author_id": audit.author_id,
        "metadata": {"system": dict(_SANDBOX_CLIENT), "custom": dict(audit.custom or {})},
        "events": events,
        "via": via(audit.channel),
    }


_VIA_NAMES = {"email": "Mail", "web": "Web form", "api": "Web service"}


def ticket_event_json(ticket: Ticket, audit: Audit, include_comments: bool) -> JsonObject:
    """An audit as the incremental ticket events export lists it (comments only with ``comment_events``)."""
    via_name = _VIA_NAMES.get(audit.channel, audit.channel)
    children: list[JsonObject] = []
    comment_present, comment_public = False, False
    for position, event in enumerate(audit.events):
        child: JsonObject = {
            "id": event_id(ticket.id, audit.number, position),
            "via": via_name,
            "via_reference_id": None,
        }
        if isinstance(event, Change):
            child[event.field_name] = _event_value(event.value)
            child["event_type"] = event.kind
            if event.kind == "Change":
                child["previous_value"] = _event_value(event.previous_value)
            children.append(child)
            continue
        comment = ticket.comments[event.comment_index]
        comment_present, comment_public = True, comment.public
        if include_comments:  # built directly: this export carries every comment of the account
            child.update(
                id=comment_id(ticket.id, event.comment_index),  # a comment event has the comment's id
                metadata={"custom": dict(audit.custom or {})},
                author_id=comment.author_id,
                body=comment.body,
                html_body=comment.html_body if comment.html_body is not None else html_of(comment.body),
                public=comment.public,
                attachments=[attachment_json(upload) for upload in comment.attachments],
                audit_id=audit_id(ticket.id, comment.audit_index),
                type="Comment",
                event_type="Comment",
            )
            children.append(child)
    return {
        "id": audit_id(ticket.id, audit.number),
        "ticket_id": ticket.id,
        "timestamp": audit.created_at,
        "created_at": iso(audit.created_at),
        "updater_id": audit.author_id,
        "via": via_name,
        "system": dict(_SANDBOX_CLIENT),
        "metadata": {"custom": dict(audit.custom or {})},
        "event_type": "Audit",
        "comment_present": comment_present,
        "comment_public": comment_public,
        "merged_ticket_ids": [],
        "child_events": children,
    }


def _event_value(value: object) -> object:
    """Audit events show ids as strings and lists as space-separated tags, as Zendesk does."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple | list):
        return " ".join(str(item) for item in value)
    return value


def user_json(user: User, base: str) -> JsonObject:
    """A user as ``users/{id}.json`` and ``users/me.json`` show it."""
    is_agent = user.role != "end-user"
    return {
        "id": user.id,
        "url": f"{base}{API}/users/{user.id}.json",
        "name": user.name,
        "email": user.email,
        "created_at": iso(user.created_at),
        "updated_at": iso(user.created_at),
        "time_zone": user.time_zone,
        "iana_time_zone": user.time_zone,
        "phone": None,
        "shared_phone_number": None,
        "photo": None,
        "locale_id": 1,
        "locale": "en-US",
        "organization_id": user.organization_id,
        "role": user.role,
        "verified": True,
        "external_id": None,
        "tags": [],
        "alias": None,
        "active": True,
        "shared": False,
        "shared_agent": False,
        "last_login_at": iso(user.created_at) if is_agent else None,
        "two_factor_auth_enabled": None,
        "signature": None,
        "details": None,
        "notes": None,
        "role_type": None,
        "custom_role_id": None,
        "moderator": is_agent,
        "ticket_restriction": None if is_agent else "requested",
        "only_private_comments": False,
        "restricted_agent": False,
        "suspended": False,
        "default_group_id": user.default_group_id,
        "report_csv": is_agent,
        "user_fields": {},
    }


def organization_json(organization: Organization, base: str) -> JsonObject:
    """An organization as ``organizations.json`` lists it."""
    return {
        "url": f"{base}{API}/organizations/{organization.id}.json",
        "id": organization.id,
        "name": organization.name,
        "shared_tickets": False,
        "shared_comments": False,
        "external_id": None,
        "created_at": iso(organization.created_at),
        "updated_at": iso(organization.created_at),
        "domain_names": list(organization.domain_names),
        "details": None,
        "notes": organization.notes,
        "group_id": None,
        "tags": list(organization.tags),
        "organization_fields": {},
    }


def group_json(group: Group, base: str) -> JsonObject:
    """A group as ``groups.json`` lists it."""
    return {
        "url": f"{base}{API}/groups/{group.id}.json",
        "id": group.id,
        "is_public": True,
        "name": group.name,
        "description": group.description,
        "default": group.default,
        "deleted": False,
        "created_at": iso(group.created_at),
        "updated_at": iso(group.created_at),
    }


def ticket_field_json(ticket_field: TicketField, base: str) -> JsonObject:
    """A ticket field definition as ``ticket_fields.json`` lists it."""
    shape: JsonObject = {
        "url": f"{base}{API}/ticket_fields/{ticket_field.id}.json",
        "id": ticket_field.id,
        "type": ticket_field.type,
        "title": ticket_field.title,
        "raw_title": ticket_field.title,
        "description": ticket_field.description,
        "raw_description": ticket_field.description,
        "position": ticket_field.position,
        "active": True,
        "required": False,
        "collapsed_for_agents": False,
        "regexp_for_validation": None,
        "title_in_portal": ticket_field.title,
        "raw_title_in_portal": ticket_field.title,
        "visible_in_portal": ticket_field.system,
        "editable_in_portal": False,
        "required_in_portal": False,
        "tag": None,
        "created_at": iso(ticket_field.created_at),
        "updated_at": iso(ticket_field.created_at),
        "removable": not ticket_field.system,
        "key": None,
        "agent_description": None,
    }
    if ticket_field.options:
        shape["custom_field_options"] = [
            {
                "id": ticket_field.id * 100 + position,
                "name": option.replace("_", " ").capitalize(),
                "raw_name": option.replace("_", " ").capitalize(),
                "value": option,
                "default": False,
            }
            for position, option in enumerate(ticket_field.options)
        ]
    return shape
