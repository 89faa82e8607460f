"""Tiers by the money paid over the last 365 days."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from clientcard_bonuses.domain import tiers
from clientcard_bonuses.domain.account import Totals
from clientcard_bonuses.domain.program import LoyaltyChanges, LoyaltyProgram, ProgramChanges
from clientcard_bonuses.domain.tiers import Tier, TierInput
from clientcard_kit.errors import InvalidInput

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
SILVER = Tier(uuid.uuid4(), "Silver", Decimal("10000.00"), Decimal("7.00"))
GOLD = Tier(uuid.uuid4(), "Gold", Decimal("50000.00"), Decimal("10.00"))
START = Tier(uuid.uuid4(), "Start", Decimal("0.00"), Decimal("3.00"))
LADDER = (START, SILVER, GOLD)


@pytest.mark.parametrize(
    ("spend", "tier", "to_next"),
    [
        ("0.00", START, "10000.00"),
        ("9999.99", START, "0.01"),
        ("10000.00", SILVER, "40000.00"),
        ("50000.00", GOLD, None),
        ("1000000.00", GOLD, None),
    ],
)
def test_a_customer_is_in_the_highest_tier_the_spend_reaches(
    spend: str, tier: Tier, to_next: str | None
) -> None:
    assert tiers.tier_for(LADDER, Decimal(spend)) == tier
    expected = Decimal(to_next) if to_next else None
    assert tiers.spend_to_next_tier(LADDER, Decimal(spend)) == expected


def test_below_the_lowest_tier_or_without_tiers_a_customer_is_in_none() -> None:
    assert tiers.tier_for((SILVER, GOLD), Decimal("9999.99")) is None
    assert tiers.tier_for((), Decimal("1000000")) is None
    assert tiers.spend_to_next_tier((), Decimal("0")) is None


def test_the_tier_accrues_its_percent_and_no_tier_the_flat_one() -> None:
    program = LoyaltyProgram(accrual_percent=Decimal("5.00"), tiers=LADDER)
    assert program.accrual_for(Decimal("1000.00"), GOLD.id) == Decimal("100.00")
    assert program.accrual_for(Decimal("1000.00"), None) == Decimal("50.00")
    # A tier the program no longer has counts as none.
    assert program.accrual_for(Decimal("1000.00"), uuid.uuid4()) == Decimal("50.00")


def test_a_sale_inside_the_window_counts_and_is_reviewed_when_it_leaves() -> None:
    bought = NOW - timedelta(days=10)
    totals = tiers.counted(Totals(), Decimal("12000.00"), bought, NOW)
    assert totals.spend == Decimal("12000.00")
    assert totals.spend_review_at == bought + timedelta(days=365)
    later = tiers.counted(totals, Decimal("100.00"), NOW, NOW)
    assert later.spend_review_at == bought + timedelta(days=365)  # the oldest leaves first


def test_a_sale_older_than_the_window_counts_nothing() -> None:
    old = NOW - timedelta(days=365)
    assert tiers.counted(Totals(), Decimal("12000.00"), old, NOW) == Totals()


def test_a_return_lowers_the_spend_never_below_zero() -> None:
    totals = tiers.counted(Totals(), Decimal("100.00"), NOW, NOW)
    assert tiers.counted(totals, Decimal("-40.00"), NOW, NOW).spend == Decimal("60.00")
    assert tiers.counted(totals, Decimal("-400.00"), NOW, NOW).spend == Decimal("0.00")


def test_a_change_of_tier_counts_a_version_and_staying_does_not() -> None:
    up = tiers.placed(Totals(spend=Decimal("10000.00")), LADDER)
    assert (up.tier_id, up.tier_version) == (SILVER.id, 1)
    assert tiers.placed(up, LADDER) == up
    down = tiers.placed(Totals(spend=Decimal("0"), tier_id=SILVER.id, tier_version=1), (SILVER,))
    assert (down.tier_id, down.tier_version) == (None, 2)


def test_a_recount_from_the_sales_left_in_the_window() -> None:
    oldest = NOW - timedelta(days=100)
    totals = tiers.recounted(Totals(spend=Decimal("5.00")), Decimal("70.00"), oldest)
    assert (totals.spend, totals.spend_review_at) == (Decimal("70.00"), oldest + tiers.WINDOW)
    assert tiers.recounted(totals, None, None).spend == Decimal("0.00")
    assert tiers.recounted(totals, None, None).spend_review_at is None


def test_tiers_keep_their_ids_by_name_and_are_kept_lowest_first() -> None:
    given = (
        TierInput("Gold", Decimal("60000.00"), Decimal("12.00")),
        TierInput(" Silver ", Decimal("10000.00"), Decimal("7.00")),
        TierInput("Platinum", Decimal("100000.00"), Decimal("15.00")),
    )
    changed = ProgramChanges(loyalty=LoyaltyChanges(tiers=given))
    program = changed.applied_to(LoyaltyProgram(tiers=(SILVER, GOLD)))
    assert [tier.name for tier in program.tiers] == ["Silver", "Gold", "Platinum"]
    assert [tier.id for tier in program.tiers[:2]] == [SILVER.id, GOLD.id]
    assert program.tiers[1].min_spend == Decimal("60000.00")
    assert program.tiers[2].id not in {SILVER.id, GOLD.id}


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ((TierInput("", Decimal(0), Decimal(1)),), "input.tiers.0.name"),
        ((TierInput("A", Decimal(-1), Decimal(1)),), "input.tiers.0.minSpend"),
        ((TierInput("A", Decimal(0), Decimal(101)),), "input.tiers.0.accrualPercent"),
        (
            (TierInput("A", Decimal(0), Decimal(1)), TierInput("A", Decimal(5), Decimal(1))),
            "input.tiers",
        ),
        (
            (TierInput("A", Decimal(5), Decimal(1)), TierInput("B", Decimal(5), Decimal(1))),
            "input.tiers",
        ),
    ],
)
def test_tiers_that_cannot_work_are_refused(given: tuple[TierInput, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        tiers.tiers_from(given, ())
    assert refused.value.field == field
