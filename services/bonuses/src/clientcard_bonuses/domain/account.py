"""What a bonus account is made of: lots of accrued bonuses, the operations of its ledger,
its totals, and the note an operation carries. The rules that change them are `ledger`."""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from clientcard_bonuses.domain.money import ZERO
from clientcard_contracts.enums import BonusEvent, BonusOperationType


class InsufficientBalance(Exception):
    def __init__(self, requested: Decimal, balance: Decimal) -> None:
        super().__init__(f"{requested} exceeds the balance of {balance}")
        self.requested = requested
        self.balance = balance


class ReservationShortfall(Exception):
    """A reservation asked to release or spend more than the account holds reserved."""


@dataclass(frozen=True, slots=True)
class Lot:
    id: uuid.UUID
    accrued_at: datetime
    expires_at: datetime | None
    amount: Decimal
    remaining: Decimal
    # Until then the lot is pending: on the balance, not spendable (None: at once).
    available_at: datetime | None = None

    def burns_by(self, moment: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= moment and self.remaining > 0

    def pending_at(self, moment: datetime) -> bool:
        return self.available_at is not None and self.available_at > moment

    @property
    def available_from(self) -> datetime:
        """When the lot became (or becomes) spendable: write-offs take the earliest first."""
        return self.available_at or self.accrued_at

    def availability(self) -> tuple[datetime, datetime]:
        return (self.available_from, self.accrued_at)


@dataclass(frozen=True, slots=True)
class Operation:
    """One line of the operations table; `number` counts the account's operations."""

    id: uuid.UUID
    customer_id: uuid.UUID
    number: int
    occurred_at: datetime
    type: BonusOperationType
    event: BonusEvent
    amount: Decimal
    balance_after: Decimal
    receipt_id: uuid.UUID | None = None
    comment: str | None = None
    author: str | None = None
    expires_at: datetime | None = None
    recorded_at: datetime | None = None
    # An accrual's: when its bonuses may be spent (None: at once).
    available_at: datetime | None = None

    @property
    def recorded(self) -> datetime:
        return self.recorded_at or self.occurred_at

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.type is BonusOperationType.ACCRUAL else -self.amount


@dataclass(frozen=True, slots=True)
class Totals:
    """The account's statistics; `version` is the number of operations in its ledger."""

    balance: Decimal = ZERO
    accrued: Decimal = ZERO
    spent: Decimal = ZERO
    expired: Decimal = ZERO
    purchases: int = 0
    version: int = 0
    # Held by reservations; not a ledger figure, so changing it adds no operation.
    reserved: Decimal = ZERO
    # When the next open lot burns (None: nothing will), kept as lots open and change.
    next_expiry_at: datetime | None = None
    # How much burns then (None with it): what a reminder before the expiry tells.
    next_expiry_amount: Decimal | None = None
    # Accrued but not spendable yet (part of the balance), and when the next lot frees up.
    pending: Decimal = ZERO
    next_available_at: datetime | None = None
    # Money paid over the last 365 days, when it next falls, and the tier it reaches.
    spend: Decimal = ZERO
    spend_review_at: datetime | None = None
    tier_id: uuid.UUID | None = None
    tier_version: int = 0

    @property
    def available(self) -> Decimal:
        return self.balance - self.pending

    def with_pending(self, lot: Lot) -> "Totals":
        """The totals once a lot that is not spendable yet is added to `pending`."""
        known = self.next_available_at
        frees_at = lot.available_from if known is None else min(known, lot.available_from)
        return replace(self, pending=self.pending + lot.amount, next_available_at=frees_at)

    @property
    def spendable(self) -> Decimal:
        return self.balance - self.pending - self.reserved


@dataclass(frozen=True, slots=True)
class Note:
    """Who made an operation and why, and the receipt it belongs to."""

    receipt_id: uuid.UUID | None = None
    comment: str | None = None
    author: str | None = None
