"""Mobile App: iOS and Android crashes, push notifications, offline sync, device management."""

from __future__ import annotations

from core.generator.catalog import AreaProfile, RootCauseKind, Scenario

MOBILE = AreaProfile(
    key="mobile",
    name="Mobile App",
    short="Mobile",
    error_prefix="MOB-",
    logger=("mobile.ios", "mobile.android", "push.apns", "mobile.sync"),
    scenarios=(
        Scenario(
            subjects=(
                "App crashes on launch after update to {app_version}",
                "Mobile app {app_version} crashes on {device}",
            ),
            problem=(
                "Since the update to {app_version} the app closes immediately after the splash screen on "
                "{device}. Reinstalling did not help."
            ),
            details=(
                "About {count} of our field technicians are affected.",
                "Devices are managed with our MDM and use a per-app VPN.",
                "The previous version worked fine.",
            ),
            steps=(
                "Symbolicated the crash report: crash in certificate pinning on startup",
                "Reproduced on a test device with the customer's MDM profile: crash",
                "Tested the same build without the per-app VPN: launches normally",
            ),
            logs=(
                "Fatal exception: SSLPeerUnverifiedException in PinningTrustManager",
                "App {app_version} start: pin set v3 loaded, 0 matching certificates",
            ),
            hypotheses=("The VPN's TLS inspection presents a certificate the new pin set rejects.",),
            root_cause=(
                "The new pin set in {app_version} rejected the certificate of the customer's TLS-inspecting "
                "VPN, and the failure was not handled."
            ),
            resolution=(
                "Version {app_version_next} handles pinning failures with a clear message, and your MDM can "
                "now supply a custom trust anchor. Please roll out the update."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Push notifications not delivered on iOS",
                "No push notifications since {date}",
            ),
            problem=(
                "Our users on iPhone stopped getting push notifications on {date}. Android devices still "
                "receive them. Notifications are enabled in iOS settings."
            ),
            details=(
                "We use the white-labelled app published under our own Apple account.",
                "Affected devices run iOS 17.",
                "Users rely on notifications for urgent dispatches.",
            ),
            steps=(
                "Checked APNs feedback: every send rejected with InvalidProviderToken",
                "Verified the customer's uploaded APNs key: key id revoked in their Apple account",
            ),
            logs=(
                "APNs send failed: 403 InvalidProviderToken topic=com.{tenant}.field",
                "push batch finished: sent=0 failed={count}",
            ),
            hypotheses=("The APNs auth key of the white-label app was revoked.",),
            root_cause="The APNs authentication key used for the white-label app had been revoked.",
            resolution=(
                "After you uploaded a new APNs key under Mobile → Push settings, deliveries resumed. The "
                "settings page now warns when Apple rejects the key."
            ),
            cause_kind=RootCauseKind.CONFIGURATION,
        ),
        Scenario(
            subjects=(
                "Offline changes lost after sync",
                "Data entered offline disappears when the app reconnects",
            ),
            problem=(
                "Technicians who fill in forms without signal lose their entries when the phone reconnects. "
                "The form shows as synced but the data on the web is empty."
            ),
            details=(
                "Seen on {device} with app {app_version}.",
                "It happens when the form was also opened on the web in the meantime.",
                "We lost work orders from at least {count} visits.",
            ),
            steps=(
                "Reproduced: offline edit + web edit of another field → mobile edit dropped",
                "Checked the sync merge: last-writer-wins on the whole record instead of per field",
            ),
            logs=(
                "sync conflict on record r_{hex8}: remote newer, local changes discarded",
                "merge policy=record_lww fields_changed_local=7 fields_changed_remote=1",
            ),
            hypotheses=("Sync merges whole records, so a newer web edit overwrites offline field changes.",),
            root_cause=(
                "Offline sync resolved conflicts per record instead of per field, discarding offline edits "
                "when the record changed on the web."
            ),
            resolution=(
                "Version {app_version_next} merges changes per field and keeps both values when the same "
                "field changed. We recovered the lost entries from the device logs you sent."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Cannot log in to the mobile app with SSO",
                "Mobile SSO login shows a blank page on {device}",
            ),
            problem=(
                'When our users tap "Sign in with SSO" in the app, they get a blank white page on {device}. '
                "SSO works in the browser on the same phone."
            ),
            details=(
                "Our identity provider is {idp}.",
                "The phones are company-owned and managed.",
                "App version {app_version}.",
            ),
            steps=(
                "Checked the MDM configuration: in-app browser restricted to an allow-list",
                "Added the IdP domain to the test device's allow-list: login works",
            ),
            logs=("WebView navigation blocked by policy: https://login.{idp_domain}/",),
            hypotheses=("The MDM browser allow-list blocks the identity provider's domain.",),
            root_cause=(
                "The customer's MDM policy blocked the identity provider's domain in the in-app browser."
            ),
            resolution=(
                "Adding your identity provider's domain to the MDM allow-list fixes the blank page. Our "
                "MDM deployment guide now lists the domains required for SSO."
            ),
            cause_kind=RootCauseKind.CUSTOMER_ENVIRONMENT,
        ),
        Scenario(
            subjects=(
                "Battery drain with the app in the background",
                "App uses {pct} battery overnight on {device}",
            ),
            problem=(
                "Since {app_version} the app uses {pct} of the battery overnight even when nobody opens it. "
                "Our drivers' phones are empty by noon."
            ),
            details=(
                "Location tracking is enabled only during shifts.",
                "The battery settings show the app active in the background for hours.",
            ),
            steps=(
                "Profiled a test device overnight: background sync retries every 15 seconds on network error",
                "Checked backoff settings in {app_version}: exponential backoff disabled by a config flag",
            ),
            logs=("background sync failed (offline); retry in 15s (attempt 1432)",),
            hypotheses=("Background sync retries without backoff while the phone is offline.",),
            root_cause="A configuration flag disabled exponential backoff for background sync retries.",
            resolution=(
                "We re-enabled exponential backoff through remote configuration; battery use is back to "
                "normal without an app update."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
    ),
)
