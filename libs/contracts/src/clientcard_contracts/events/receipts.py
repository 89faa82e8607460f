"""Events of the receipts service, on topic `receipts.v1`."""

import uuid
from typing import ClassVar, Self

from pydantic import AwareDatetime, ConfigDict, Field, model_validator

from clientcard_contracts import topics
from clientcard_contracts.decimals import Quantity, Share
from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.events.base import CustomerEvent, EventPart
from clientcard_contracts.events.merging import CustomerMergeApplied
from clientcard_contracts.money import Money, NonNegativeMoney


class ReceiptLine(EventPart):
    sku: str | None = None
    name: str = Field(min_length=1, max_length=256)
    quantity: Quantity
    price: NonNegativeMoney
    amount: NonNegativeMoney


class PurchaseStats(EventPart):
    """The customer's purchase figures after this receipt, as the receipts service counts them.

    Absolute figures, so a consumer overwrites rather than adds; `version` grows by one
    with every receipt of the customer, so a consumer keeps the figures with the highest.
    """

    version: int = Field(ge=1)
    purchases: int = Field(ge=0)
    returns: int = Field(ge=0)
    # Signed: a return can be attributed to a customer other than the buyer of the sale.
    revenue: Money
    average_check: Money = Field(description="revenue / purchases; 0.00 with no purchases")
    first_purchase_at: AwareDatetime | None = None
    last_purchase_at: AwareDatetime | None = None


_RETURN_FIELDS = ("originalReceiptId", "returnedShare", "returnedShareSoFar")


class ReceiptRegistered(CustomerEvent):
    """A receipt of a customer was stored: a new sale or return from a POS or entered by hand.

    Published once per receipt (a resend from the POS publishes nothing), and for a receipt
    that named a phone nobody had registered, only once that customer registers. Bonuses
    redeems and accrues (or reverses for a return), messaging may schedule an NPS survey,
    customers takes the purchase figures.
    """

    TYPE: ClassVar[str] = "receipts.receipt.registered.v1"
    TOPIC: ClassVar[str] = topics.RECEIPTS

    # What the validator below checks, said in the exported JSON Schema too.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"type": {"const": ReceiptType.RETURN.value}}},
            "then": {
                "required": list(_RETURN_FIELDS),
                "properties": {name: {"not": {"type": "null"}} for name in _RETURN_FIELDS},
            },
            "else": {"properties": {name: {"type": "null"} for name in _RETURN_FIELDS}},
        }
    )

    receipt_id: uuid.UUID
    type: ReceiptType
    pos_id: str = Field(min_length=1, max_length=64)
    outlet_id: str = Field(min_length=1, max_length=64)
    number: str = Field(min_length=1, max_length=64)
    purchased_at: AwareDatetime
    items: tuple[ReceiptLine, ...] = Field(min_length=1, max_length=1000)
    total: NonNegativeMoney
    paid: NonNegativeMoney
    bonuses_spent: NonNegativeMoney = Field(
        description="Bonuses the POS asked to pay with; bonuses decides what is written off."
    )
    original_receipt_id: uuid.UUID | None = Field(
        default=None, description="RETURN only: the SALE receipt being returned."
    )
    returned_share: Share | None = Field(
        default=None, description="RETURN only: this return's total / the sale's total."
    )
    # The running share lets bonuses reverse round(accrued * share so far) minus what it has
    # reversed before, so rounding over several partial returns never leaves a cent behind.
    returned_share_so_far: Share | None = Field(
        default=None,
        description=(
            "RETURN only: the part of the sale returned by all its returns up to and "
            "including this one; exactly 1 once the sale is returned in full."
        ),
    )
    bonus_reservation_id: uuid.UUID | None = Field(
        default=None,
        description="SALE: the bonus reservation the till made for it, spent by this receipt.",
    )
    purchase_stats: PurchaseStats

    @model_validator(mode="after")
    def _return_names_its_sale(self) -> Self:
        return_fields = (self.original_receipt_id, self.returned_share, self.returned_share_so_far)
        if self.type is ReceiptType.RETURN and None in return_fields:
            raise ValueError(
                "a RETURN names originalReceiptId, returnedShare and returnedShareSoFar"
            )
        if self.type is ReceiptType.SALE and any(f is not None for f in return_fields):
            raise ValueError("only a RETURN names an original receipt and a returned share")
        return self

    def subject(self) -> str:
        return str(self.receipt_id)


class ReceiptsMergeApplied(CustomerMergeApplied):
    """Receipts moved the duplicate's receipts to the survivor and counted its figures
    again; `purchaseStats` is null when neither customer has a receipt."""

    TYPE: ClassVar[str] = "receipts.customer.merge.applied.v1"
    TOPIC: ClassVar[str] = topics.RECEIPTS

    purchase_stats: PurchaseStats | None = None
