"""The `registerReceipt` input: the POS receipt of `pos-receipt.schema.json` without tenantId.

The input becomes the very document a POS would send, read by the same contract model, so
the mutation refuses what the POS paths refuse, with the same messages. Quantities: the
contract's `Decimal` scalar takes two fraction digits, so a weighed quantity with three
(0.345 kg) is refused here with BAD_USER_INPUT; POS systems send it over Kafka or HTTP.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry

from clientcard_contracts.enums import ReceiptType
from clientcard_kit.graphql.enums import ReceiptTypeType


@strawberry.input
class ReceiptCustomerInput:
    id: strawberry.ID | None = None
    phone: str | None = None


@strawberry.input
class ReceiptItemInput:
    sku: str | None = None
    name: str
    quantity: Decimal
    price: Decimal
    amount: Decimal


@strawberry.input
class ReceiptInput:
    pos_id: str
    outlet_id: str
    number: str
    type: ReceiptTypeType  # type: ignore[valid-type]
    original_number: str | None = None
    purchased_at: datetime
    customer: ReceiptCustomerInput
    items: list[ReceiptItemInput]
    total: Decimal
    bonuses_spent: Decimal | None = None
    paid: Decimal

    def document(self, tenant: str) -> dict[str, Any]:
        """The receipt as a POS would send it, for the caller's tenant."""
        document: dict[str, Any] = {
            "tenantId": tenant,
            "posId": self.pos_id,
            "outletId": self.outlet_id,
            "number": self.number,
            "type": ReceiptType(self.type).value,
            "originalNumber": self.original_number,
            "purchasedAt": self.purchased_at,
            "customer": _present({"id": self.customer.id, "phone": self.customer.phone}),
            "items": [
                _present(
                    {
                        "sku": item.sku,
                        "name": item.name,
                        "quantity": _text(item.quantity),
                        "price": _text(item.price),
                        "amount": _text(item.amount),
                    }
                )
                for item in self.items
            ],
            "total": _text(self.total),
            "bonusesSpent": _text(self.bonuses_spent),
            "paid": _text(self.paid),
        }
        return _present(document)


def _text(number: Decimal | None) -> str | None:
    return None if number is None else format(number, "f")


def _present(values: dict[str, Any]) -> dict[str, Any]:
    # The POS schema leaves optional fields out rather than sending null.
    return {name: value for name, value in values.items() if value is not None}
