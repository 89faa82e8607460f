"""A stored receipt written back as the POS document it came as (pos-receipt.schema.json).

A receipt that waited too long for its customer leaves for the dead letters as what a
POS would send: once the cause is fixed, replaying it stores it like any POS message.
"""

from typing import Any

from clientcard_contracts.enums import ReceiptType
from clientcard_receipts.domain.records import Receipt


def pos_document(receipt: Receipt, original_number: str | None = None) -> dict[str, Any]:
    customer: dict[str, str] = (
        {"id": str(receipt.waiting_customer_id)}
        if receipt.waiting_customer_id
        else {"phone": receipt.waiting_phone or ""}
    )
    document: dict[str, Any] = {
        "tenantId": receipt.tenant_id,
        "posId": receipt.pos_id,
        "outletId": receipt.outlet_id,
        "number": receipt.number,
        "type": receipt.type.value,
        "purchasedAt": receipt.purchased_at.isoformat(),
        "customer": customer,
        "items": [
            {
                **({"sku": item.sku} if item.sku is not None else {}),
                "name": item.name,
                "quantity": format(item.quantity, "f"),
                "price": format(item.price, "f"),
                "amount": format(item.amount, "f"),
            }
            for item in receipt.items
        ],
        "total": format(receipt.total, "f"),
        "bonusesSpent": format(receipt.bonuses_spent, "f"),
        "paid": format(receipt.paid, "f"),
    }
    if receipt.type is ReceiptType.RETURN and original_number is not None:
        document["originalNumber"] = original_number
    if receipt.bonus_reservation_id is not None:
        document["bonusReservationId"] = str(receipt.bonus_reservation_id)
    return document
