"""What the bonuses service shows of an account besides its ledger."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_kit.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Expiration:
    """The bonuses that burn next: the open lots sharing the earliest expiry."""

    amount: Decimal
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Quote:
    """What the till may offer before a sale of `total`."""

    balance: Decimal
    max_redeemable: Decimal
    accrual_if_no_redeem: Decimal

    @classmethod
    def of(
        cls,
        program: LoyaltyProgram,
        balance: Decimal,
        spendable: Decimal,
        total: Decimal,
        tier_id: uuid.UUID | None = None,
    ) -> "Quote":
        """`spendable` is the balance less what reservations hold and what is pending: all
        a sale may take; the accrual is at the percent of the customer's tier."""
        if total < 0:
            raise InvalidInput("total", "must be zero or more")
        return cls(
            balance=balance,
            max_redeemable=min(spendable, program.redeemable_of(total)),
            accrual_if_no_redeem=program.accrual_for(total, tier_id),
        )
