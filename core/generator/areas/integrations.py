"""Integrations: CRM, ERP, chat and accounting connectors."""

from __future__ import annotations

from core.generator.catalog import AreaProfile, RootCauseKind, Scenario

INTEGRATIONS = AreaProfile(
    key="integrations",
    name="Integrations",
    short="Integrations",
    error_prefix="INT-",
    logger=("integrations.sync", "integrations.oauth", "connector.crm", "connector.erp"),
    scenarios=(
        Scenario(
            subjects=(
                "{crm} sync stopped with {err}",
                "{crm} integration disconnected: token expired",
            ),
            problem=(
                "Our {crm} integration stopped syncing on {date}. The integrations page shows "
                '"{err}: authorization expired" and reconnecting fails with the same message.'
            ),
            details=(
                "The integration was set up by a colleague who has since left.",
                "We use a dedicated integration user in {crm}.",
                "Open deals are no longer updated, which affects our forecast.",
            ),
            steps=(
                "Checked the OAuth grant: refresh token revoked by {crm} on {date}",
                "Tried reconnecting with a test user: consent screen blocked by the admin policy",
                "Reviewed the connected app policy: admin approval required for new grants",
            ),
            logs=(
                "token refresh failed for connection c_{hex8}: invalid_grant (expired access/refresh token)",
                "sync paused for connection c_{hex8}: {err}",
            ),
            hypotheses=("The refresh token was revoked when the user who authorised it was deactivated.",),
            root_cause=(
                "The OAuth grant belonged to a deactivated user, so {crm} revoked its refresh token."
            ),
            resolution=(
                "After your {crm} admin approved the connected app for the integration user, we "
                "reconnected it and back-filled the changes since {date}."
            ),
            cause_kind=RootCauseKind.CONFIGURATION,
        ),
        Scenario(
            subjects=(
                "Field mapping to {crm} overwrites values",
                "Records in {crm} get overwritten with empty values",
            ),
            problem=(
                "Every night the sync with {crm} overwrites the phone numbers in our records with "
                "empty values. We only want data to flow from {crm} to you, not back."
            ),
            details=(
                "This affects about {count} records per night.",
                "We changed the field mapping on {date}.",
            ),
            steps=(
                "Checked the mapping: phone field set to bidirectional after the mapping editor change",
                "Replayed the last sync in dry-run: 214 outbound updates with empty phone",
            ),
            logs=(
                "outbound update {crm}:{hex8} fields=[phone] value=''",
                "mapping m_{hex8} direction=both (changed {date})",
            ),
            hypotheses=("The mapping editor saved the phone field as bidirectional.",),
            root_cause=(
                "The field-mapping editor saved the phone field as bidirectional, so empty local values were "
                "pushed to {crm}."
            ),
            resolution=(
                "We set the mapping back to inbound only and restored the overwritten values from the sync "
                "history. The editor bug that flipped the direction is fixed."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Slack notifications arrive twice",
                "Duplicate messages in our Slack channel #{slack_channel}",
            ),
            problem=(
                "Every notification we send to our Slack channel arrives twice, a few seconds apart. "
                "The team is getting annoyed and starting to mute the channel."
            ),
            details=(
                "We have one workspace connection.",
                "It started after we reinstalled the app on {date}.",
            ),
            steps=(
                "Listed installations for the tenant: two active installations for the same workspace",
                "Removed the stale installation in staging: single delivery",
            ),
            logs=("dispatch notification n_{hex8} to 2 installations (same team id)",),
            hypotheses=("The reinstall created a second installation while the old one stayed active.",),
            root_cause="Reinstalling the app left the previous installation active alongside the new one.",
            resolution=(
                "We removed the stale installation; each notification is now posted once. Reinstalls now "
                "replace the old installation automatically."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "{erp} export rejects invoices with {err}",
                "Invoices not transferred to {erp}",
            ),
            problem=(
                "Invoices are no longer transferred to {erp}. The integration log shows "
                '"{err}: tax code not found" for every invoice since {date}.'
            ),
            details=(
                "Our accountant changed the tax codes in {erp} at the start of the quarter.",
                "We have {count} invoices waiting.",
            ),
            steps=(
                "Compared the tax code mapping with the customer's {erp} tax codes: 3 codes renamed",
                "Updated the mapping in a test connection: invoice accepted",
            ),
            logs=("push invoice {invoice} to {erp} failed: {err} tax code 'UST19' not found",),
            hypotheses=("The tax code mapping still refers to codes renamed in {erp}.",),
            root_cause="The tax code mapping referred to codes that had been renamed in {erp}.",
            resolution=(
                "After updating the tax code mapping, all {count} waiting invoices were transferred. The "
                "integration now reports unmapped codes on the settings page."
            ),
            cause_kind=RootCauseKind.CONFIGURATION,
        ),
        Scenario(
            subjects=(
                "{crm} sync very slow",
                "Sync with {crm} takes hours instead of minutes",
            ),
            problem=(
                "The sync with {crm} used to take a few minutes; now a full cycle takes more than "
                "{duration} and changes show up late for our sales reps."
            ),
            details=(
                "We have around {rows} records in {crm}.",
                "The sync log shows a lot of retries.",
            ),
            steps=(
                "Checked the API usage: {crm} daily API limit at 98% by noon",
                "Found another tool of the customer consuming most of the shared API quota",
            ),
            logs=(
                "{crm} API returned REQUEST_LIMIT_EXCEEDED; backing off 300s",
                "sync cycle finished in 4h12m (records={rows})",
            ),
            hypotheses=("The customer's {crm} API quota is used up by another integration.",),
            root_cause=(
                "Another integration in the customer's {crm} org consumed most of the shared daily API quota."
            ),
            resolution=(
                "We switched your connection to the bulk API, which uses a fraction of the quota, and "
                "shared the usage report so your admin can review the other tool."
            ),
            cause_kind=RootCauseKind.THIRD_PARTY,
        ),
    ),
)
