"""A merge of two customers' purchase figures: the survivor's receipts are now both
cards' receipts, so its figures are the sums (first and last purchase across both)."""

from clientcard_receipts.domain.stats import PurchaseStats, earliest, latest


def merged_stats(survivor: PurchaseStats, duplicate: PurchaseStats) -> PurchaseStats:
    """The survivor's figures with the duplicate's counted in. The version adds the
    duplicate's (at least one per receipt), so it is above any the survivor published."""
    return PurchaseStats(
        version=survivor.version + duplicate.version,
        purchases=survivor.purchases + duplicate.purchases,
        returns=survivor.returns + duplicate.returns,
        revenue=survivor.revenue + duplicate.revenue,
        first_purchase_at=earliest(survivor.first_purchase_at, duplicate.first_purchase_at),
        last_purchase_at=latest(survivor.last_purchase_at, duplicate.last_purchase_at),
    )
