"""The survivor's purchase figures after a merge count both cards' receipts."""

from datetime import UTC, datetime
from decimal import Decimal

from clientcard_receipts.domain.merging import merged_stats
from clientcard_receipts.domain.stats import NO_PURCHASES, PurchaseStats

MAY, JUNE, JULY = (datetime(2026, month, 1, tzinfo=UTC) for month in (5, 6, 7))


def test_both_cards_receipts_are_summed_with_the_first_and_last_purchase_of_either() -> None:
    survivor = PurchaseStats(3, 2, 1, Decimal("700.00"), JUNE, JULY)
    duplicate = PurchaseStats(2, 2, 0, Decimal("500.00"), MAY, JUNE)
    merged = merged_stats(survivor, duplicate)
    assert merged == PurchaseStats(5, 4, 1, Decimal("1200.00"), MAY, JULY)
    assert merged.average_check == Decimal("300.00")


def test_a_duplicate_without_receipts_changes_nothing() -> None:
    survivor = PurchaseStats(3, 2, 1, Decimal("700.00"), JUNE, JULY)
    assert merged_stats(survivor, NO_PURCHASES) == survivor
    assert merged_stats(NO_PURCHASES, survivor) == survivor
