"""Signals of account value: a high commercial tier, a large ARR, a renewal coming up."""

from __future__ import annotations

from collections.abc import Sequence

from core.intelligence.signals.base import Signal, SignalInputs


def _money(amount: float) -> str:
    return f"{amount:,.0f}"


def evaluate(inputs: SignalInputs) -> Sequence[Signal]:
    """The account's tier, ARR and renewal date compared with the configured thresholds."""
    criteria = inputs.config.escalation.account_value
    header = inputs.case.header
    if not header.customer_name:
        return [
            Signal(key, label, weight, False, "The case has no customer account.")
            for key, label, weight in (
                ("account.tier", "High-value tier", criteria.tier_weight),
                ("account.arr", "Large ARR", criteria.arr_weight),
                ("account.renewal", "Renewal soon", criteria.renewal_weight),
            )
        ]
    tier = header.customer_tier or "no tier"
    high_tier = header.customer_tier.lower() in {value.lower() for value in criteria.high_value_tiers}
    arr = header.arr_cents / 100
    return [
        Signal(
            "account.tier",
            "High-value tier",
            criteria.tier_weight,
            high_tier,
            f"{header.customer_name} is {tier} ("
            f"{'one of' if high_tier else 'not one of'} {', '.join(criteria.high_value_tiers)}).",
        ),
        Signal(
            "account.arr",
            "Large ARR",
            criteria.arr_weight,
            arr >= criteria.arr_threshold,
            f"ARR {_money(arr)} (counts from {_money(criteria.arr_threshold)}).",
        ),
        _renewal_signal(inputs),
    ]


def _renewal_signal(inputs: SignalInputs) -> Signal:
    criteria = inputs.config.escalation.account_value
    renewal = inputs.case.header.renewal_date
    if renewal is None:
        return Signal(
            "account.renewal", "Renewal soon", criteria.renewal_weight, False, "No renewal date known."
        )
    days = (renewal - inputs.now.date()).days
    fired = 0 <= days <= criteria.renewal_window_days
    when = f"in {days} day{'s' if days != 1 else ''}" if days >= 0 else f"{-days} days ago"
    return Signal(
        "account.renewal",
        "Renewal soon",
        criteria.renewal_weight,
        fired,
        f"Renewal on {renewal.isoformat()}, {when} (counts within {criteria.renewal_window_days} days).",
    )
