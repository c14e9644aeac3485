"""API & Webhooks: REST API errors, rate limits, webhook delivery and signatures."""

from __future__ import annotations

from core.generator.catalog import AreaProfile, RootCauseKind, Scenario

API = AreaProfile(
    key="api",
    name="API & Webhooks",
    short="API",
    error_prefix="API_",
    logger=("api.gateway", "api.v2", "webhooks.dispatch", "api.ratelimit"),
    scenarios=(
        Scenario(
            subjects=(
                "Intermittent {http} from {endpoint}",
                "{endpoint} returns {http} for about {pct} of requests",
            ),
            problem=(
                "Since {date} roughly {pct} of our calls to {endpoint} fail with {http}. Our integration "
                "retries, but the failures cause gaps in our order sync every night."
            ),
            details=(
                "Example request id: {req_id}.",
                "We call the API from {region} with about {rpm} requests per minute.",
                "The errors cluster between 01:00 and 03:00 UTC.",
                "Nothing changed in our client code since version {version}.",
            ),
            steps=(
                "Looked up {req_id} in the gateway logs: upstream timed out after 30 s",
                "Checked upstream latency for {endpoint}: p99 rises to 28 s during the nightly batch window",
                "Reproduced with a page size of 500: slow; with 100: fast",
            ),
            logs=(
                "upstream timeout after 30000 ms on {endpoint} request_id={req_id}",
                "returned {http_code} to client key_{hex8} path={endpoint}",
                "slow query on orders list: 27841 ms rows=500",
            ),
            hypotheses=(
                "Large page sizes on {endpoint} run into the 30-second gateway timeout during the nightly "
                "batch window.",
            ),
            root_cause=(
                "Listing with large page sizes triggered an unindexed sort that exceeded the gateway "
                "timeout while nightly batch jobs were running."
            ),
            resolution=(
                "We added the missing index, so large pages of {endpoint} now return in under a second. "
                "We also recommend a page size of 100 with cursor pagination."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Webhooks stopped arriving",
                "No webhook deliveries to our endpoint since {date} ({webhook})",
            ),
            problem=(
                "Our endpoint has not received any webhook since {date}, although events are clearly "
                "happening in the account. The subscription {webhook} shows as active."
            ),
            details=(
                "Our endpoint is reachable; we tested it with curl from outside our network.",
                "We rotated our TLS certificate on {date}.",
                "We depend on these events to trigger invoicing on our side.",
            ),
            steps=(
                "Checked delivery attempts for {webhook}: TLS handshake failure on every attempt",
                "Ran an SSL check on the endpoint: intermediate certificate missing from the chain",
                "Replayed the last failed event after the customer fixed the chain: delivered (200)",
            ),
            logs=(
                "delivery failed for {webhook}: TLS handshake error (unable to get local issuer certificate)",
                "subscription {webhook} disabled after 500 consecutive failures",
            ),
            hypotheses=(
                "The new certificate on the customer's endpoint is served without its intermediate.",
            ),
            root_cause=(
                "The customer's new TLS certificate was served without the intermediate certificate, so "
                "every delivery failed the handshake and the subscription was auto-disabled."
            ),
            resolution=(
                "After the certificate chain was completed we re-enabled {webhook} and replayed all missed "
                "events from the last 7 days."
            ),
            cause_kind=RootCauseKind.CUSTOMER_ENVIRONMENT,
        ),
        Scenario(
            subjects=(
                "Webhook signature verification fails",
                "HMAC mismatch on webhooks since version {version}",
            ),
            problem=(
                "Since {date} our webhook handler rejects every delivery because the X-Signature header "
                "does not match the HMAC we compute with our signing secret."
            ),
            details=(
                "We compute HMAC-SHA256 over the raw body as documented.",
                "Deliveries with plain ASCII payloads still verify.",
                "Our handler runs on Node.js 20 behind an API gateway.",
            ),
            steps=(
                "Verified a captured payload with the secret: signature matches on the raw bytes",
                "Compared with the customer's code: body is parsed and re-serialised before hashing",
                "Checked release notes for {version}: payloads now keep non-ASCII characters unescaped",
            ),
            logs=(
                'webhook {webhook} delivered status=401 body="invalid signature"',
                "payload serialised with ensure_ascii=false (since {version})",
            ),
            hypotheses=(
                "The handler hashes a re-serialised body, which differs now that non-ASCII characters are "
                "no longer escaped.",
            ),
            root_cause=(
                "The customer's handler verified the signature over a re-serialised body; since {version} "
                "payloads keep non-ASCII characters unescaped, so the bytes differed."
            ),
            resolution=(
                "Verifying the signature over the raw request body fixes it. We updated the documentation "
                "with a Node.js example and flagged the change more clearly in the changelog."
            ),
            cause_kind=RootCauseKind.CUSTOMER_ENVIRONMENT,
        ),
        Scenario(
            subjects=(
                "Hitting 429 rate limits far below our plan's quota",
                "API rate limit ({err}) after plan upgrade",
            ),
            problem=(
                "We get HTTP 429 Too Many Requests at about {rpm} requests per minute, but our plan "
                "includes 2,000 per minute. The Retry-After header says 60 seconds."
            ),
            details=(
                "We upgraded to {plan} on {date}.",
                "We use one API key for all our services.",
                "This blocks our data migration project.",
            ),
            steps=(
                "Checked the key's rate-limit bucket: still on the old plan's limit",
                "Looked at the plan change event: limits cache not invalidated",
            ),
            logs=(
                "rate limit exceeded for key_{hex8}: limit=600/min plan={plan}",
                "returned 429 retry_after=60 path={endpoint}",
            ),
            hypotheses=("The rate-limit cache still holds the limit of the old plan.",),
            root_cause=(
                "A plan upgrade did not invalidate the cached rate-limit configuration of existing API keys."
            ),
            resolution=(
                "We refreshed the limits for your keys; the new quota is active. The cache is now cleared "
                "automatically on plan changes."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Pagination skips records on {endpoint}",
                "Missing records when paging through {endpoint}",
            ),
            problem=(
                "When we page through {endpoint} with offset pagination, some records never show up. "
                "Our last full sync returned {rows} records, but the account has more."
            ),
            details=(
                "Records are created continuously while we sync.",
                "We sort by updated_at ascending.",
                "Request id of one page: {req_id}.",
            ),
            steps=(
                "Reproduced: records inserted during the sync shift offsets and cause skips",
                "Tested cursor pagination with the same filter: complete result",
            ),
            logs=("list {endpoint} offset=4800 limit=200 total_changed_during_scan=37",),
            hypotheses=("Offset pagination over a changing result set skips rows.",),
            root_cause=(
                "Offset pagination over a list that changes during the scan skips records; cursor "
                "pagination is required for complete syncs."
            ),
            resolution=(
                "Switching to cursor pagination (the next_cursor field) returns every record exactly once. "
                "We shared a code example for your client."
            ),
            cause_kind=RootCauseKind.CONFIGURATION,
        ),
    ),
)
