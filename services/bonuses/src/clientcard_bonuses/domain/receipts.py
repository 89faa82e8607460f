"""What a receipt does to its customer's bonuses.

A SALE first spends the bonuses the till asked for (all of them or none, see
`redemption_problem`), then accrues the program's percent of the money paid, so a receipt
never pays with the bonuses it earns. A RETURN gives back its share of what the sale
spent, as a new lot, and takes back its share of what the sale accrued. Shares are
running (`returnedShareSoFar`), so after several partial returns the sale is reversed to
the cent, whatever the rounding of each one.

With `pendingDays` a sale's accrual is pending until that many days after the purchase,
and a return takes back pending bonuses first. A sale's money counts toward the
customer's spend (and tier, see `tiers`); a return takes its share of it back. The sale
accrues at the percent of the tier the customer was in before it.

Operations and lots of a receipt are dated by its `purchasedAt`, not by when the ledger
applied it: a receipt that arrives late accrues a lot that expires counting from the
purchase (already expired, and burned at the next expiry run, if it comes that late).

A sale that carries a held reservation of its customer for exactly the bonuses it spends
takes them from the reservation, which no rule can refuse; any other reservation it names
(released, expired, another customer's, another amount) leaves the spend to the rules.

On a RETURN `bonuses_accrued` and `bonuses_spent` are zero or below: what the return took
back of the sale's accrual and gave back of its spend, so that summed over a customer's
receipts they are what the customer holds from them.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from clientcard_bonuses.domain import tiers
from clientcard_bonuses.domain.account import Note
from clientcard_bonuses.domain.ledger import Ledger
from clientcard_bonuses.domain.money import ZERO, share_of
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_bonuses.domain.reservations import Reservation
from clientcard_contracts.enums import (
    BonusEvent,
    BonusRejection,
    ReceiptType,
    RedemptionStatus,
    ReservationStatus,
)


@dataclass(frozen=True, slots=True)
class Sale:
    receipt_id: uuid.UUID
    total: Decimal
    paid: Decimal
    bonuses_spent: Decimal
    purchased_at: datetime
    reservation: Reservation | None = None


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
    # A SALE: the money paid, when, and how much of it its returns gave back (its spend).
    paid: Decimal = ZERO
    purchased_at: datetime | None = None
    paid_returned: Decimal = ZERO

    @property
    def bonuses_accrued(self) -> Decimal:
        """Accrued by a sale; for a RETURN, minus the accrual it took back."""
        return self.accrued if self.type is ReceiptType.SALE else -self.accrual_reversed

    @property
    def bonuses_spent(self) -> Decimal:
        """Spent by a sale; for a RETURN, minus the spent bonuses it gave back."""
        return self.spent if self.type is ReceiptType.SALE else -self.spent_refunded

    @property
    def redemption(self) -> "Redemption":
        """What became of the bonuses the receipt asked to spend."""
        if self.rejection is not None:
            status = RedemptionStatus.REFUSED
        elif self.spent > 0:
            status = RedemptionStatus.APPLIED
        else:
            status = RedemptionStatus.NONE
        reason = self.rejection.message if self.rejection else None
        return Redemption(self.requested_spent, self.spent, status, reason)


@dataclass(frozen=True, slots=True)
class Redemption:
    requested: Decimal
    applied: Decimal
    status: RedemptionStatus
    reason: str | None


def redemption_problem(
    program: LoyaltyProgram, sale: Sale, balance: Decimal, *, has_account: bool
) -> Rejection | None:
    """Why the bonuses a sale asks to spend cannot be written off, if they cannot.

    `balance` is what the sale may take: the spendable part, without what is held.
    """
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
            f"{requested} is more than the balance of {balance}"
            + _reservation_note(sale.reservation),
        )
    return None


def _reservation_note(reservation: Reservation | None) -> str:
    if reservation is None:
        return ""
    return f" (reservation {reservation.id} was {reservation.status.value}, not used)"


def uses_reservation(sale: Sale, customer_id: uuid.UUID) -> bool:
    """Whether the sale spends from its reservation: held, the customer's, the same amount."""
    reservation = sale.reservation
    return (
        reservation is not None
        and reservation.status is ReservationStatus.HELD
        and reservation.customer_id == customer_id
        and reservation.amount == sale.bonuses_spent
    )


def apply_sale(
    ledger: Ledger, program: LoyaltyProgram, sale: Sale, now: datetime, *, has_account: bool
) -> ReceiptBonuses:
    """Spend (from the reservation, when it holds exactly this) and accrue for a sale."""
    ledger.count_purchase()
    note = Note(receipt_id=sale.receipt_id)
    bought = sale.purchased_at
    reserved = uses_reservation(sale, ledger.customer_id)
    rejection = (
        None
        if reserved
        else redemption_problem(program, sale, ledger.spendable, has_account=has_account)
    )
    spent = ZERO if rejection else sale.bonuses_spent
    if spent:
        ledger.write_off(
            spent, BonusEvent.PURCHASE, now, note, occurred_at=bought, reserved=reserved
        )
    # The tier before the sale (placed now if tiers changed since the last placing).
    ledger.totals = tiers.placed(ledger.totals, program.tiers)
    accrued = program.accrual_for(sale.paid, ledger.totals.tier_id)
    if accrued:
        expires_at = program.expiry_from(bought)
        available_at = program.available_from(bought)
        ledger.accrue(
            accrued,
            BonusEvent.PURCHASE,
            now,
            expires_at,
            note,
            occurred_at=bought,
            available_at=available_at,
        )
    spend = tiers.counted(ledger.totals, sale.paid, bought, now)
    ledger.totals = tiers.placed(spend, program.tiers)
    return ReceiptBonuses(
        receipt_id=sale.receipt_id,
        customer_id=ledger.customer_id,
        type=ReceiptType.SALE,
        requested_spent=sale.bonuses_spent,
        spent=spent,
        accrued=accrued,
        rejection=rejection,
        paid=sale.paid,
        purchased_at=bought,
    )


def apply_return(
    ledger: Ledger,
    program: LoyaltyProgram,
    receipt_id: uuid.UUID,
    sale: ReceiptBonuses,
    share_so_far: Decimal,
    moments: tuple[datetime, datetime],
) -> tuple[ReceiptBonuses, ReceiptBonuses]:
    """Reverse a sale up to `share_so_far`; returns the return's record and the sale's.

    The spent bonuses come back first, so the accrual taken back can come from them. An
    accrual the customer has already spent is taken back only as far as the balance
    allows (it never goes below zero); a later return of the same sale tries again.
    """
    now, returned_at = moments
    note = Note(receipt_id=receipt_id)
    refund = max(share_of(sale.spent, share_so_far) - sale.spent_refunded, ZERO)
    if refund:
        expires_at = program.expiry_from(returned_at)
        ledger.accrue(refund, BonusEvent.RETURN, now, expires_at, note, occurred_at=returned_at)
    due = max(share_of(sale.accrued, share_so_far) - sale.accrual_reversed, ZERO)
    # Pending bonuses may be taken back too (first): only held ones may not.
    reversed_ = min(due, ledger.balance - ledger.totals.reserved)
    if reversed_:
        ledger.take_back(reversed_, now, note, returned_at)
    paid_back = max(share_of(sale.paid, share_so_far) - sale.paid_returned, ZERO)
    if paid_back and sale.purchased_at is not None:
        spend = tiers.counted(ledger.totals, -paid_back, sale.purchased_at, now)
        ledger.totals = tiers.placed(spend, program.tiers)
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
        paid_returned=sale.paid_returned + paid_back,
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
