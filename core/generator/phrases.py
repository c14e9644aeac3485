"""Generic support phrases, shared by every product area.

Templates are filled with the case's slots (:mod:`core.generator.slots`) plus
``{contact}`` (the customer contact's first name), ``{customer}``, ``{team}``
(the team working the case) and ``{defect}`` (a linked defect key).
"""

from __future__ import annotations

from core.domain.enums import ReasonCode

GREETINGS: tuple[str, ...] = (
    "Hi,",
    "Hello support team,",
    "Hi there,",
    "Good morning,",
    "Hello,",
    "Dear support,",
)
SIGN_OFFS: tuple[str, ...] = (
    "Thanks,",
    "Best regards,",
    "Kind regards,",
    "Thank you,",
    "Cheers,",
    "Regards,",
)

CUSTOMER_PROVIDES_INFO: tuple[str, ...] = (
    "Here is the information you asked for: we are on version {version}, using {browser} on {os}. The last "
    "failure was at {time} UTC, request id {req_id}.",
    "I attached the HAR file and a screenshot. The error shown was {err}, same as before.",
    "We checked with our IT team. Nothing changed on our side around {date}, and the problem affects about "
    "{user_count} users.",
    "Steps to reproduce: log in as a regular user, open the affected page, wait a few seconds. It "
    "fails every "
    "time for us, in {browser} and in a private window.",
    "Our admin ran the checks you suggested. The result was the same ({http}); the log export is attached.",
)

CUSTOMER_CHASES: tuple[str, ...] = (
    "Any update on this? It is still happening and our team is waiting for a solution.",
    "This is now blocking {count} people on our side. Could you please give us an estimate?",
    "We have a management review on {date} and I need to report on the status of this issue.",
    "Sorry to push, but this is becoming urgent for us. Is there anything we can do in the meantime?",
    "Following up on my last message. Is there a workaround we could use until this is fixed?",
)

CUSTOMER_NOT_FIXED: tuple[str, ...] = (
    "Unfortunately the problem came back this morning. We still see {err} for some users.",
    "We applied the change, but it did not help. The same error appears, request id {req_id}.",
    "It worked for a day, but since yesterday we see the same behaviour again.",
)

CUSTOMER_CONFIRMS: tuple[str, ...] = (
    "Confirmed, it works now. Thank you for the help and the clear explanation!",
    "We tested it with several users and everything looks fine. You can close the case.",
    "All good on our side now. Thanks to you and the team for sorting this out.",
    "Works again. Much appreciated, especially the detailed write-up for our IT team.",
)

CUSTOMER_REOPENS: tuple[str, ...] = (
    "I have to reopen this: the issue is back since {date}, same symptoms as before ({err}).",
    "The problem is happening again for part of our users. Can you take another look?",
)

AGENT_ACKNOWLEDGES: tuple[str, ...] = (
    "Hi {contact},\n\nthank you for reaching out, and sorry for the trouble. I am looking into this now and "
    "will get back to you as soon as I know more.",
    "Hi {contact},\n\nthanks for the detailed report. I can see the problem on our side and am checking the "
    "logs for your account ({tenant}). I will update you within the next few hours.",
    "Hello {contact},\n\nthank you for contacting us. I have started investigating and will keep you posted.",
)

AGENT_REQUESTS_INFO: tuple[str, ...] = (
    "Hi {contact},\n\nto narrow this down, could you send us:\n- the exact time of a failed attempt "
    "(with time zone)\n- a HAR file of the failing request\n- the product version shown under Help → About",
    "Hi {contact},\n\ncould you please confirm the browser and operating system your users are on, "
    "and whether "
    "the problem also happens in a private window? A screenshot of the error would help as well.",
    "Hello {contact},\n\nwe need a little more detail: how many users are affected, when did it "
    "start, and did "
    "anything change on your side around that time (network, identity provider, integrations)?",
)

AGENT_REMINDS: tuple[str, ...] = (
    "Hi {contact},\n\njust checking in: we are still waiting for the details requested above. As soon as we "
    "have them we can continue.",
    "Hello {contact},\n\na gentle reminder about the information we asked for. If the problem is "
    "gone, let us "
    "know and we will close the case.",
)

AGENT_UPDATES: tuple[str, ...] = (
    "Hi {contact},\n\na quick update: our specialists are still investigating and have narrowed the problem "
    "down. I will update you again by tomorrow at the latest.",
    "Hi {contact},\n\nwe have reproduced the issue in our test environment, which is good news: it "
    "means we can "
    "test a fix. I will keep you informed.",
    "Hello {contact},\n\nour engineering team is working on this with priority. Next update within 24 hours.",
)

AGENT_ANNOUNCES_ESCALATION: tuple[str, ...] = (
    "Hi {contact},\n\nI have passed your case to our {team} team, who specialise in this area. They have the "
    "full history, so you will not need to repeat anything.",
    "Hello {contact},\n\nthis needs a closer look from our specialists. I have escalated it to the "
    "{team} team "
    "with everything we collected so far.",
)

AGENT_PROPOSES: str = (
    "Hi {contact},\n\nwe found the cause: {root_cause}\n\n{resolution}\n\n"
    "Could you please confirm that it works on your side?"
)

AGENT_PROPOSES_AGAIN: tuple[str, ...] = (
    "Hi {contact},\n\nthank you for testing and for your patience. We looked again and found what the first "
    "change missed; a corrected fix is now in place on your account. Could you please try again and let us "
    "know?",
    "Hello {contact},\n\nwe reproduced the remaining problem with the details you sent and applied a second "
    "correction. Please check again on your side; if anything still fails, send us the time and request id.",
)

AGENT_CLOSES: tuple[str, ...] = (
    "Hi {contact},\n\nglad to hear it works. I am marking the case as resolved; if anything comes up again, "
    "just reply to this email.",
    "Thank you for confirming, {contact}. I will resolve the case now. Have a great week!",
)

TIER1_STEPS: tuple[str, ...] = (
    "Checked status page and recent deployments around {date}: nothing related",
    "Asked the customer to clear the browser cache and retry: still fails",
    "Searched the knowledge base for {err}: no matching article",
    "Verified the account {account} is active and on plan {plan}",
    "Tried to reproduce with a test user in {browser}: could not reproduce",
)

GENERIC_STEPS: tuple[str, ...] = (
    "Reproduced in staging with {browser} on {os}: fails the same way",
    "Checked error tracking for {req_id}: one matching event, stack trace attached to the case",
    "Compared the account configuration with a working tenant: no relevant difference",
    "Re-ran the failing request with debug logging enabled: captured the full trace",
    "Checked recent deployments for version {version}: two related changes",
)

TRIAGE_NOTES: tuple[str, ...] = (
    "Routing to {team}: area matches and they have capacity. Readiness check complete.",
    "Confirmed the escalation. Context is complete (version, steps to reproduce, impact). Assigning "
    "within {team}.",
    "Triaged: matches the {team} skill profile; priority kept.",
)

SUMMARY_NOTES: tuple[str, ...] = (
    "Summary so far: customer reports {subject_lower}. Environment: version {version}, {browser} on {os}. "
    "Tier 1 checked the status page and cache; no known incident.",
    "Handover: problem reproduced once by the customer, error {err}. Open question: does it affect all users "
    "or only a group? Customer is responsive.",
)

ACCOUNT_NOTES: tuple[str, ...] = (
    "Heads-up: {customer} is a {customer_tier} account with renewal on {renewal}. CSM informed.",
    "CSM asked to be kept in the loop; the account is sensitive after last quarter's incident.",
)

ENGINEERING_HANDOFFS: tuple[str, ...] = (
    "Filed {defect} with reproduction steps and the customer's logs. Waiting for engineering triage.",
    "Linked to existing defect {defect}; added this customer to the affected accounts.",
)

ENGINEERING_FOLLOW_UPS: tuple[str, ...] = (
    "Sent the new reproduction and logs to engineering on {defect}; waiting for their analysis.",
    "Back to engineering on {defect}: the first fix does not cover this customer's setup.",
)

ENGINEERING_UPDATES: tuple[str, ...] = (
    "Engineering: root cause found for {defect}, fix merged and scheduled for the next release.",
    "Engineering: {defect} reproduced on main. A hotfix is being deployed to the customer's region.",
    "Engineering: {defect} confirmed; the fix is in code review, expected in the next maintenance window.",
)

APPROVAL_REQUESTS: tuple[str, ...] = (
    "Requesting approval for a goodwill credit of {amount} because of the impact on the customer.",
    "Need management approval for a policy exception: customer asks for an extended grace period.",
)

APPROVAL_DECISIONS: tuple[str, ...] = (
    "Approved. Please apply the credit and document it on the account.",
    "Approved as an exception; note it in the renewal file.",
)

PLAIN_NOTES: tuple[str, ...] = (
    "Customer called in; explained the next steps by phone.",
    "Checked with the on-call engineer: no related alerts in the last 24 hours.",
    "Similar past cases point to a configuration issue; checking the account settings next.",
    "Customer's timezone is CET; scheduling the screen share for tomorrow morning.",
    "Asked the account's CSM for the contract terms before promising anything.",
)

TROUBLESHOOTING_OUTCOMES: tuple[str, ...] = ("still fails", "works", "cannot reproduce", "partially works")

JUSTIFICATIONS: dict[ReasonCode, tuple[str, ...]] = {
    ReasonCode.RESOLUTION_TIME: (
        "Open for several days at tier 1 without a resolution; the next-reply target is at risk.",
        "Resolution SLA will breach within 8 hours; escalating before the deadline.",
    ),
    ReasonCode.TECHNICAL_EXPERTISE: (
        "Needs specialist knowledge: tier-1 checks are done (cache, browser, status page) and the "
        "error {err} "
        "is not covered by the knowledge base.",
        "Beyond tier-1 tooling: requires log access and configuration review for {tenant}.",
    ),
    ReasonCode.BUSINESS_IMPACT: (
        "{user_count} users at {customer} are blocked; a business-critical workflow is down.",
        "High-value account ({customer_tier}) with renewal coming up; impact on daily operations.",
    ),
    ReasonCode.CUSTOMER_REQUEST: (
        "The customer asked explicitly for a specialist after several exchanges.",
        "Customer's IT lead requested escalation to engineering.",
    ),
    ReasonCode.KNOWN_DEFECT: (
        "Symptoms match a known defect pattern; needs engineering confirmation and a linked defect.",
        "Same error {err} reported by other customers this week; likely a product defect.",
    ),
    ReasonCode.POLICY_EXCEPTION: (
        "Customer requests a credit of {amount} outside the standard policy; needs approval.",
        "Refund outside the 30-day window requested; requires management approval.",
    ),
}

OVERRIDE_REASONS: tuple[str, ...] = (
    "HAR file not available yet; the customer will send it tomorrow. Escalating now because of the impact.",
    "Customer on site without access to logs; steps to reproduce are clear enough.",
    "Product version unknown (customer on mobile); urgency outweighs the missing detail.",
)

TRANSITION_REASONS: dict[str, str] = {
    "created": "Created from customer email",
    "escalated": "Escalation requested",
    "rerouted": "Re-routed to the right team",
    "triaged": "Triaged and assigned",
    "started": "Investigation started",
    "awaiting_customer": "Waiting for information from the customer",
    "awaiting_engineering": "Handed to engineering",
    "awaiting_approval": "Waiting for management approval",
    "customer_replied": "Customer replied",
    "engineering_replied": "Engineering replied",
    "approved": "Approval granted",
    "re_escalated": "Re-escalated to tier 3",
    "proposed": "Resolution proposed to the customer",
    "returned": "Returned: the customer reports the fix did not work",
    "resolved": "Customer confirmed the resolution",
    "closed": "Closed automatically after the confirmation period",
    "reopened": "Reopened: the customer reports the problem is back",
}
