"""Purchase figures: what a sale and a return add, and the average check."""

from dataclasses import replace
from decimal import Decimal

from clientcard_contracts.enums import ReceiptType
from clientcard_receipts.domain.stats import NO_PURCHASES, PurchaseStats, StatsChange

from .test_rules import NOW, sale


def test_a_sale_is_a_purchase_and_a_return_takes_revenue_back() -> None:
    sold = sale("300.00")
    assert StatsChange.of(sold) == StatsChange(1, 0, Decimal("300.00"), NOW)
    returned = replace(sold, type=ReceiptType.RETURN, total=Decimal("100.00"))
    assert StatsChange.of(returned) == StatsChange(0, 1, Decimal("-100.00"), None)


def test_the_average_check_is_revenue_per_purchase_and_zero_without_purchases() -> None:
    assert NO_PURCHASES.average_check == Decimal("0.00")
    stats = PurchaseStats(3, 3, 1, Decimal("1000.00"), NOW, NOW)
    assert stats.average_check == Decimal("333.33")
    only_returns = PurchaseStats(1, 0, 1, Decimal("-50.00"), None, None)
    assert only_returns.average_check == Decimal("0.00")
