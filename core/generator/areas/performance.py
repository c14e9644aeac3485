"""Performance & Reliability: slowness, timeouts, outages, regional incidents."""

from __future__ import annotations

from core.generator.catalog import AreaProfile, RootCauseKind, Scenario

PERFORMANCE = AreaProfile(
    key="performance",
    name="Performance & Reliability",
    short="Reliability",
    error_prefix="PERF-",
    logger=("edge.lb", "app.web", "db.pool", "search.cluster"),
    scenarios=(
        Scenario(
            subjects=(
                "Application very slow for our EU users",
                "Pages take {latency} to load since {date}",
            ),
            problem=(
                "Since {date} pages take {latency} or longer to load for our users in Europe. Users in the "
                "US do not see the problem. It makes the app close to unusable during our morning peak."
            ),
            details=(
                "We measured it from three offices, on {browser}.",
                "Our tenant is hosted in {region}.",
                "Example request id: {req_id}.",
            ),
            steps=(
                "Looked up {req_id}: 7.9 s spent in TLS handshake at the edge",
                "Checked edge routing for the customer's ISP: traffic routed to a US point of presence",
                "Ran a traceroute from an EU probe on the same ISP: confirms transatlantic hop",
            ),
            logs=(
                "edge pop=iad1 client_country=DE tls_handshake_ms=7912 request_id={req_id}",
                "slow request {req_id} total=8412ms upstream=214ms",
            ),
            hypotheses=("The customer's ISP is routed to a US edge location after a DNS change.",),
            root_cause=(
                "A change in GeoDNS routing sent traffic from one European ISP to a US edge location."
            ),
            resolution=(
                "Our network team corrected the GeoDNS mapping; European traffic is served from Frankfurt "
                "again and page loads are back under a second."
            ),
            cause_kind=RootCauseKind.THIRD_PARTY,
        ),
        Scenario(
            subjects=(
                "Intermittent {http} errors during business hours",
                "Frequent {http} when saving records",
            ),
            problem=(
                "Several times a day, saving a record fails with {http}. Retrying after a minute usually "
                "works. This has been going on since {date} and is getting worse."
            ),
            details=(
                "We have about {user_count} concurrent users at peak.",
                "It happens across all browsers.",
                "Request ids from this morning: {req_id} and two more in the attached file.",
            ),
            steps=(
                "Traced {req_id}: waited 30 s for a database connection, then failed",
                "Checked the connection pool metrics for the shard: saturated at peak",
                "Found a long-running report query holding connections on the same shard",
            ),
            logs=(
                "db pool exhausted: waited 30000 ms for connection (pool size 40) request_id={req_id}",
                "returned {http_code} path=/records/{hex8} duration=30012ms",
                "long query pid=88{num4} running 412 s on shard eu-{num2}",
            ),
            hypotheses=("Long report queries exhaust the shared connection pool on the customer's shard.",),
            root_cause=(
                "Long-running report queries shared the connection pool with interactive requests and "
                "exhausted it at peak times."
            ),
            resolution=(
                "Report queries now run on a separate read replica with their own pool. Saves no longer "
                "wait for connections; we have monitored your shard for a week without errors."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Search results missing recent records",
                "Search does not find records created today",
            ),
            problem=(
                "Records created in the last few hours do not appear in search. Opening them by link works. "
                "Our agents rely on search to find customer records during calls."
            ),
            details=(
                "It started on {date}.",
                "Older records are found without problems.",
            ),
            steps=(
                "Checked the indexing queue for the tenant: lag of 5 hours",
                "Found a stuck indexing worker retrying a single oversized document",
            ),
            logs=(
                "indexing lag tenant={tenant} lag_s=18240",
                "document d_{hex8} rejected: exceeds maximum size; retrying",
            ),
            hypotheses=("One oversized document blocks the indexing queue.",),
            root_cause="An oversized document was retried forever and blocked the tenant's indexing queue.",
            resolution=(
                "We moved the oversized document to a dead-letter queue and the index caught up. "
                "Oversized documents are now truncated for indexing instead of blocking the queue."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Outage on {date}: need root cause analysis",
                "Request for RCA after downtime on {date}",
            ),
            problem=(
                "On {date} our users could not access the platform for about {duration}. Our management "
                "requires a written root cause analysis and the measures taken to prevent a repeat."
            ),
            details=(
                "Users saw {http} errors.",
                "Our contract requires an RCA within 10 business days.",
                "Please include the timeline of the incident.",
            ),
            steps=(
                "Collected the incident timeline for INC-{num4} from the status page and on-call notes",
                "Confirmed the customer's tenant was in the affected cell",
                "Requested the engineering post-mortem draft",
            ),
            logs=(
                "cell eu-{num2} health check failed: 503 from 12/12 instances",
                "failover completed for cell eu-{num2} after {duration}",
            ),
            hypotheses=("The customer was affected by the cell failover incident INC-{num4}.",),
            root_cause=(
                "A configuration push with an invalid TLS certificate bundle took a cell offline "
                "until it was "
                "rolled back."
            ),
            resolution=(
                "The RCA for INC-{num4} is attached. Configuration pushes are now validated in a canary cell "
                "before reaching production cells."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "File uploads fail for large attachments",
                "Uploads above 20 MB fail with {http}",
            ),
            problem=(
                "Uploading files larger than about 20 MB fails with {http}. Smaller files upload fine. "
                "Our engineers need to attach large log bundles and drawings."
            ),
            details=(
                "We upload from {browser} on {os}.",
                "Our office traffic goes through a corporate proxy.",
            ),
            steps=(
                "Tested a 50 MB upload from our network: works",
                "Asked the customer to test outside the corporate proxy: works",
                "Reviewed the proxy response headers from the HAR: request body limit of 20 MB",
            ),
            logs=("upload aborted by client after 20971520 bytes (connection reset)",),
            hypotheses=("The customer's proxy limits request bodies to 20 MB.",),
            root_cause="The customer's corporate proxy limited request bodies to 20 MB.",
            resolution=(
                "Your network team raised the proxy limit for our upload domain. We also enabled chunked "
                "uploads for your account, which stay under such limits."
            ),
            cause_kind=RootCauseKind.CUSTOMER_ENVIRONMENT,
        ),
    ),
)
