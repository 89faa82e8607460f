"""POS receipt documents: valid ones, and one of every way to break the schema."""

from typing import Any

SALE: dict[str, Any] = {
    "tenantId": "salon-on-lenina",
    "posId": "till-1",
    "outletId": "lenina-5",
    "number": "000123",
    "type": "SALE",
    "purchasedAt": "2025-03-14T15:30:00+03:00",
    "customer": {"phone": "+79123456789"},
    "items": [
        {"sku": "SH-200", "name": "Shampoo", "quantity": "2", "price": "450", "amount": "900.00"},
        {"name": "Haircut", "quantity": "1", "price": "1500.00", "amount": "1500.00"},
    ],
    "total": "2400.00",
    "bonusesSpent": "100",
    "paid": "2300.00",
}
RETURN: dict[str, Any] = {
    **SALE,
    "number": "000124",
    "type": "RETURN",
    "originalNumber": "000123",
    "items": [SALE["items"][0]],
    "total": "900.00",
    "bonusesSpent": "0",
    "paid": "900.00",
}
ITEM = SALE["items"][1]


def changed(document: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**document, **fields}


def without(document: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: value for name, value in document.items() if name not in names}


def with_item(**fields: Any) -> dict[str, Any]:
    return changed(SALE, items=[{**ITEM, **fields}])


VALID: dict[str, Any] = {
    "sale by phone": SALE,
    "sale by customer id": changed(SALE, customer={"id": "7b0c8a52-51f6-4d2e-9a43-5f3f2b7d9c01"}),
    "return": RETURN,
    "no bonusesSpent": without(SALE, "bonusesSpent"),
    "no sku": changed(SALE, items=[without(SALE["items"][0], "sku")]),
    "utc time with Z": changed(SALE, purchasedAt="2025-03-14T12:30:00Z"),
    "fractions of a second": changed(SALE, purchasedAt="2025-03-14T12:30:00.123456789+00:00"),
    "weighed goods": with_item(quantity="0.125"),
    "1000 items": changed(SALE, items=[ITEM] * 1000),
    "64-character ids": changed(SALE, tenantId="t" * 64, number="9" * 64),
    "256-character item name": with_item(name="n" * 256),
    # Inconsistent amounts break a rule, not the schema.
    "total not the sum": changed(SALE, total="1.00"),
}

INVALID: dict[str, Any] = {
    "not an object": [SALE],
    "tenantId missing": without(SALE, "tenantId"),
    "posId missing": without(SALE, "posId"),
    "items missing": without(SALE, "items"),
    "paid missing": without(SALE, "paid"),
    "purchasedAt missing": without(SALE, "purchasedAt"),
    "unknown field": changed(SALE, cashier="Olga"),
    "python field name": changed(without(SALE, "tenantId"), tenant_id="salon-on-lenina"),
    "unknown item field": with_item(discount="10"),
    "unknown customer field": changed(SALE, customer={"email": "anna@example.com"}),
    "customer with id and phone": changed(SALE, customer={"id": "c-1", "phone": "+79123456789"}),
    "customer with nothing": changed(SALE, customer={}),
    "customer id null": changed(SALE, customer={"id": None}),
    "customer not an object": changed(SALE, customer="+79123456789"),
    "empty tenantId": changed(SALE, tenantId=""),
    "65-character number": changed(SALE, number="9" * 65),
    "type unknown": changed(SALE, type="REFUND"),
    "type in lower case": changed(SALE, type="sale"),
    "originalNumber null": changed(RETURN, originalNumber=None),
    "purchasedAt without offset": changed(SALE, purchasedAt="2025-03-14T15:30:00"),
    "purchasedAt a date only": changed(SALE, purchasedAt="2025-03-14"),
    "purchasedAt month 13": changed(SALE, purchasedAt="2025-13-14T15:30:00Z"),
    "purchasedAt unix time": changed(SALE, purchasedAt=1741955400),
    "purchasedAt unix time string": changed(SALE, purchasedAt="1741955400"),
    "total a JSON number": changed(SALE, total=2400),
    "total a float": changed(SALE, total=2400.5),
    "total with three decimals": changed(SALE, total="2400.001"),
    "total negative": changed(SALE, total="-2400.00"),
    "total with an exponent": changed(SALE, total="24e2"),
    "total with spaces": changed(SALE, total=" 2400.00"),
    "bonusesSpent null": changed(SALE, bonusesSpent=None),
    "no items": changed(SALE, items=[]),
    "1001 items": changed(SALE, items=[ITEM] * 1001),
    "item name empty": with_item(name=""),
    "item name too long": with_item(name="n" * 257),
    "item sku null": with_item(sku=None),
    "item sku a number": with_item(sku=200),
    "quantity with four decimals": with_item(quantity="0.1255"),
    "quantity a number": with_item(quantity=1),
    "price with a comma": with_item(price="1500,00"),
    "amount missing": {**SALE, "items": [without(ITEM, "amount")]},
}
