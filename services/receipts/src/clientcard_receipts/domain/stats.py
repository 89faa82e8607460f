"""A customer's purchase figures: what one receipt adds, and the average check."""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from clientcard_contracts.enums import ReceiptType
from clientcard_receipts.domain.records import Receipt

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class StatsChange:
    """What one receipt adds to its customer's figures."""

    purchases: int
    returns: int
    revenue: Decimal
    purchased_at: datetime | None

    @classmethod
    def of(cls, receipt: Receipt) -> "StatsChange":
        if receipt.type is ReceiptType.SALE:
            return cls(1, 0, receipt.total, receipt.purchased_at)
        # A return gives money back: revenue falls, and it is a return, not a purchase.
        return cls(0, 1, -receipt.total, None)


@dataclass(frozen=True, slots=True)
class PurchaseStats:
    version: int
    purchases: int
    returns: int
    revenue: Decimal
    first_purchase_at: datetime | None
    last_purchase_at: datetime | None

    def after(self, change: StatsChange) -> "PurchaseStats":
        """The figures once one more receipt is counted: one version more."""
        return PurchaseStats(
            version=self.version + 1,
            purchases=self.purchases + change.purchases,
            returns=self.returns + change.returns,
            revenue=self.revenue + change.revenue,
            first_purchase_at=earliest(self.first_purchase_at, change.purchased_at),
            last_purchase_at=latest(self.last_purchase_at, change.purchased_at),
        )

    @property
    def average_check(self) -> Decimal:
        """Revenue per purchase; 0 when there is no purchase."""
        if self.purchases == 0:
            return Decimal("0.00")
        return (self.revenue / self.purchases).quantize(CENT, rounding=ROUND_HALF_UP)


NO_PURCHASES = PurchaseStats(0, 0, 0, Decimal("0.00"), None, None)


def earliest(held: datetime | None, new: datetime | None) -> datetime | None:
    return min(held, new) if held and new else held or new


def latest(held: datetime | None, new: datetime | None) -> datetime | None:
    return max(held, new) if held and new else held or new
