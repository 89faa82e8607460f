"""Loyalty tiers: named levels by what a customer paid over the last 365 days.

Each tier has the spend from which it starts and its own accrual percent; a customer is
in the highest tier whose `min_spend` their spend reaches (in none below the lowest, and
then the program's flat percent applies). The spend counts the money paid by sales
purchased inside the window, less what returns gave back of them, so a return lowers the
spend of the window its sale is in. When the oldest of those sales leaves the window the
spend falls: `review_at` says when, and a job counts the spend again then.

The tier is kept with the account's totals (`tier_id`) with `tier_version`, one more at
each change, which the tier's events carry so consumers keep the latest.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from clientcard_bonuses.domain.account import Totals
from clientcard_bonuses.domain.money import HUNDRED, ZERO
from clientcard_kit.errors import InvalidInput

WINDOW = timedelta(days=365)
MAX_TIERS = 20
MAX_NAME = 100


@dataclass(frozen=True, slots=True)
class Tier:
    id: uuid.UUID
    name: str
    min_spend: Decimal
    accrual_percent: Decimal


@dataclass(frozen=True, slots=True)
class TierInput:
    name: str
    min_spend: Decimal
    accrual_percent: Decimal


def tier_for(tiers: Sequence[Tier], spend: Decimal) -> Tier | None:
    """The highest tier the spend reaches; None below the lowest (or without tiers)."""
    reached = [tier for tier in tiers if spend >= tier.min_spend]
    return max(reached, key=lambda tier: tier.min_spend, default=None)


def spend_to_next_tier(tiers: Sequence[Tier], spend: Decimal) -> Decimal | None:
    """How much more spend reaches the next tier; None at the top or without tiers."""
    above = [tier.min_spend for tier in tiers if tier.min_spend > spend]
    return min(above) - spend if above else None


def in_window(purchased_at: datetime, now: datetime) -> bool:
    return purchased_at > now - WINDOW


def counted(totals: Totals, paid: Decimal, purchased_at: datetime, now: datetime) -> Totals:
    """The totals with a sale's money (a return's: below zero) added to the spend.

    Money of a sale already out of the window changes nothing; a sale inside it may be
    the first to leave it.
    """
    if not in_window(purchased_at, now):
        return totals
    review_at = totals.spend_review_at
    if paid > 0:
        leaves_at = purchased_at + WINDOW
        review_at = leaves_at if review_at is None else min(review_at, leaves_at)
    return replace(totals, spend=max(totals.spend + paid, ZERO), spend_review_at=review_at)


def placed(totals: Totals, tiers: Sequence[Tier]) -> Totals:
    """The totals in the tier their spend reaches; a change counts one more version."""
    tier = tier_for(tiers, totals.spend)
    tier_id = tier.id if tier else None
    if tier_id == totals.tier_id:
        return totals
    return replace(totals, tier_id=tier_id, tier_version=totals.tier_version + 1)


def tiers_from(given: Sequence[TierInput], known: Sequence[Tier]) -> tuple[Tier, ...]:
    """The tiers an owner set, lowest first; a tier keeps its id while it keeps its name,
    so customers filtered by a tier stay in it when only its figures change."""
    if len(given) > MAX_TIERS:
        raise InvalidInput("input.tiers", f"at most {MAX_TIERS} tiers")
    ids = {tier.name: tier.id for tier in known}
    tiers = [_checked(i, tier, ids.get(tier.name.strip())) for i, tier in enumerate(given)]
    if len({tier.name for tier in tiers}) < len(tiers):
        raise InvalidInput("input.tiers", "each tier needs a name of its own")
    if len({tier.min_spend for tier in tiers}) < len(tiers):
        raise InvalidInput("input.tiers", "each tier needs a minSpend of its own")
    return tuple(sorted(tiers, key=lambda tier: tier.min_spend))


def _checked(index: int, given: TierInput, known_id: uuid.UUID | None) -> Tier:
    field = f"input.tiers.{index}"
    name = given.name.strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise InvalidInput(f"{field}.name", f"must have 1 to {MAX_NAME} characters")
    if given.min_spend < 0:
        raise InvalidInput(f"{field}.minSpend", "must be zero or more")
    if not ZERO <= given.accrual_percent <= HUNDRED:
        raise InvalidInput(f"{field}.accrualPercent", "must be between 0 and 100")
    return Tier(known_id or uuid.uuid4(), name, given.min_spend, given.accrual_percent)


def recounted(totals: Totals, spend: Decimal | None, oldest: datetime | None) -> Totals:
    """The totals with the spend counted again from the sales in the window (`oldest` the
    first of them to leave it; None for both when none is left)."""
    review_at = oldest + WINDOW if oldest is not None else None
    return replace(totals, spend=max(spend or ZERO, ZERO), spend_review_at=review_at)
