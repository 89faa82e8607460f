"""The rules every receipt keeps, whichever way it arrives (Kafka, HTTP or by hand)."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.phone import InvalidPhone
from clientcard_contracts.pos import PosCustomer, PosReceipt, Problem
from clientcard_contracts.pos_rules import check_receipt_consistency, normalized_phone
from clientcard_receipts.domain.records import Receipt

# Tills' clocks drift; a receipt further ahead of ours than this is refused as a mistake.
CLOCK_SKEW = timedelta(minutes=10)
SHARE_STEP = Decimal("0.000001")


def consistency_problems(receipt: PosReceipt, now: datetime) -> list[Problem]:
    """What breaks the rules across fields: amounts, return naming, phone, future time."""
    return check_receipt_consistency(receipt, not_after=now + CLOCK_SKEW)


@dataclass(frozen=True, slots=True)
class CustomerName:
    """How a receipt names its customer: by id, or by an E.164 phone."""

    id: uuid.UUID | None = None
    phone: str | None = None


def customer_name(customer: PosCustomer) -> CustomerName | Problem:
    if customer.id is not None:
        try:
            return CustomerName(id=uuid.UUID(customer.id))
        except ValueError:
            return Problem("customer.id", f"{customer.id!r} is not a customer id")
    try:
        return CustomerName(phone=normalized_phone(customer.phone or ""))
    except InvalidPhone as exc:
        return Problem("customer.phone", str(exc))


def return_problems(receipt: PosReceipt, sale: Receipt | None) -> list[Problem]:
    """A RETURN gives back part of an existing SALE of the same POS, never more than is left."""
    if sale is None:
        return [
            Problem(
                "originalNumber",
                f"POS {receipt.pos_id} has no receipt {receipt.original_number}",
            )
        ]
    if sale.type is not ReceiptType.SALE:
        return [Problem("originalNumber", f"receipt {sale.number} is not a SALE")]
    left = sale.total - sale.returned_total
    if receipt.total > left:
        return [
            Problem(
                "total",
                f"returns {receipt.total} but only {left} of sale {sale.number} "
                f"({sale.total}) is left to return",
            )
        ]
    return []


@dataclass(frozen=True, slots=True)
class ReturnedShares:
    this_return: Decimal
    so_far: Decimal


def returned_shares(sale: Receipt, returned: Decimal) -> ReturnedShares:
    """The part of the sale this return gives back, and all its returns with this one."""
    after = sale.returned_total + returned
    if sale.total == 0:
        # Nothing was paid: any return of it gives back the whole of it.
        return ReturnedShares(Decimal(1), Decimal(1))
    so_far = Decimal(1) if after == sale.total else _share(after / sale.total)
    return ReturnedShares(_share(returned / sale.total), so_far)


def _share(value: Decimal) -> Decimal:
    return value.quantize(SHARE_STEP, rounding=ROUND_HALF_UP)
