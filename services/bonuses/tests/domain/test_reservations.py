"""A till's reservations, the dates of a purchase's operations, and what a receipt shows."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from clientcard_bonuses.domain import reservations
from clientcard_bonuses.domain.account import Totals
from clientcard_bonuses.domain.ledger import InsufficientBalance, Ledger
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_bonuses.domain.receipts import Sale, apply_return, apply_sale
from clientcard_contracts.enums import (
    BonusEvent,
    BonusRejection,
    RedemptionStatus,
    ReservationStatus,
)
from clientcard_kit.errors import InvalidInput

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
PROGRAM = LoyaltyProgram(
    accrual_percent=Decimal("10.00"), max_redeem_percent=Decimal("50.00"), expiry_days=30
)


def funded(balance: str, *, expires_at: datetime | None = None) -> Ledger:
    ledger = Ledger(uuid.uuid4(), Totals(), lots=[])
    ledger.accrue(Decimal(balance), BonusEvent.WELCOME, NOW - timedelta(days=1), expires_at)
    return ledger


def reserve(ledger: Ledger, amount: str, total: str = "1000.00") -> reservations.Reservation:
    return reservations.reserve(ledger, PROGRAM, Decimal(total), Decimal(amount), 600, NOW)


def sale(total: str, spend: str, reservation: reservations.Reservation | None = None) -> Sale:
    paid = Decimal(total) - Decimal(spend)
    return Sale(uuid.uuid4(), Decimal(total), paid, Decimal(spend), NOW, reservation)


def test_a_reservation_holds_bonuses_out_of_the_spendable_balance() -> None:
    ledger = funded("300.00")
    held = reserve(ledger, "200.00")
    assert (held.status, held.amount) == (ReservationStatus.HELD, Decimal("200.00"))
    assert held.expires_at == NOW + timedelta(seconds=600)
    assert (ledger.balance, ledger.spendable) == (Decimal("300.00"), Decimal("100.00"))
    assert ledger.operations[1:] == []  # holding is no ledger operation


def test_two_tills_cannot_reserve_the_same_bonuses() -> None:
    ledger = funded("300.00")
    reserve(ledger, "200.00")
    with pytest.raises(InvalidInput, match=r"100\.00 the customer may spend"):
        reserve(ledger, "150.00")
    reserve(ledger, "100.00")
    assert ledger.spendable == 0


@pytest.mark.parametrize(
    ("amount", "total", "ttl", "field"),
    [
        ("0.00", "1000.00", 600, "amount"),
        ("600.00", "1000.00", 600, "amount"),  # over the program's 50 % of the sale
        ("10.00", "-1.00", 600, "total"),
        ("10.00", "1000.00", 0, "ttlSeconds"),
        ("10.00", "1000.00", 86401, "ttlSeconds"),
    ],
)
def test_a_reservation_outside_the_rules_is_refused_and_holds_nothing(
    amount: str, total: str, ttl: int, field: str
) -> None:
    ledger = funded("5000.00")
    with pytest.raises(InvalidInput) as refused:
        reservations.reserve(ledger, PROGRAM, Decimal(total), Decimal(amount), ttl, NOW)
    assert refused.value.field == field
    assert ledger.spendable == Decimal("5000.00")


def test_a_manual_write_off_cannot_take_reserved_bonuses() -> None:
    ledger = funded("300.00")
    reserve(ledger, "200.00")
    with pytest.raises(InsufficientBalance):
        ledger.write_off(Decimal("150.00"), BonusEvent.MANUAL, NOW)
    ledger.write_off(Decimal("100.00"), BonusEvent.MANUAL, NOW)
    assert (ledger.balance, ledger.totals.reserved) == (Decimal("200.00"), Decimal("200.00"))


def test_the_receipt_with_its_reservation_spends_exactly_it() -> None:
    ledger = funded("300.00")
    held = reserve(ledger, "200.00")
    ledger.write_off(Decimal("100.00"), BonusEvent.MANUAL, NOW)  # all that was free
    applied = apply_sale(ledger, PROGRAM, sale("1000.00", "200.00", held), NOW, has_account=True)
    assert (applied.spent, applied.rejection) == (Decimal("200.00"), None)
    assert applied.redemption.status is RedemptionStatus.APPLIED
    assert ledger.totals.reserved == 0
    assert ledger.balance == Decimal("80.00")  # 10 % of the 800 paid


def test_a_sale_without_a_reservation_cannot_spend_what_another_till_holds() -> None:
    ledger = funded("300.00")
    reserve(ledger, "250.00")
    applied = apply_sale(ledger, PROGRAM, sale("1000.00", "100.00"), NOW, has_account=True)
    assert applied.spent == 0
    assert applied.rejection is not None
    assert applied.rejection.reason is BonusRejection.INSUFFICIENT_BALANCE
    redemption = applied.redemption
    assert (redemption.status, redemption.requested, redemption.applied) == (
        RedemptionStatus.REFUSED,
        Decimal("100.00"),
        Decimal("0.00"),
    )
    assert redemption.reason is not None
    assert "50.00" in redemption.reason


def test_a_sale_naming_an_ended_reservation_meets_the_rules_and_says_so() -> None:
    ledger = funded("50.00")
    expired = replace(reserve(ledger, "40.00"), status=ReservationStatus.EXPIRED)
    ledger.release(Decimal("40.00"))
    applied = apply_sale(ledger, PROGRAM, sale("1000.00", "100.00", expired), NOW, has_account=True)
    assert applied.rejection is not None
    assert "EXPIRED" in applied.rejection.message


def test_held_bonuses_do_not_burn_until_the_hold_ends() -> None:
    ledger = funded("300.00", expires_at=NOW + timedelta(minutes=5))
    reserve(ledger, "200.00")
    later = NOW + timedelta(minutes=10)
    burned = ledger.expire(later)
    assert [operation.amount for operation in burned] == [Decimal("100.00")]
    assert (ledger.balance, ledger.spendable) == (Decimal("200.00"), Decimal("0.00"))
    ledger.release(Decimal("200.00"))
    assert [operation.amount for operation in ledger.expire(later)] == [Decimal("200.00")]
    assert ledger.balance == 0


def test_a_return_takes_back_no_held_bonuses() -> None:
    ledger = Ledger(uuid.uuid4(), Totals(), lots=[])
    bought = apply_sale(ledger, PROGRAM, sale("1000.00", "0.00"), NOW, has_account=True)
    reserve(ledger, "100.00")
    returned, _ = apply_return(ledger, PROGRAM, uuid.uuid4(), bought, Decimal(1), (NOW, NOW))
    assert returned.accrual_reversed == 0
    assert ledger.balance == ledger.totals.reserved == Decimal("100.00")


def test_a_purchase_is_dated_and_expires_by_when_it_was_bought() -> None:
    ledger = funded("100.00")
    bought_at = NOW - timedelta(days=36)
    backdated = Sale(
        uuid.uuid4(), Decimal("500.00"), Decimal("450.00"), Decimal("50.00"), bought_at
    )
    apply_sale(ledger, PROGRAM, backdated, NOW, has_account=True)
    write_off, accrual = ledger.operations[-2:]
    assert write_off.occurred_at == accrual.occurred_at == bought_at
    assert write_off.recorded_at == accrual.recorded_at == NOW
    assert accrual.expires_at == bought_at + timedelta(days=30)
    # Its lot had already expired when it arrived: the next expiry run burns it.
    assert [op.amount for op in ledger.expire(NOW)] == [Decimal("45.00")]


def test_a_return_is_dated_by_its_own_purchase_time() -> None:
    ledger = funded("100.00")
    bought = apply_sale(ledger, PROGRAM, sale("1000.00", "100.00"), NOW, has_account=True)
    returned_at = NOW + timedelta(days=2)
    recorded = NOW + timedelta(days=3)
    apply_return(ledger, PROGRAM, uuid.uuid4(), bought, Decimal(1), (recorded, returned_at))
    for operation in ledger.operations[-2:]:
        assert (operation.occurred_at, operation.recorded_at) == (returned_at, recorded)
    refund = ledger.operations[-2]
    assert refund.expires_at == returned_at + timedelta(days=30)


def test_a_return_shows_what_it_took_back_and_gave_back_below_zero() -> None:
    ledger = funded("100.00")
    bought = apply_sale(ledger, PROGRAM, sale("1000.00", "100.00"), NOW, has_account=True)
    returned, _ = apply_return(ledger, PROGRAM, uuid.uuid4(), bought, Decimal("0.5"), (NOW, NOW))
    assert (returned.bonuses_accrued, returned.bonuses_spent) == (
        Decimal("-45.00"),
        Decimal("-50.00"),
    )
    held_from_receipts = (bought.bonuses_accrued - bought.bonuses_spent) + (
        returned.bonuses_accrued - returned.bonuses_spent
    )
    assert ledger.balance == Decimal("100.00") + held_from_receipts
