"""A till's reservation of bonuses: set aside before a sale, spent by its receipt.

A till asks what the customer may spend (`Quote`), reserves it, and sends the receipt
with the reservation's id. While HELD, the amount is out of the spendable balance: no
other reservation, manual write-off, return or expiry can take it. The receipt commits
it; the till may release it; one not used by `expires_at` is expired by a job.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from clientcard_bonuses.domain.ledger import InsufficientBalance, Ledger
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_contracts.enums import ReservationStatus
from clientcard_kit.errors import InvalidInput

DEFAULT_TTL_SECONDS = 600
# A reservation lives as long as a sale at the till can take, not days.
MAX_TTL_SECONDS = 24 * 3600
MAX_TOTAL = Decimal("1000000000.00")


@dataclass(frozen=True, slots=True)
class Reservation:
    id: uuid.UUID
    customer_id: uuid.UUID
    amount: Decimal
    total: Decimal
    status: ReservationStatus
    created_at: datetime
    expires_at: datetime
    receipt_id: uuid.UUID | None = None
    receipt_number: str | None = None
    finished_at: datetime | None = None

    @property
    def held(self) -> bool:
        return self.status is ReservationStatus.HELD

    def finished(
        self,
        status: ReservationStatus,
        now: datetime,
        receipt: tuple[uuid.UUID, str | None] | None = None,
    ) -> "Reservation":
        receipt_id, number = receipt if receipt else (None, None)
        return replace(
            self, status=status, finished_at=now, receipt_id=receipt_id, receipt_number=number
        )


def checked_total(total: Decimal) -> Decimal:
    if not Decimal(0) <= total <= MAX_TOTAL:
        raise InvalidInput("total", f"must be between 0 and {MAX_TOTAL}")
    return total


def reserve(
    ledger: Ledger,
    program: LoyaltyProgram,
    total: Decimal,
    amount: Decimal,
    ttl_seconds: int,
    now: datetime,
) -> Reservation:
    """Hold `amount` for a sale of `total`, within the program's share and the balance."""
    checked_total(total)
    if amount <= 0:
        raise InvalidInput("amount", "must be above zero")
    if not 1 <= ttl_seconds <= MAX_TTL_SECONDS:
        raise InvalidInput("ttlSeconds", f"must be between 1 and {MAX_TTL_SECONDS}")
    allowed = program.redeemable_of(total)
    if amount > allowed:
        raise InvalidInput(
            "amount",
            f"{amount} is more than the {program.max_redeem_percent}% of {total} that may be "
            f"paid with bonuses ({allowed})",
        )
    try:
        ledger.hold(amount)
    except InsufficientBalance as short:
        raise InvalidInput(
            "amount", f"{amount} is more than the {short.balance} the customer may spend"
        ) from None
    return Reservation(
        id=uuid.uuid4(),
        customer_id=ledger.customer_id,
        amount=amount,
        total=total,
        status=ReservationStatus.HELD,
        created_at=now,
        expires_at=now + timedelta(seconds=ttl_seconds),
    )


def end(
    ledger: Ledger, reservation: Reservation, status: ReservationStatus, now: datetime
) -> Reservation:
    """Release a held reservation (by the till, or expired by the job)."""
    if not reservation.held:
        raise InvalidInput(
            "id", f"the reservation is {reservation.status.value}, not HELD: nothing to release"
        )
    ledger.release(reservation.amount)
    return reservation.finished(status, now)
