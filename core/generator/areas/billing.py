"""Billing & Invoicing: invoices, payments, plan changes, tax and credits."""

from __future__ import annotations

from core.generator.catalog import AreaProfile, RootCauseKind, Scenario

BILLING = AreaProfile(
    key="billing",
    name="Billing & Invoicing",
    short="Billing",
    error_prefix="BIL-",
    logger=("billing.invoice", "billing.payments", "billing.proration", "billing.tax"),
    scenarios=(
        Scenario(
            subjects=(
                "Charged twice for invoice {invoice}",
                "Duplicate charge of {amount} on our card ({card})",
            ),
            problem=(
                "Our finance team noticed that invoice {invoice} for {amount} was charged twice to {card} "
                "on {date}. We only have one active subscription, so the second charge looks wrong."
            ),
            details=(
                "Both charges show the same amount and the same invoice number on the bank statement.",
                "The billing page in the admin console shows the invoice as paid only once.",
                "Our accounts payable system flagged it during the month-end reconciliation.",
                "We need the refund before our quarter closes on the 30th.",
            ),
            steps=(
                "Checked the payment gateway log for {invoice}: two captures 41 seconds apart, same "
                "idempotency "
                "key missing on the retry",
                "Compared the ledger with the gateway: only one capture recorded on our side",
                "Confirmed the card was not charged a third time on the next billing run",
            ),
            logs=(
                "Payment capture succeeded for {invoice} amount={amount} gateway_ref=ch_{hex8}",
                "Retrying capture after gateway timeout (attempt 2/3) for {invoice}",
                "Idempotency key absent on retry for {invoice}; treating as new capture",
            ),
            hypotheses=(
                "The retry after the gateway timeout was sent without the idempotency key, so the "
                "gateway captured twice.",
            ),
            root_cause=(
                "Payment retries after a gateway timeout were sent without the original idempotency key, "
                "which made the gateway capture the same invoice twice."
            ),
            resolution=(
                "We refunded the duplicate charge of {amount}; it will appear on the statement within 5–10 "
                "business days. A fix that keeps the idempotency key on retries has been deployed."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "Proration on upgrade to {plan} looks wrong",
                "Invoice {invoice} bills the full year after mid-term upgrade",
            ),
            problem=(
                "We upgraded to {plan} on {date} and expected a prorated invoice. Instead invoice {invoice} "
                "charges {amount}, which is the full annual price, and gives no credit for the unused part "
                "of the old plan."
            ),
            details=(
                "We added {user_count} seats at the same time as the upgrade.",
                "Our contract says upgrades are prorated to the day.",
                "The quote we received from our account manager was considerably lower.",
            ),
            steps=(
                "Recalculated proration by hand: credit for unused days is missing from {invoice}",
                "Checked subscription history: plan change and seat change applied as two separate events",
                "Reproduced in billing sandbox: combined seat + plan change skips the credit line",
            ),
            logs=(
                "Proration computed for subscription sub_{hex8}: credit=0.00 charge={amount}",
                "Seat change applied before plan change; proration window reset",
            ),
            hypotheses=(
                "Applying the seat change before the plan change resets the proration window, "
                "so the credit is computed over zero days.",
            ),
            root_cause=(
                "When seats and plan change in the same request, the seat change reset the proration "
                "window and the unused-time credit was computed over zero days."
            ),
            resolution=(
                "We voided {invoice} and issued a corrected invoice with the prorated credit applied. "
                "The corrected amount is visible under Billing → Invoices."
            ),
            cause_kind=RootCauseKind.PRODUCT_DEFECT,
        ),
        Scenario(
            subjects=(
                "VAT missing on invoices since {date}",
                "Reverse charge not applied for our EU entity",
            ),
            problem=(
                "Our invoices since {date} no longer show the VAT line, and the reverse-charge note "
                "that our auditors require is missing. Our VAT ID is on file in the billing settings."
            ),
            details=(
                "The last correct invoice was {invoice}.",
                "Our billing address is in Germany, the VAT ID starts with DE.",
                "Our auditors need corrected invoices before the end of the month.",
            ),
            steps=(
                "Validated the VAT ID against VIES: valid",
                "Checked the tax profile: VAT ID stored with a trailing space, validation skipped",
                "Re-ran the tax calculation for the last invoice in preview: reverse charge applied "
                "after trimming",
            ),
            logs=(
                "Tax profile validation skipped for account {account}: vat_id format invalid",
                "Tax calculated: jurisdiction=DE rate=0.00 reverse_charge=false",
            ),
            hypotheses=("The VAT ID was saved with whitespace and fails the format check silently.",),
            root_cause=(
                "The VAT ID was stored with a trailing space after an import, so it failed format "
                "validation and reverse charge was not applied."
            ),
            resolution=(
                "We corrected the VAT ID on your account and reissued the affected invoices with the "
                "reverse-charge note. Future invoices will include it automatically."
            ),
            cause_kind=RootCauseKind.DATA,
        ),
        Scenario(
            subjects=(
                "Card payment declined with {err} but the bank says it is fine",
                "Cannot update payment method: {err}",
            ),
            problem=(
                'Our renewal payment fails with "{err}: payment could not be authorised". The bank '
                "confirms there is no block on the card and no authorisation attempt reached them."
            ),
            details=(
                "We tried two different corporate cards ({card} and another Visa).",
                "The error appears both in {browser} and in the mobile app.",
                "Our subscription will be suspended on {date} if the payment does not go through.",
            ),
            steps=(
                "Checked the gateway dashboard: no authorisation attempt from this account since {date}",
                "Tried a test authorisation from the admin tools: rejected by 3-D Secure pre-check",
                "Asked the customer for the browser console output of the payment page",
            ),
            logs=(
                "3DS challenge aborted: iframe blocked by content security policy",
                "Payment method update failed for {account}: {err}",
            ),
            hypotheses=(
                "The customer's proxy strips the 3-D Secure iframe, so the authorisation never starts.",
            ),
            root_cause=(
                "The customer's web proxy blocked the 3-D Secure challenge frame, so the authorisation "
                "was never sent to the bank."
            ),
            resolution=(
                "Allowing the payment provider's domain on your proxy lets the 3-D Secure challenge load. "
                "We extended your grace period by 14 days while your IT team made the change."
            ),
            cause_kind=RootCauseKind.CUSTOMER_ENVIRONMENT,
        ),
        Scenario(
            subjects=(
                "Request for service credit after the outage on {date}",
                "SLA credit for downtime on {date}",
            ),
            problem=(
                "The platform was unavailable for our team for about {duration} on {date}. Under our "
                "enterprise agreement we are entitled to a service credit and would like it applied to "
                "the next invoice."
            ),
            details=(
                "Our users saw {http} errors during the whole period.",
                "Our contract number and the status page incident are referenced below.",
                "Please confirm the credit amount in writing for our procurement team.",
            ),
            steps=(
                "Matched the reported window with incident INC-{num4} on the status page: overlap confirmed",
                "Computed the credit per contract schedule: 10% of the monthly fee",
                "Prepared the credit request for approval by the billing lead",
            ),
            logs=(
                "Availability for tenant {tenant} on {date}: 97.8% (target 99.9%)",
                "Credit note draft created: amount={amount} reason=sla_breach",
            ),
            hypotheses=("The outage window qualifies for a credit under the 99.9% availability clause.",),
            root_cause=(
                "A regional outage during a database failover breached the contractual availability target."
            ),
            resolution=(
                "A service credit of {amount} has been approved and will be applied to your next invoice. "
                "The incident report is attached for your records."
            ),
            cause_kind=RootCauseKind.THIRD_PARTY,
        ),
    ),
)
