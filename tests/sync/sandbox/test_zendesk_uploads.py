"""Uploading files to the sandbox Zendesk and attaching them to a comment, as Zendesk does it."""

from __future__ import annotations

import httpx

from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.sandbox.clients import ticket_with_status, verifying_context

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8


def upload(agent: httpx.Client, name: str, content: bytes, content_type: str) -> httpx.Response:
    return agent.post(
        "/api/v2/uploads.json",
        params={"filename": name},
        content=content,
        headers={"Content-Type": content_type},
    )


def test_an_upload_returns_its_token_and_attachment_and_a_comment_carries_it(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")

    uploaded = upload(agent, "invoice 2026-11.pdf", PDF, "application/pdf")
    token = uploaded.json()["upload"]["token"]
    comment = {"body": "Invoice attached.", "public": True, "uploads": [token]}
    updated = agent.put(f"/api/v2/tickets/{ticket_id}.json", json={"ticket": {"comment": comment}})

    assert uploaded.status_code == 201
    attachment = uploaded.json()["upload"]["attachment"]
    assert (attachment["file_name"], attachment["content_type"], attachment["size"]) == (
        "invoice 2026-11.pdf",
        "application/pdf",
        len(PDF),
    )
    assert uploaded.json()["upload"]["attachments"] == [attachment]
    assert updated.status_code == 200
    [event] = [e for e in updated.json()["audit"]["events"] if e["type"] == "Comment"]
    assert [a["id"] for a in event["attachments"]] == [attachment["id"]]
    listed = agent.get(f"/api/v2/tickets/{ticket_id}/comments.json").json()["comments"][-1]
    assert listed["attachments"] == [attachment]
    download = agent.get(attachment["content_url"])
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"


def test_a_token_attaches_once_and_an_unknown_token_is_refused_with_422(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    token = upload(agent, "notes.txt", b"hello", "text/plain").json()["upload"]["token"]
    path = f"/api/v2/tickets/{ticket_id}.json"
    comments_before = len(zendesk_sandbox.store.comments(ticket_id))

    first = agent.put(path, json={"ticket": {"comment": {"body": "one", "uploads": [token]}}})
    again = agent.put(path, json={"ticket": {"comment": {"body": "two", "uploads": [token]}}})
    unknown = agent.put(path, json={"ticket": {"comment": {"body": "three", "uploads": ["nope"]}}})

    assert first.status_code == 200
    assert again.status_code == unknown.status_code == 422
    assert again.json()["error"] == "RecordInvalid"
    assert "uploads" in again.json()["details"]
    assert len(zendesk_sandbox.store.comments(ticket_id)) == comments_before + 1


def test_a_file_over_the_size_limit_is_refused_with_413_and_not_kept(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    zendesk_sandbox.store.max_upload_bytes = 1024

    refused = upload(agent, "big.bin", b"x" * 1025, "application/octet-stream")
    accepted = upload(agent, "small.bin", b"x" * 1024, "application/octet-stream")

    assert refused.status_code == 413
    body = refused.json()
    assert body["error"] == "RecordInvalid"
    assert "exceeds" in body["details"]["uploads"][0]["description"]
    assert accepted.status_code == 201


def test_uploading_needs_an_agents_credentials(zendesk_sandbox: ZendeskSandbox) -> None:
    with httpx.Client(
        base_url=zendesk_sandbox.base_url, verify=verifying_context(zendesk_sandbox)
    ) as anonymous:
        response = anonymous.post("/api/v2/uploads.json", params={"filename": "a.txt"}, content=b"a")

    assert response.status_code == 401
