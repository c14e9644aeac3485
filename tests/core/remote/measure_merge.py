"""How fast pulled pages merge (not a test): ``python -m tests.core.remote.measure_merge [PAGE] [PAGES]``.

Each ticket comes with its requester (a new contact), its organization and three comments (two
from the customer, one agent reply), as an initial sync brings them. Prints tickets per second
for ``apply_page`` plus the commit (which recomputes the new cases' SLA deadlines).
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from core.db.runner import DbRunner
from core.remote.dtos import RemoteOrganization, RemotePage, RemoteUser
from core.remote.merge import apply_page
from core.workspace import open_workspace
from tests.core.remote.builders import AGENT, GROUP, T0, add_zendesk, comment, ticket

COMMENTS_PER_TICKET = 3
ORGANIZATIONS = 500


def initial_sync_page(first: int, size: int, cursor: str) -> RemotePage:
    """``size`` new tickets from ``first`` on, with what the export side-loads for them."""
    tickets, comments, users = [], [], [AGENT]
    for number in range(first, first + size):
        org_id = str(100_000 + number % ORGANIZATIONS)
        requester = str(200_000 + number)
        users.append(RemoteUser(requester, f"Customer {number}", f"c{number}@example.com", False, org_id))
        subject = f"Ticket {number}: SSO login loops back to the sign-in page"
        tickets.append(
            replace(ticket(str(number), subject=subject), requester_id=requester, organization_id=org_id)
        )
        for index in range(COMMENTS_PER_TICKET):
            author = AGENT.remote_id if index == 1 else requester
            body = f"Comment {index} on ticket {number}: the redirect still loops after clearing cookies."
            comments.append(
                comment(str(number * 10 + index), str(number), author_id=author, minutes=index, body=body)
            )
    org_ids = sorted({user.organization_id for user in users if user.organization_id})
    organizations = tuple(RemoteOrganization(org_id, f"Organization {org_id}") for org_id in org_ids)
    return RemotePage(
        "tickets", cursor, False, tuple(tickets), tuple(comments), tuple(users), organizations, (GROUP,)
    )


def main(size: int = 1000, pages: int = 5) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine, _report = open_workspace(Path(folder) / "workspace")
        db = DbRunner(engine)
        try:
            connection = db.write(add_zendesk).result()
            built = [initial_sync_page(1_000_000 + page * size, size, f"c{page}") for page in range(pages)]
            started = time.perf_counter()
            for page in built:
                db.write(apply_page, connection, page, T0).result()
            elapsed = time.perf_counter() - started
            again = time.perf_counter()
            db.write(apply_page, connection, built[-1], T0).result()
            repeat = time.perf_counter() - again
        finally:
            db.shutdown()
            engine.dispose()
    total = size * pages
    comments = total * COMMENTS_PER_TICKET
    print(
        f"{total} new tickets, {comments} comments in {size}-ticket pages: {total / elapsed:,.0f} tickets/s"
    )
    print(f"the same {size}-ticket page applied again (nothing changes): {size / repeat:,.0f} tickets/s")


if __name__ == "__main__":
    main(*(int(argument) for argument in sys.argv[1:3]))
