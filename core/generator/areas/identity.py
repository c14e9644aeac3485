"""SSO & Identity: SAML and OIDC sign-in, SCIM provisioning, MFA and sessions."""

from __future__ import annotations

from core.generator.catalog import AreaProfile, RootCauseKind, Scenario

IDENTITY = AreaProfile(
    key="sso",
    name="SSO & Identity",
    short="Identity",
    error_prefix="ERR_SSO_",
    logger=("sso.saml", "sso.oidc", "identity.scim", "auth.session"),
    scenarios=(
        Scenario(
            subjects=(
                "SSO login fails with {err} after {idp} certificate rotation",
                "Nobody can sign in through {idp} since {date}",
            ),
            problem=(
                "Since {date} none of our users can sign in through {idp}. The login page shows "
                '"{err}: SAML assertion rejected" and sends them back to the start page.'
            ),
            details=(
                "It affects roughly {user_count} users across all offices.",
                "Our identity team rotated the SAML signing certificate in {idp} on {date}.",
                "Local admin accounts without SSO can still log in.",
                "We tried {browser} and Edge, with and without private windows.",
            ),
            steps=(
                "Compared IdP metadata with our SP configuration: certificate fingerprint mismatch",
                "Cleared SSO session cache and re-tested: still fails",
                "Decoded the SAML response from the customer's HAR file: signed with the new certificate",
                "Uploaded the new certificate in a staging tenant: login works",
            ),
            logs=(
                "Signature validation failed for assertion from {idp} (tenant={tenant})",
                "SAML response rejected: {err} certificate not trusted",
                "Session cache miss for user u_{hex8}; redirecting to IdP",
            ),
            hypotheses=(
                "The new signing certificate was never uploaded on our side, so every assertion fails "
                "signature validation.",
            ),
            root_cause=(
                "The identity provider started signing with a new certificate that had not been added "
                "to the service provider configuration."
            ),
            resolution=(
                "We added the new signing certificate to your SSO configuration; sign-in works again. "
                "For the next rotation you can upload both certificates in advance under Security → SSO."
            ),
            cause_kind=RootCauseKind.CONFIGURATION,
        ),
        Scenario(
            subjects=(
                "SCIM provisioning stopped creating users",
                "New hires not provisioned from {idp} ({err})",
            ),
            problem=(
                "Users we assign to the app in {idp} are no longer created on your side. The provisioning "
                'log in {idp} shows "{http}" for every create request since {date}.'
            ),
            details=(
                "Updates and deactivations of existing users still go through.",
                "We have {user_count} users in the assigned group.",
                "We regenerated the SCIM token on {date}, with no change.",
            ),
            steps=(
                "Replayed a failing SCIM create from the IdP log against staging: 409 on userName",
                "Searched for the conflicting userName: a deactivated user with the same email exists",
                'Checked the SCIM filter query sent by {idp}: uses emails[type eq "work"] which we ignore',
            ),
            logs=(
                "SCIM POST /Users rejected: userName already exists (deactivated) tenant={tenant}",
                'SCIM filter attribute not supported: emails[type eq "work"].value',
                "Returned {http} to provisioning client ip=203.0.113.{num2}",
            ),
            hypotheses=(
                "Re-hired users collide with their own deactivated accounts because the lookup ignores "
                "the emails filter.",
            ),
            root_cause=(
                "The SCIM endpoint did not support the emails filter that the identity provider uses to "
                "find existing users, so re-hired users collided with their deactivated accounts."
            ),
            resolution=(
                "A fix for the SCIM emails filter is deployed; {idp} now matches existing users and "
                "reactivates them. Please retry provisioning for the affected users."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Users logged out every few minutes",
                "Session expires immediately after SSO login in {browser}",
            ),
            problem=(
                "Our users are signed out every 5–10 minutes and have to go through SSO again. It started "
                "after we updated to {browser} and happens mostly for people working in two tabs."
            ),
            details=(
                "The session timeout in our security settings is 12 hours.",
                "It happens on {os} and on macOS.",
                "Users in the Munich office are affected more than others.",
            ),
            steps=(
                "Reproduced with two tabs in {browser}: second tab's refresh rotates the session cookie",
                "Checked cookie attributes: SameSite=None without Partitioned on the embedded frame",
                "Disabled third-party cookie phase-out in the test browser: sessions stay valid",
            ),
            logs=(
                "Refresh token reuse detected for session s_{hex8}; revoking family",
                "Session revoked: reason=token_reuse user=u_{hex8}",
            ),
            hypotheses=(
                "Concurrent refreshes from two tabs trip the refresh-token reuse detection and "
                "revoke the session.",
            ),
            root_cause=(
                "Two tabs refreshed the session at the same moment; the second refresh was treated as token "
                "reuse and revoked the whole session family."
            ),
            resolution=(
                "We deployed a grace window for concurrent refreshes, so parallel tabs no longer revoke the "
                "session. No change is needed on your side."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "MFA codes rejected as invalid",
                "Authenticator codes fail with {err} for some users",
            ),
            problem=(
                'Several of our users get "{err}: invalid verification code" when they enter the code from '
                "their authenticator app. The codes are definitely current."
            ),
            details=(
                "About {count} users are affected, all on Windows laptops.",
                "Backup codes still work.",
                "It started after the daylight-saving change.",
            ),
            steps=(
                "Compared the server time with the customer's screenshot: laptop clock 94 seconds behind",
                "Checked the allowed TOTP drift window: ±1 step (30 s)",
                "Asked the customer to enable automatic time sync on one affected laptop: code accepted",
            ),
            logs=(
                "TOTP verification failed for u_{hex8}: drift outside window (-3 steps)",
                "MFA challenge failed: {err}",
            ),
            hypotheses=("The laptops' clocks drifted beyond the TOTP tolerance after the time change.",),
            root_cause=(
                "Clock drift on the customer's laptops exceeded the one-step tolerance of time-based codes."
            ),
            resolution=(
                "Enabling automatic time synchronisation on the laptops fixes the codes. We shared a group "
                "policy snippet your IT team can roll out."
            ),
            cause_kind=RootCauseKind.CUSTOMER_ENVIRONMENT,
        ),
        Scenario(
            subjects=(
                "OIDC login loop with {idp}",
                "Redirect loop after sign-in (error {err})",
            ),
            problem=(
                "After entering their credentials in {idp}, users are redirected back to the login "
                "page in an "
                "endless loop. The address bar flickers between our tenant and {idp}."
            ),
            details=(
                "We changed our custom domain to {tenant_url} on {date}.",
                "The loop happens in every browser.",
                "Users who go to the old address can still log in.",
            ),
            steps=(
                "Compared registered redirect URIs in {idp} with the new custom domain: old domain only",
                "Traced the callback: state cookie set on the old domain, not sent to the new one",
            ),
            logs=(
                "OIDC callback rejected: state mismatch (cookie missing) host={tenant_url}",
                "redirect_uri not registered for client_id {hex8}",
            ),
            hypotheses=("The custom domain change left the old redirect URI in the IdP registration.",),
            root_cause=(
                "The redirect URI registered at the identity provider still pointed to the previous domain "
                "after the custom-domain change."
            ),
            resolution=(
                "Registering {tenant_url}/auth/callback as redirect URI in {idp} resolves the loop. We also "
                "added a warning to the custom-domain settings page."
            ),
            cause_kind=RootCauseKind.CONFIGURATION,
        ),
    ),
)
