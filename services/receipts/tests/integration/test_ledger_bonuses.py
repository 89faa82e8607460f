"""Each receipt answers the bonuses the ledger made of it, from the ledger's own events."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.events.bonuses import ReceiptBonusesApplied
from clientcard_kit.db import Database
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.testing import processed, publish_events

from .conftest import a_return, phone, receipt, register_customer, tenant
from .test_ingestion import api_key, post

pytestmark = pytest.mark.integration

RECEIPTS = """query($id: ID!) {
  _entities(representations: [{__typename: "Customer", id: $id}]) { ... on Customer {
    receipts(first: 10) { edges { node { number bonusesSpent bonusesAccrued } } }
  } }
}"""
BY_REFERENCE = """query($ids: [_Any!]!) {
  _entities(representations: $ids) { ... on Receipt { id bonusesSpent bonusesAccrued } }
}"""


def applied(
    shop: str, customer_id: str, receipt_id: str, receipt_type: ReceiptType, **money: str
) -> ReceiptBonusesApplied:
    """The ledger's event for a receipt; amounts not given are zero."""
    amounts = {
        name: Decimal(money.get(name, "0"))
        for name in (
            "requested_spent",
            "spent",
            "accrued",
            "accrual_reversed",
            "spent_refunded",
            "balance_after",
        )
    }
    return ReceiptBonusesApplied(
        tenant_id=shop,
        customer_id=uuid.UUID(customer_id),
        occurred_at=datetime.now(UTC),
        receipt_id=uuid.UUID(receipt_id),
        receipt_type=receipt_type,
        **amounts,
    )


async def a_customers_till(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> tuple[str, str, Callable[[dict[str, Any]], Awaitable[str]]]:
    """A shop, a customer registered there, and its till: sends a receipt, answers its id."""
    shop = tenant()
    customer_id = await register_customer(kafka, db, shop, phone())
    secret = await api_key(as_tenant, shop)

    async def till(document: dict[str, Any]) -> str:
        stored = await post(client, secret, document)
        assert stored.status_code == 201, stored.text
        receipt_id: str = stored.json()["id"]
        return receipt_id

    return shop, customer_id, till


def sale_spending_50(shop: str, customer_id: str, sale_id: str) -> ReceiptBonusesApplied:
    """The ledger's word on a sale that spent the 50.00 asked and accrued 12.50."""
    return applied(
        shop,
        customer_id,
        sale_id,
        ReceiptType.SALE,
        requested_spent="50",
        spent="50",
        accrued="12.50",
    )


async def card_receipts(as_tenant: Any, shop: str, customer_id: str) -> dict[str, tuple[str, str]]:
    result = await as_tenant(shop, "OWNER")(RECEIPTS, id=customer_id)
    assert "errors" not in result, result
    edges = result["data"]["_entities"][0]["receipts"]["edges"]
    return {
        edge["node"]["number"]: (edge["node"]["bonusesSpent"], edge["node"]["bonusesAccrued"])
        for edge in edges
    }


async def test_receipts_show_the_ledgers_bonuses_once_it_has_applied_them(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop, customer_id, till = await a_customers_till(as_tenant, client, kafka, db)
    sale_id = await till(receipt(shop, "S-1", {"id": customer_id}))
    return_id = await till(a_return(shop, "X-1", "S-1", {"id": customer_id}, "100.00"))

    # Before the ledger has said anything, a receipt moved no bonuses, as the ledger
    # itself answers for a receipt it has not applied (the till's 50.00 is only asked).
    assert await card_receipts(as_tenant, shop, customer_id) == {
        "S-1": ("0.00", "0.00"),
        "X-1": ("0.00", "0.00"),
    }

    events = [
        sale_spending_50(shop, customer_id, sale_id),
        applied(
            shop,
            customer_id,
            return_id,
            ReceiptType.RETURN,
            accrual_reversed="4.17",
            spent_refunded="16.67",
        ),
    ]
    await processed(db.url, await publish_events(kafka.bootstrap_servers, events))

    # A return's are what it took back and gave back: zero or below, as the ledger shows.
    assert await card_receipts(as_tenant, shop, customer_id) == {
        "S-1": ("50.00", "12.50"),
        "X-1": ("-16.67", "-4.17"),
    }
    # The gateway may ask for them by the receipt's key, as it asks the ledger.
    result = await as_tenant(shop, "OWNER")(
        BY_REFERENCE, ids=[{"__typename": "Receipt", "id": sale_id}]
    )
    assert result["data"]["_entities"] == [
        {"id": sale_id, "bonusesSpent": "50.00", "bonusesAccrued": "12.50"}
    ]


async def test_a_refused_redemption_shows_nothing_spent_and_the_last_word_wins(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop, customer_id, till = await a_customers_till(as_tenant, client, kafka, db)
    sale_id = await till(receipt(shop, "S-2", {"id": customer_id}))

    # The till asked for 50.00 the ledger refused: nothing spent, the accrual on all paid.
    refused = applied(
        shop, customer_id, sale_id, ReceiptType.SALE, requested_spent="50", accrued="15.00"
    )
    # In one batch with an event for a receipt this service does not hold: passed over.
    unknown = applied(shop, customer_id, str(uuid.uuid4()), ReceiptType.SALE, accrued="1")
    await processed(db.url, await publish_events(kafka.bootstrap_servers, [unknown, refused]))
    assert await card_receipts(as_tenant, shop, customer_id) == {"S-2": ("0.00", "15.00")}

    # The ledger's later word on the same receipt replaces the earlier one.
    corrected = sale_spending_50(shop, customer_id, sale_id)
    await processed(db.url, await publish_events(kafka.bootstrap_servers, [corrected]))
    assert await card_receipts(as_tenant, shop, customer_id) == {"S-2": ("50.00", "12.50")}
