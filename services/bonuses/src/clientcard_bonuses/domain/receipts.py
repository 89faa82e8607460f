"""What a receipt does to its customer's bonuses.

A SALE first spends the bonuses the till asked for (all of them or none, see
`redemption_problem`), then accrues the program's percent of the money paid, so a receipt
never pays with the bonuses it earns. A RETURN gives back its share of what the sale
spent, as a new lot, and takes back its share of what the sale accrued. Shares are
running (`returnedShareSoFar`), so after several partial returns the sale is reversed to
the cent, whatever the rounding of each one.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from clientcard_bonuses.domain.ledger import Ledger, Note
from clientcard_bonuses.domain.money import ZERO, share_of
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_contracts.enums import BonusEvent, BonusRejection, ReceiptType


@dataclass(frozen=True, slots=True)
class Sale:
    receipt_id: uuid.UUID
    total: Decimal
    paid: Decimal
    bonuses_spent: Decimal


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: BonusRejection
    message: str


@dataclass(frozen=True, slots=True)
class ReceiptBonuses:
    """What bonuses made of one receipt; a SALE also counts what its returns reversed."""

    receipt_id: uuid.UUID
    customer_id: uuid.UUID
    type: ReceiptType
    requested_spent: Decimal = ZERO
    spent: Decimal = ZERO
    accrued: Decimal = ZERO
    accrual_reversed: Decimal = ZERO
    spent_refunded: Decimal = ZERO
    rejection: Rejection | None = None
    original_receipt_id: uuid.UUID | None = None

    @property
    def bonuses_accrued(self) -> Decimal:
        """What the receipt put on the account (for a RETURN: the spent bonuses given back)."""
        return self.accrued if self.type is ReceiptType.SALE else self.spent_refunded

    @property
    def bonuses_spent(self) -> Decimal:
        """What the receipt took off the account (for a RETURN: the accrual taken back)."""
        return self.spent if self.type is ReceiptType.SALE else self.accrual_reversed


def redemption_problem(
    program: LoyaltyProgram, sale: Sale, balance: Decimal, *, has_account: bool
) -> Rejection | None:
    """Why the bonuses a sale asks to spend cannot be written off, if they cannot."""
    requested = sale.bonuses_spent
    if requested == 0:
        return None
    if not has_account:
        return Rejection(BonusRejection.NO_ACCOUNT, "the customer has no bonus account yet")
    allowed = program.redeemable_of(sale.total)
    if requested > allowed:
        return Rejection(
            BonusRejection.OVER_REDEEM_LIMIT,
            f"{requested} is more than the {program.max_redeem_percent}% of the receipt "
            f"that may be paid with bonuses ({allowed})",
        )
    if requested > balance:
        return Rejection(
            BonusRejection.INSUFFICIENT_BALANCE,
            f"{requested} is more than the balance of {balance}",
        )
    return None


def apply_sale(
    ledger: Ledger, program: LoyaltyProgram, sale: Sale, now: datetime, *, has_account: bool
) -> ReceiptBonuses:
    ledger.count_purchase()
    note = Note(receipt_id=sale.receipt_id)
    rejection = redemption_problem(program, sale, ledger.balance, has_account=has_account)
    spent = ZERO if rejection else sale.bonuses_spent
    if spent:
        ledger.write_off(spent, BonusEvent.PURCHASE, now, note)
    accrued = program.accrual_for(sale.paid)
    if accrued:
        ledger.accrue(accrued, BonusEvent.PURCHASE, now, program.expiry_from(now), note)
    return ReceiptBonuses(
        receipt_id=sale.receipt_id,
        customer_id=ledger.customer_id,
        type=ReceiptType.SALE,
        requested_spent=sale.bonuses_spent,
        spent=spent,
        accrued=accrued,
        rejection=rejection,
    )


def apply_return(
    ledger: Ledger,
    program: LoyaltyProgram,
    receipt_id: uuid.UUID,
    sale: ReceiptBonuses,
    share_so_far: Decimal,
    now: datetime,
) -> tuple[ReceiptBonuses, ReceiptBonuses]:
    """Reverse a sale up to `share_so_far`; returns the return's record and the sale's.

    The spent bonuses come back first, so the accrual taken back can come from them. An
    accrual the customer has already spent is taken back only as far as the balance
    allows (it never goes below zero); a later return of the same sale tries again.
    """
    note = Note(receipt_id=receipt_id)
    refund = max(share_of(sale.spent, share_so_far) - sale.spent_refunded, ZERO)
    if refund:
        ledger.accrue(refund, BonusEvent.RETURN, now, program.expiry_from(now), note)
    due = max(share_of(sale.accrued, share_so_far) - sale.accrual_reversed, ZERO)
    reversed_ = min(due, ledger.balance)
    if reversed_:
        ledger.write_off(reversed_, BonusEvent.RETURN, now, note)
    returned = ReceiptBonuses(
        receipt_id=receipt_id,
        customer_id=ledger.customer_id,
        type=ReceiptType.RETURN,
        accrual_reversed=reversed_,
        spent_refunded=refund,
        original_receipt_id=sale.receipt_id,
    )
    updated_sale = replace(
        sale,
        accrual_reversed=sale.accrual_reversed + reversed_,
        spent_refunded=sale.spent_refunded + refund,
    )
    return returned, updated_sale


def unknown_sale_return(
    receipt_id: uuid.UUID, customer_id: uuid.UUID, original_receipt_id: uuid.UUID
) -> ReceiptBonuses:
    """A return of a sale bonuses never saw: nothing to reverse, but it is remembered."""
    return ReceiptBonuses(
        receipt_id=receipt_id,
        customer_id=customer_id,
        type=ReceiptType.RETURN,
        original_receipt_id=original_receipt_id,
    )
