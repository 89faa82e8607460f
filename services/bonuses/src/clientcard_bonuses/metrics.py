"""What the bonuses service counts besides what every service does."""

from prometheus_client import Counter

REDEMPTIONS_REFUSED = Counter(
    "clientcard_bonus_redemptions_refused_total",
    "Receipts whose bonuses to spend the ledger refused (the till was not charged them), "
    "by reason. A batch retried after a failure may count its receipts again.",
    ["reason"],
)
