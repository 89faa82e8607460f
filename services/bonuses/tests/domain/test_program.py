"""The loyalty program's defaults, its validation and its arithmetic."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from clientcard_bonuses.domain.program import LoyaltyProgram, ProgramChanges
from clientcard_bonuses.domain.records import Quote
from clientcard_kit.errors import InvalidInput


def test_a_new_merchant_gets_the_documented_defaults() -> None:
    program = LoyaltyProgram()
    assert program.accrual_percent == Decimal("5.00")
    assert program.max_redeem_percent == Decimal("30.00")
    assert program.expiry_days == 365
    assert program.welcome_bonus == Decimal("0.00")


def test_changes_leave_out_what_was_not_given_and_null_expiry_means_never() -> None:
    program = ProgramChanges(accrual_percent=Decimal("10.00")).applied_to(LoyaltyProgram())
    assert (program.accrual_percent, program.expiry_days) == (Decimal("10.00"), 365)
    never = ProgramChanges(expiry_days=None, expiry_given=True).applied_to(program)
    assert never.expiry_days is None
    assert never.expiry_from(datetime.now(UTC)) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (ProgramChanges(accrual_percent=Decimal("100.01")), "input.accrualPercent"),
        (ProgramChanges(max_redeem_percent=Decimal("-1")), "input.maxRedeemPercent"),
        (ProgramChanges(expiry_days=0, expiry_given=True), "input.expiryDays"),
        (ProgramChanges(welcome_bonus=Decimal("-0.01")), "input.welcomeBonus"),
    ],
)
def test_out_of_range_settings_are_refused_by_name(changes: ProgramChanges, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        changes.applied_to(LoyaltyProgram())
    assert refused.value.field == field


def test_accrual_and_the_redeemable_share_round_down_to_the_cent() -> None:
    program = LoyaltyProgram(accrual_percent=Decimal("3.00"), max_redeem_percent=Decimal("33.33"))
    assert program.accrual_for(Decimal("99.99")) == Decimal("2.99")
    assert program.redeemable_of(Decimal("100.00")) == Decimal("33.33")
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    assert program.expiry_from(moment) == moment + timedelta(days=365)


def test_the_quote_offers_no_more_than_the_balance_or_the_allowed_share() -> None:
    program = LoyaltyProgram()
    assert Quote.of(program, Decimal("100.00"), Decimal("100.00"), Decimal("1000.00")) == Quote(
        Decimal("100.00"), Decimal("100.00"), Decimal("50.00")
    )
    assert Quote.of(
        program, Decimal("500.00"), Decimal("500.00"), Decimal("1000.00")
    ).max_redeemable == Decimal("300.00")
    with pytest.raises(InvalidInput):
        Quote.of(program, Decimal("1.00"), Decimal("1.00"), Decimal("-1.00"))
