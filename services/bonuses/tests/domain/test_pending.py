"""Pending accrual: on the balance, not spendable until its day; a return takes it first."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from clientcard_bonuses.domain.account import Note, Totals
from clientcard_bonuses.domain.ledger import InsufficientBalance, Ledger
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_bonuses.domain.receipts import ReceiptBonuses, Sale, apply_return, apply_sale
from clientcard_contracts.enums import BonusEvent, ReceiptType

NOW = datetime(2026, 5, 1, 10, tzinfo=UTC)
PROGRAM = LoyaltyProgram(accrual_percent=Decimal("10.00"), pending_days=14)


def _ledger() -> Ledger:
    return Ledger(uuid.uuid4(), Totals(), lots=[])


def _sell(ledger: Ledger, paid: str, at: datetime = NOW) -> ReceiptBonuses:
    sale = Sale(uuid.uuid4(), Decimal(paid), Decimal(paid), Decimal(0), at)
    return apply_sale(ledger, PROGRAM, sale, at, has_account=True)


def test_a_purchase_accrues_pending_bonuses_not_spendable_until_their_day() -> None:
    ledger = _ledger()
    _sell(ledger, "1000.00")
    assert (ledger.balance, ledger.totals.pending, ledger.spendable) == (
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("0.00"),
    )
    assert ledger.totals.next_available_at == NOW + timedelta(days=14)
    with pytest.raises(InsufficientBalance):
        ledger.write_off(Decimal("1.00"), BonusEvent.MANUAL, NOW + timedelta(days=13))
    ledger.write_off(Decimal("1.00"), BonusEvent.MANUAL, NOW + timedelta(days=14))
    assert (ledger.balance, ledger.totals.pending) == (Decimal("99.00"), Decimal("0.00"))
    assert ledger.totals.next_available_at is None


def test_the_refresh_frees_lots_on_their_day_one_after_another() -> None:
    ledger = _ledger()
    _sell(ledger, "1000.00")
    _sell(ledger, "500.00", NOW + timedelta(days=3))
    ledger.refresh(NOW + timedelta(days=14))
    assert (ledger.totals.pending, ledger.spendable) == (Decimal("50.00"), Decimal("100.00"))
    assert ledger.totals.next_available_at == NOW + timedelta(days=17)


def test_without_pending_days_an_accrual_is_spendable_at_once() -> None:
    ledger = _ledger()
    sale = Sale(uuid.uuid4(), Decimal("100"), Decimal("100"), Decimal(0), NOW)
    apply_sale(ledger, LoyaltyProgram(accrual_percent=Decimal("10")), sale, NOW, has_account=True)
    assert (ledger.totals.pending, ledger.spendable) == (Decimal("0.00"), Decimal("10.00"))


def test_a_return_inside_the_period_cancels_the_pending_part_first() -> None:
    ledger = _ledger()
    ledger.accrue(Decimal("30.00"), BonusEvent.MANUAL, NOW - timedelta(days=1), None)
    sold = _sell(ledger, "1000.00")
    moments = (NOW + timedelta(days=2), NOW + timedelta(days=2))
    returned, _ = apply_return(ledger, PROGRAM, uuid.uuid4(), sold, Decimal("0.5"), moments)
    assert returned.accrual_reversed == Decimal("50.00")
    # The spendable manual bonuses are untouched; half the pending lot is gone.
    assert (ledger.spendable, ledger.totals.pending) == (Decimal("30.00"), Decimal("50.00"))
    assert ledger.balance == Decimal("80.00")


def test_a_return_takes_spendable_bonuses_only_after_the_pending_ones() -> None:
    ledger = _ledger()
    ledger.accrue(Decimal("30.00"), BonusEvent.MANUAL, NOW - timedelta(days=1), None)
    ledger.accrue(
        Decimal("20.00"),
        BonusEvent.PURCHASE,
        NOW,
        None,
        available_at=NOW + timedelta(days=14),
    )
    ledger.take_back(Decimal("25.00"), NOW, Note(), NOW)
    assert (ledger.totals.pending, ledger.spendable) == (Decimal("0.00"), Decimal("25.00"))


def test_write_offs_take_the_lots_in_the_order_they_became_spendable() -> None:
    ledger = _ledger()
    # Accrued first but spendable last: a purchase's lot with a long wait.
    ledger.accrue(
        Decimal("10.00"), BonusEvent.PURCHASE, NOW, None, available_at=NOW + timedelta(days=5)
    )
    ledger.accrue(Decimal("10.00"), BonusEvent.MANUAL, NOW + timedelta(days=1), None)
    ledger.write_off(Decimal("15.00"), BonusEvent.MANUAL, NOW + timedelta(days=6))
    remaining = {lot.available_from: lot.remaining for lot in ledger.open_lots}
    assert remaining == {NOW + timedelta(days=5): Decimal("5.00")}


def test_a_pending_lot_that_expires_before_its_day_burns_whole() -> None:
    ledger = _ledger()
    ledger.accrue(
        Decimal("10.00"),
        BonusEvent.PURCHASE,
        NOW,
        NOW + timedelta(days=2),
        available_at=NOW + timedelta(days=5),
    )
    [burned] = ledger.expire(NOW + timedelta(days=3))
    assert burned.amount == Decimal("10.00")
    assert (ledger.balance, ledger.totals.pending) == (Decimal("0.00"), Decimal("0.00"))


def test_the_sale_remembers_its_money_and_the_return_its_share() -> None:
    ledger = _ledger()
    sold = _sell(ledger, "1000.00")
    assert (sold.paid, sold.purchased_at, sold.type) == (Decimal("1000.00"), NOW, ReceiptType.SALE)
    _, sale = apply_return(ledger, PROGRAM, uuid.uuid4(), sold, Decimal("0.25"), (NOW, NOW))
    assert sale.paid_returned == Decimal("250.00")
    assert ledger.totals.spend == Decimal("750.00")
