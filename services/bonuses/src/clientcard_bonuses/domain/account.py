"""What a bonus account is made of: lots of accrued bonuses, the operations of its ledger,
its totals, and the note an operation carries. The rules that change them are `ledger`."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from clientcard_bonuses.domain.money import ZERO
from clientcard_contracts.enums import BonusEvent, BonusOperationType


@dataclass(frozen=True, slots=True)
class Lot:
    id: uuid.UUID
    accrued_at: datetime
    expires_at: datetime | None
    amount: Decimal
    remaining: Decimal

    def burns_by(self, moment: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= moment and self.remaining > 0


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

    @property
    def spendable(self) -> Decimal:
        return self.balance - self.reserved


@dataclass(frozen=True, slots=True)
class Note:
    """Who made an operation and why, and the receipt it belongs to."""

    receipt_id: uuid.UUID | None = None
    comment: str | None = None
    author: str | None = None
