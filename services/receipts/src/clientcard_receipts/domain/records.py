"""What the receipts service keeps: receipts with their lines, POS API keys, figures."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from clientcard_contracts.enums import ReceiptType


@dataclass(frozen=True, slots=True)
class ReceiptItem:
    sku: str | None
    name: str
    quantity: Decimal
    price: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Receipt:
    id: uuid.UUID
    tenant_id: str
    pos_id: str
    outlet_id: str
    number: str
    type: ReceiptType
    purchased_at: datetime
    items: tuple[ReceiptItem, ...]
    total: Decimal
    paid: Decimal
    bonuses_spent: Decimal
    # None while the receipt waits for its phone to register, and after the erasure.
    customer_id: uuid.UUID | None
    # The phone a receipt waits for; None once linked or erased.
    waiting_phone: str | None
    registered_at: datetime
    # The customer id a receipt waits for, when nobody could confirm it yet.
    waiting_customer_id: uuid.UUID | None = None
    # SALE: the bonuses the till reserved for it, which it spends.
    bonus_reservation_id: uuid.UUID | None = None
    original_receipt_id: uuid.UUID | None = None
    # A SALE: how much of it its returns have given back so far.
    returned_total: Decimal = Decimal(0)
    # A RETURN: its part of the sale, and the part of the sale returned up to it.
    returned_share: Decimal | None = None
    returned_share_so_far: Decimal | None = None
    # What the bonuses ledger made of it, as the card shows it; zero until it has.
    ledger_accrued: Decimal = Decimal(0)
    ledger_spent: Decimal = Decimal(0)

    @property
    def waiting(self) -> bool:
        """Kept until its customer is known: nothing of it has been published yet."""
        return self.customer_id is None and (
            self.waiting_phone is not None or self.waiting_customer_id is not None
        )


@dataclass(frozen=True, slots=True)
class LedgerBonuses:
    """What the bonuses ledger made of a receipt, signed as the card shows it."""

    receipt_id: uuid.UUID
    accrued: Decimal
    spent: Decimal


@dataclass(frozen=True, slots=True)
class PosApiKey:
    id: uuid.UUID
    outlet_id: str
    pos_id: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class PosCaller:
    """Who a valid POS API key speaks for."""

    tenant_id: str
    outlet_id: str
    pos_id: str
