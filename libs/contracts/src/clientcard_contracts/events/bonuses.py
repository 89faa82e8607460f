"""Events of the bonuses service, on topic `bonuses.v1`."""

import uuid
from decimal import Decimal
from typing import ClassVar

from pydantic import AwareDatetime, Field

from clientcard_contracts import topics
from clientcard_contracts.enums import (
    BonusEvent,
    BonusOperationType,
    BonusRejection,
    ReceiptType,
    ReservationStatus,
)
from clientcard_contracts.events.base import CustomerEvent, EventPart
from clientcard_contracts.events.merging import CustomerMergeApplied
from clientcard_contracts.money import NonNegativeMoney, PositiveMoney


class BonusAccountTotals(EventPart):
    """The customer's bonus account after the operation: the card's bonus statistics.

    Absolute figures, so a consumer overwrites rather than adds; `version` is the number
    of operations in the account's ledger, so a consumer keeps the figures with the highest.
    """

    version: int = Field(ge=1)
    balance: NonNegativeMoney = Field(description='"On account".')
    accrued: NonNegativeMoney = Field(description="Every bonus ever accrued.")
    spent: NonNegativeMoney = Field(description="Every bonus written off, by hand or at a till.")
    expired: NonNegativeMoney = Field(description='"Burned": bonuses left to expire.')
    next_expiry_at: AwareDatetime | None = Field(
        default=None,
        description="When the next of the account's bonuses burn; null when none will. "
        "Optional: events before it was added leave it out.",
    )
    next_expiry_amount: NonNegativeMoney | None = Field(
        default=None,
        description="How much burns at `nextExpiryAt`; null when nothing will. Optional: "
        "events before it was added leave it out.",
    )


class BonusTransactionRecorded(CustomerEvent):
    """An operation was added to a customer's bonus ledger: one line of the operations table.

    Customers takes the balance for the client list.
    """

    TYPE: ClassVar[str] = "bonuses.bonus.transaction.recorded.v1"
    TOPIC: ClassVar[str] = topics.BONUSES

    operation_id: uuid.UUID
    type: BonusOperationType
    event: BonusEvent
    amount: PositiveMoney = Field(description="Its direction is the operation's type.")
    balance_after: NonNegativeMoney
    receipt_id: uuid.UUID | None = Field(
        default=None, description="The receipt it was made for (events PURCHASE and RETURN)."
    )
    comment: str | None = None
    author: str | None = Field(default=None, description="Who made a MANUAL operation.")
    expires_at: AwareDatetime | None = Field(
        default=None, description="ACCRUAL: when this lot burns; null when it never does."
    )
    recorded_at: AwareDatetime | None = Field(
        default=None,
        description=(
            "When the ledger wrote the operation; `occurredAt` is when it happened for the "
            "customer (a purchase's or return's purchasedAt)."
        ),
    )
    account: BonusAccountTotals
    job_id: uuid.UUID | None = Field(
        default=None,
        description="The customers job (a bulk accrual) the operation was made for. "
        "Optional: only such operations carry it.",
    )

    def subject(self) -> str:
        return str(self.operation_id)


class RedemptionRejected(EventPart):
    reason: BonusRejection
    message: str = Field(min_length=1, description="What a person reading the card is told.")


class ReceiptBonusesApplied(CustomerEvent):
    """What a receipt did to the customer's bonuses, once per receipt.

    A SALE spends and accrues; a RETURN takes back its share of the sale's accrual and
    gives back its share of what the sale spent. When the bonuses a SALE asks to spend
    cannot be written off, `rejection` says why and the receipt spends nothing.
    """

    TYPE: ClassVar[str] = "bonuses.receipt.bonuses.applied.v1"
    TOPIC: ClassVar[str] = topics.BONUSES

    receipt_id: uuid.UUID
    receipt_type: ReceiptType
    requested_spent: NonNegativeMoney = Field(description="The receipt's bonusesSpent.")
    spent: NonNegativeMoney
    accrued: NonNegativeMoney
    accrual_reversed: NonNegativeMoney = Field(description="RETURN: taken back from the sale.")
    spent_refunded: NonNegativeMoney = Field(description="RETURN: given back as a new lot.")
    rejection: RedemptionRejected | None = None
    balance_after: NonNegativeMoney

    def subject(self) -> str:
        return str(self.receipt_id)

    @property
    def bonuses_accrued(self) -> Decimal:
        """The receipt's `bonusesAccrued` on the card: a RETURN's is what it took back."""
        return self.accrued if self.receipt_type is ReceiptType.SALE else -self.accrual_reversed

    @property
    def bonuses_spent(self) -> Decimal:
        """The receipt's `bonusesSpent` on the card: a RETURN's is what it gave back."""
        return self.spent if self.receipt_type is ReceiptType.SALE else -self.spent_refunded


class BonusReservationChanged(CustomerEvent):
    """A till reserved bonuses, or a reservation ended (spent, released or expired).

    While HELD, `amount` is out of the customer's spendable balance.
    """

    TYPE: ClassVar[str] = "bonuses.reservation.changed.v1"
    TOPIC: ClassVar[str] = topics.BONUSES

    reservation_id: uuid.UUID
    status: ReservationStatus
    amount: PositiveMoney
    total: NonNegativeMoney = Field(description="The sale the reservation was made for.")
    expires_at: AwareDatetime
    receipt_id: uuid.UUID | None = Field(
        default=None, description="The receipt that spent it (COMMITTED) or ended it."
    )

    def subject(self) -> str:
        return str(self.reservation_id)


class BonusesMergeApplied(CustomerMergeApplied):
    """Bonuses moved the duplicate's ledger (operations with their dates, lots,
    reservations, receipts' bonuses) to the survivor; `account` is the survivor's account
    after it, null when neither customer has one."""

    TYPE: ClassVar[str] = "bonuses.customer.merge.applied.v1"
    TOPIC: ClassVar[str] = topics.BONUSES

    account: BonusAccountTotals | None = None


class BonusTierChanged(CustomerEvent):
    """A customer's loyalty tier changed: by a receipt or a return, by purchases leaving
    the 365-day window, or because the program's tiers changed.

    `version` grows with every change of the customer's tier, so a consumer keeps the
    tier of the highest; `tierId` null means the customer is in no tier.
    """

    TYPE: ClassVar[str] = "bonuses.tier.changed.v1"
    TOPIC: ClassVar[str] = topics.BONUSES

    tier_id: uuid.UUID | None = None
    tier_name: str | None = Field(default=None, description="The tier's name when it changed.")
    version: int = Field(ge=1)

    def subject(self) -> str:
        return str(self.customer_id)
