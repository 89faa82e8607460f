"""Rounding of bonus amounts: every amount is whole cents, and the rule says which way."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from clientcard_contracts.money import CENT

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """A percent of an amount, rounded down: a customer is never owed a fraction of a cent."""
    return (amount * percent / HUNDRED).quantize(CENT, rounding=ROUND_DOWN)


def share_of(amount: Decimal, share: Decimal) -> Decimal:
    """A share of an amount to the nearest cent (a share of 1 gives the amount exactly)."""
    return (amount * share).quantize(CENT, rounding=ROUND_HALF_UP)
