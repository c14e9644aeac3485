"""Reading and changing tickets in the sandbox Zendesk over HTTPS, as a connector does."""

from __future__ import annotations

import httpx

from sync.sandbox.zendesk.server import ZendeskSandbox
from tests.sync.sandbox.clients import ticket_with_status


def test_show_returns_the_ticket_and_show_many_skips_unknown_ids(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    first, second = zendesk_sandbox.store.ticket_ids[:2]

    shown = agent.get(f"/api/v2/tickets/{first}.json")
    many = agent.get("/api/v2/tickets/show_many.json", params={"ids": f"{first},{second},987654"})

    assert shown.status_code == 200
    assert shown.headers["content-type"] == "application/json; charset=utf-8"
    assert shown.json()["ticket"]["id"] == first
    assert "generated_timestamp" not in shown.json()["ticket"]
    assert [ticket["id"] for ticket in many.json()["tickets"]] == [first, second]
    assert many.json()["count"] == 2


def test_show_many_refuses_more_than_100_ids(agent: httpx.Client) -> None:
    response = agent.get("/api/v2/tickets/show_many.json", params={"ids": ",".join(map(str, range(1, 102)))})

    assert response.status_code == 400
    assert response.json()["error"] == "TooManyValues"
    assert response.json()["max_count"] == 100


def test_unknown_ticket_and_unknown_endpoint_answer_404_with_zendesk_bodies(agent: httpx.Client) -> None:
    assert agent.get("/api/v2/tickets/424242.json").json() == {
        "error": "RecordNotFound",
        "description": "Not found",
    }
    assert agent.get("/api/v2/no_such_thing.json").status_code == 404


def test_an_update_with_a_comment_returns_ticket_and_audit_and_the_comment_is_listed(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    before = agent.get(f"/api/v2/tickets/{ticket_id}.json").json()["ticket"]
    marker = "Internal note MARKER-7f3a: checked the logs\n\n**no errors**"

    response = agent.put(
        f"/api/v2/tickets/{ticket_id}.json",
        json={
            "ticket": {
                "comment": {"body": marker, "public": False},
                "status": "pending",
                "priority": "urgent",
            }
        },
    )

    assert response.status_code == 200
    ticket, audit = response.json()["ticket"], response.json()["audit"]
    assert (ticket["status"], ticket["priority"]) == ("pending", "urgent")
    assert ticket["updated_at"] > before["updated_at"]
    assert audit["ticket_id"] == ticket_id
    events = {event["type"]: event for event in audit["events"] if event["type"] == "Comment"}
    assert events["Comment"]["body"] == marker and events["Comment"]["public"] is False
    changes = {event["field_name"]: event for event in audit["events"] if event["type"] == "Change"}
    assert changes["status"]["previous_value"] == "open" and changes["status"]["value"] == "pending"
    comments = agent.get(f"/api/v2/tickets/{ticket_id}/comments.json").json()["comments"]
    assert [comment["body"] for comment in comments].count(marker) == 1
    assert comments[-1]["public"] is False
    assert comments[-1]["audit_id"] == audit["id"]
    assert comments[-1]["id"] == events["Comment"]["id"]  # a comment event carries the comment's id
    audits = agent.get(f"/api/v2/tickets/{ticket_id}/audits.json").json()["audits"]
    assert audits[-1]["id"] == audit["id"]


def test_html_body_is_kept_as_sent(zendesk_sandbox: ZendeskSandbox, agent: httpx.Client) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    html = "<p>Hello <b>there</b></p>"

    agent.put(f"/api/v2/tickets/{ticket_id}.json", json={"ticket": {"comment": {"html_body": html}}})

    last = zendesk_sandbox.store.comments(ticket_id)[-1]
    assert (last["html_body"], last["body"], last["public"]) == (html, "Hello there", True)


def test_safe_update_with_a_stale_stamp_gets_409_and_changes_nothing(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    read = agent.get(f"/api/v2/tickets/{ticket_id}.json").json()["ticket"]
    zendesk_sandbox.store.edit_as_other_agent(ticket_id)
    comments_before = len(zendesk_sandbox.store.comments(ticket_id))

    response = agent.put(
        f"/api/v2/tickets/{ticket_id}.json",
        json={
            "ticket": {
                "status": "solved",
                "comment": {"body": "Fixed"},
                "safe_update": True,
                "updated_stamp": read["updated_at"],
            }
        },
    )

    assert response.status_code == 409
    assert response.json()["error"] == "UpdateConflict"
    assert zendesk_sandbox.store.ticket(ticket_id)["status"] == "open"
    assert len(zendesk_sandbox.store.comments(ticket_id)) == comments_before


def test_safe_update_with_the_current_stamp_applies(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    read = agent.get(f"/api/v2/tickets/{ticket_id}.json").json()["ticket"]

    response = agent.put(
        f"/api/v2/tickets/{ticket_id}.json",
        json={"ticket": {"status": "hold", "safe_update": True, "updated_stamp": read["updated_at"]}},
    )

    assert response.status_code == 200
    assert response.json()["ticket"]["status"] == "hold"


def test_invalid_values_and_closed_tickets_answer_422(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    open_id = ticket_with_status(zendesk_sandbox, "open")
    closed_id = ticket_with_status(zendesk_sandbox, "closed")

    bad_status = agent.put(f"/api/v2/tickets/{open_id}.json", json={"ticket": {"status": "finished"}})
    end_user_assignee = agent.put(
        f"/api/v2/tickets/{open_id}.json",
        json={"ticket": {"assignee_id": zendesk_sandbox.store.ticket(open_id)["requester_id"]}},
    )
    closed = agent.put(f"/api/v2/tickets/{closed_id}.json", json={"ticket": {"comment": {"body": "hi"}}})

    assert bad_status.status_code == 422 and "status" in bad_status.json()["details"]
    assert end_user_assignee.status_code == 422 and "assignee" in end_user_assignee.json()["details"]
    assert closed.status_code == 422
    assert closed.json()["details"]["status"][0]["description"] == "Status: closed prevents ticket update"


def test_a_body_without_ticket_is_a_bad_request(zendesk_sandbox: ZendeskSandbox, agent: httpx.Client) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")

    assert agent.put(f"/api/v2/tickets/{ticket_id}.json", json={"status": "open"}).status_code == 400
    assert agent.put(f"/api/v2/tickets/{ticket_id}.json", content=b"{not json").status_code == 400


def test_assignment_group_custom_fields_and_tags_are_applied(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    field_id = next(
        field["id"]
        for field in agent.get("/api/v2/ticket_fields.json").json()["ticket_fields"]
        if field["title"] == "Escalation tier"
    )
    group_id = zendesk_sandbox.store.group_ids()[0]
    assignee_id = zendesk_sandbox.store.agent_ids()[0]

    ticket = agent.put(
        f"/api/v2/tickets/{ticket_id}.json",
        json={
            "ticket": {
                "group_id": group_id,
                "assignee_id": assignee_id,
                "custom_fields": [{"id": field_id, "value": 3}],
                "tags": ["vip", "Needs Review"],
            }
        },
    ).json()["ticket"]

    assert (ticket["group_id"], ticket["assignee_id"]) == (group_id, assignee_id)
    assert {"id": field_id, "value": 3} in ticket["custom_fields"]
    assert ticket["tags"] == ["vip", "needs", "review"]


def test_creating_a_ticket_answers_201_with_location(agent: httpx.Client) -> None:
    response = agent.post(
        "/api/v2/tickets.json", json={"ticket": {"subject": "Printer on fire", "comment": {"body": "Help"}}}
    )

    assert response.status_code == 201
    ticket = response.json()["ticket"]
    assert response.headers["location"] == ticket["url"]
    assert (ticket["subject"], ticket["description"], ticket["status"]) == ("Printer on fire", "Help", "new")
    assert any(event["type"] == "Create" for event in response.json()["audit"]["events"])


def test_comments_page_with_cursors_until_has_more_is_false(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    for number in range(4):
        zendesk_sandbox.store.add_customer_reply(ticket_id, f"reply {number}")
    expected = [comment["id"] for comment in zendesk_sandbox.store.comments(ticket_id)]

    seen: list[int] = []
    body = agent.get(f"/api/v2/tickets/{ticket_id}/comments.json", params={"page[size]": 2}).json()
    while True:
        seen.extend(comment["id"] for comment in body["comments"])
        if not body["meta"]["has_more"]:
            break
        body = agent.get(body["links"]["next"]).json()

    assert seen == expected
    assert all(len(str(comment_id)) > 10 for comment_id in seen)  # ids beyond 2**32, as in Zendesk


def test_comments_without_cursor_parameters_page_by_offset(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    total = len(zendesk_sandbox.store.comments(ticket_id))

    body = agent.get(f"/api/v2/tickets/{ticket_id}/comments.json", params={"per_page": 1}).json()

    assert body["count"] == total
    assert len(body["comments"]) == 1
    assert (body["next_page"] is not None) == (total > 1)


def test_a_customer_reply_reopens_a_pending_ticket(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "pending")

    zendesk_sandbox.store.add_customer_reply(ticket_id, "Still broken")

    ticket = agent.get(f"/api/v2/tickets/{ticket_id}.json").json()["ticket"]
    last = agent.get(f"/api/v2/tickets/{ticket_id}/comments.json").json()["comments"][-1]
    assert ticket["status"] == "open"
    assert (last["body"], last["author_id"], last["public"]) == ("Still broken", ticket["requester_id"], True)


def test_users_organizations_groups_and_fields_are_listed(agent: httpx.Client) -> None:
    organizations = agent.get("/api/v2/organizations.json", params={"page[size]": 100}).json()
    groups = agent.get("/api/v2/groups.json", params={"page[size]": 2}).json()
    fields = agent.get("/api/v2/ticket_fields.json").json()["ticket_fields"]
    a_user_id = agent.get("/api/v2/users/me.json").json()["user"]["id"]
    many = agent.get("/api/v2/users/show_many.json", params={"ids": str(a_user_id)}).json()

    assert organizations["organizations"] and organizations["meta"]["has_more"] is False
    assert len(groups["groups"]) == 2 and groups["meta"]["has_more"] is True
    assert agent.get(groups["links"]["next"]).json()["groups"][0]["id"] != groups["groups"][0]["id"]
    assert {"subject", "status", "priority", "tagger"} <= {field["type"] for field in fields}
    assert [user["id"] for user in many["users"]] == [a_user_id]
    assert agent.get(f"/api/v2/users/{a_user_id}.json").json()["user"]["role"] == "agent"


def test_custom_metadata_of_a_change_is_kept_on_its_audit_and_comment(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    key = {"handoff_key": "4f2a9c"}

    response = agent.put(
        f"/api/v2/tickets/{ticket_id}.json",
        json={"ticket": {"comment": {"body": "Keyed reply"}, "metadata": {"custom": key}}},
    )
    unkeyed = agent.put(f"/api/v2/tickets/{ticket_id}.json", json={"ticket": {"comment": {"body": "Plain"}}})

    assert response.status_code == 200
    assert response.json()["audit"]["metadata"]["custom"] == key
    audits = agent.get(f"/api/v2/tickets/{ticket_id}/audits.json").json()["audits"]
    assert [audit["metadata"]["custom"] for audit in audits[-2:]] == [key, {}]
    comments = agent.get(f"/api/v2/tickets/{ticket_id}/comments.json").json()["comments"]
    assert [(c["body"], c["metadata"]["custom"]) for c in comments[-2:]] == [
        ("Keyed reply", key),
        ("Plain", {}),
    ]
    assert unkeyed.json()["audit"]["metadata"]["custom"] == {}


def test_metadata_that_is_not_an_object_is_refused(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")

    response = agent.put(f"/api/v2/tickets/{ticket_id}.json", json={"ticket": {"metadata": "key"}})

    assert response.status_code == 422
    assert "metadata" in response.json()["details"]


def test_comments_and_audits_come_newest_first_with_sort_order_desc(
    zendesk_sandbox: ZendeskSandbox, agent: httpx.Client
) -> None:
    ticket_id = ticket_with_status(zendesk_sandbox, "open")
    for number in range(3):
        zendesk_sandbox.store.add_customer_reply(ticket_id, f"reply {number}")
    oldest_first = [comment["id"] for comment in zendesk_sandbox.store.comments(ticket_id)]

    newest = agent.get(
        f"/api/v2/tickets/{ticket_id}/comments.json", params={"sort_order": "desc", "page[size]": 2}
    ).json()
    rest = agent.get(newest["links"]["next"]).json()
    audits = agent.get(f"/api/v2/tickets/{ticket_id}/audits.json", params={"sort_order": "desc"}).json()

    assert [c["id"] for c in newest["comments"] + rest["comments"]] == oldest_first[::-1][:4]
    assert audits["audits"][0]["events"][0]["body"] == "reply 2"


def test_include_slas_shows_the_next_sla_target_of_open_tickets(agent: httpx.Client) -> None:
    body = agent.get(
        "/api/v2/incremental/tickets/cursor.json", params={"start_time": 0, "include": "slas"}
    ).json()
    plain = agent.get("/api/v2/incremental/tickets/cursor.json", params={"start_time": 0}).json()

    metrics = {ticket["id"]: ticket["slas"]["policy_metrics"] for ticket in body["tickets"]}
    running = [
        metrics[ticket["id"]][0]
        for ticket in body["tickets"]
        if ticket["status"] in ("new", "open") and metrics[ticket["id"]]
    ]
    assert running, "some open tickets have an SLA target"
    assert all(metric["stage"] == "active" and metric["breach_at"].endswith("Z") for metric in running)
    assert {metric["metric"] for metric in running} <= {
        "first_reply_time",
        "next_reply_time",
        "periodic_update_time",
        "requester_wait_time",
    }
    assert "slas" not in plain["tickets"][0]
    some_id = next(ticket_id for ticket_id, m in metrics.items() if m)
    shown = agent.get(f"/api/v2/tickets/{some_id}.json", params={"include": "slas"}).json()["ticket"]
    assert shown["slas"]["policy_metrics"][0]["breach_at"] == metrics[some_id][0]["breach_at"]
