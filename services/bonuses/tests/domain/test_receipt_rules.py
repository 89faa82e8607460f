"""What sales and returns do to an account, case by case."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from clientcard_bonuses.domain.account import Totals
from clientcard_bonuses.domain.ledger import Ledger
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_bonuses.domain.receipts import Sale, apply_return, apply_sale
from clientcard_contracts.enums import BonusEvent, BonusOperationType, BonusRejection

NOW = datetime(2026, 6, 1, tzinfo=UTC)
PROGRAM = LoyaltyProgram(accrual_percent=Decimal("10.00"), max_redeem_percent=Decimal("50.00"))


def funded(balance: str) -> Ledger:
    ledger = Ledger(uuid.uuid4(), Totals(), lots=[])
    ledger.accrue(Decimal(balance), BonusEvent.WELCOME, NOW, None)
    return ledger


def sale(total: str, spend: str) -> Sale:
    paid = Decimal(total) - Decimal(spend)
    return Sale(uuid.uuid4(), Decimal(total), paid, Decimal(spend), NOW)


def test_a_sale_spends_first_then_accrues_on_what_was_paid() -> None:
    ledger = funded("300.00")
    applied = apply_sale(ledger, PROGRAM, sale("1000.00", "200.00"), NOW, has_account=True)
    assert (applied.spent, applied.accrued, applied.rejection) == (
        Decimal("200.00"),
        Decimal("80.00"),
        None,
    )
    kinds = [(op.type, op.event, op.amount) for op in ledger.operations[1:]]
    assert kinds == [
        (BonusOperationType.WRITE_OFF, BonusEvent.PURCHASE, Decimal("200.00")),
        (BonusOperationType.ACCRUAL, BonusEvent.PURCHASE, Decimal("80.00")),
    ]
    assert ledger.balance == Decimal("180.00")
    assert ledger.totals.purchases == 1


@pytest.mark.parametrize(
    ("balance", "spend", "existed", "reason"),
    [
        ("300.00", "600.00", True, BonusRejection.OVER_REDEEM_LIMIT),
        ("100.00", "150.00", True, BonusRejection.INSUFFICIENT_BALANCE),
        ("0.01", "150.00", False, BonusRejection.NO_ACCOUNT),
    ],
)
def test_a_redemption_that_cannot_be_made_spends_nothing_and_says_why(
    balance: str, spend: str, existed: bool, reason: BonusRejection
) -> None:
    ledger = funded(balance)
    applied = apply_sale(ledger, PROGRAM, sale("1000.00", spend), NOW, has_account=existed)
    assert applied.spent == 0
    assert applied.rejection is not None
    assert applied.rejection.reason is reason
    assert applied.rejection.message
    assert applied.requested_spent == Decimal(spend)
    assert ledger.balance == Decimal(balance) + applied.accrued


def test_partial_returns_reverse_the_sale_to_the_cent() -> None:
    ledger = funded("100.00")
    first_sale = apply_sale(ledger, PROGRAM, sale("333.33", "33.33"), NOW, has_account=True)
    assert first_sale.accrued == Decimal("30.00")
    record = first_sale
    refunded = reversed_ = Decimal(0)
    for so_far in ("0.333333", "0.666667", "1.000000"):
        returned, record = apply_return(
            ledger, PROGRAM, uuid.uuid4(), record, Decimal(so_far), (NOW, NOW)
        )
        refunded += returned.spent_refunded
        reversed_ += returned.accrual_reversed
        # A return's figures are what it took back and gave back, as amounts below zero.
        assert returned.bonuses_accrued == -returned.accrual_reversed
        assert returned.bonuses_spent == -returned.spent_refunded
    assert (refunded, reversed_) == (Decimal("33.33"), Decimal("30.00"))
    assert ledger.balance == Decimal("100.00")
    # A repeated full return finds nothing left to reverse.
    again, _ = apply_return(ledger, PROGRAM, uuid.uuid4(), record, Decimal(1), (NOW, NOW))
    assert (again.spent_refunded, again.accrual_reversed) == (Decimal(0), Decimal(0))


def test_an_accrual_already_spent_is_taken_back_only_down_to_zero() -> None:
    ledger = Ledger(uuid.uuid4(), Totals(), lots=[])
    applied = apply_sale(ledger, PROGRAM, sale("500.00", "0.00"), NOW, has_account=True)
    ledger.write_off(Decimal("40.00"), BonusEvent.MANUAL, NOW)
    returned, record = apply_return(ledger, PROGRAM, uuid.uuid4(), applied, Decimal(1), (NOW, NOW))
    assert returned.accrual_reversed == Decimal("10.00")
    assert ledger.balance == 0
    assert record.accrual_reversed == Decimal("10.00")
