"""Returns, the customer's figures and receipts list, late phones and erasure."""

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest

from clientcard_kit.db import Database
from clientcard_kit.events.kafka import KafkaPublisher

from .conftest import (
    NOW,
    a_return,
    delete_customer,
    events_of,
    phone,
    receipt,
    register_customer,
    rows,
    stored,
    tenant,
)
from .test_ingestion import api_key, post

pytestmark = pytest.mark.integration

FIGURES = """query($id: ID!, $first: Int, $after: String, $type: ReceiptType,
                   $from: DateTime, $to: DateTime) {
  _entities(representations: [{__typename: "Customer", id: $id}]) { ... on Customer {
    purchaseStats { purchases returns revenue averageCheck firstPurchaseAt lastPurchaseAt }
    receipts(first: $first, after: $after, type: $type, from: $from, to: $to) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { number type total originalReceipt { number } customer { id } } }
    }
  } }
}"""


async def figures(call: Any, customer_id: str, **arguments: object) -> dict[str, Any]:
    result = await call(FIGURES, id=customer_id, **arguments)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["_entities"][0]
    return found


async def test_partial_and_several_returns_up_to_the_sale_and_no_further(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop, number = tenant(), phone()
    customer_id = await register_customer(kafka, db, shop, number)
    secret = await api_key(as_tenant, shop)
    customer = {"phone": number}
    sale = await post(client, secret, receipt(shop, "S-1", customer))
    sale_id = sale.json()["id"]

    first = await post(client, secret, a_return(shop, "X-1", "S-1", customer, "100.00"))
    second = await post(client, secret, a_return(shop, "X-2", "S-1", customer, "150.00"))
    assert (first.status_code, second.status_code) == (201, 201)
    over = await post(client, secret, a_return(shop, "X-3", "S-1", customer, "50.01"))
    assert over.status_code == 422
    assert over.json()["problems"][0]["path"] == "total"
    assert "only 50.00 of sale S-1" in over.json()["problems"][0]["message"]
    # A resend of an accepted return is still a resend, not an over-return.
    resent = await post(client, secret, a_return(shop, "X-2", "S-1", customer, "150.00"))
    assert (resent.status_code, resent.json()["id"]) == (200, second.json()["id"])
    rest = await post(client, secret, a_return(shop, "X-4", "S-1", customer, "50.00"))
    assert rest.status_code == 201
    of_a_return = await post(client, secret, a_return(shop, "X-5", "X-1", customer, "1.00"))
    assert "not a SALE" in of_a_return.json()["problems"][0]["message"]
    assert await stored(db, shop, "X-3") == []

    shares = []
    for response in (first, second, rest):
        (event,) = await events_of(db, shop, response.json()["id"])
        assert event["originalReceiptId"] == sale_id
        shares.append((event["returnedShare"], event["returnedShareSoFar"]))
    assert shares == [("0.333333", "0.333333"), ("0.500000", "0.833333"), ("0.166667", "1.000000")]
    (sale_row,) = await stored(db, shop, "S-1")
    assert sale_row.returned_total == sale_row.total

    found = await figures(as_tenant(shop, "VIEWER"), customer_id)
    stats = found["purchaseStats"]
    assert (stats["purchases"], stats["returns"]) == (1, 3)
    assert (stats["revenue"], stats["averageCheck"]) == ("0.00", "0.00")
    returns = await figures(as_tenant(shop, "VIEWER"), customer_id, type="RETURN")
    listed = returns["receipts"]["edges"]
    assert returns["receipts"]["totalCount"] == 3
    assert {edge["node"]["originalReceipt"]["number"] for edge in listed} == {"S-1"}


async def test_figures_and_the_receipts_list_newest_first_filtered_and_paged(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop, number = tenant(), phone()
    customer_id = await register_customer(kafka, db, shop, number)
    secret = await api_key(as_tenant, shop)
    days = [5, 3, 1]
    for n, days_ago in enumerate(days):
        at = (NOW - timedelta(days=days_ago)).isoformat()
        document = receipt(shop, f"S-{n}", {"id": customer_id}, purchasedAt=at)
        assert (await post(client, secret, document)).status_code == 201
    refund = a_return(shop, "X-1", "S-0", {"id": customer_id}, "60.00")
    refund["purchasedAt"] = (NOW - timedelta(days=2)).isoformat()
    assert (await post(client, secret, refund)).status_code == 201

    call = as_tenant(shop, "VIEWER")
    found = await figures(call, customer_id)
    stats = found["purchaseStats"]
    assert (stats["purchases"], stats["returns"], stats["revenue"]) == (3, 1, "840.00")
    assert stats["averageCheck"] == "280.00"
    assert stats["firstPurchaseAt"].startswith((NOW - timedelta(days=5)).date().isoformat())
    assert stats["lastPurchaseAt"].startswith((NOW - timedelta(days=1)).date().isoformat())
    numbers = [edge["node"]["number"] for edge in found["receipts"]["edges"]]
    assert numbers == ["S-2", "X-1", "S-1", "S-0"]
    assert found["receipts"]["edges"][0]["node"]["customer"] == {"id": customer_id}

    page = (await figures(call, customer_id, first=2))["receipts"]
    assert [e["node"]["number"] for e in page["edges"]] == ["S-2", "X-1"]
    assert page["pageInfo"]["hasNextPage"]
    assert page["totalCount"] == 4
    after = page["pageInfo"]["endCursor"]
    rest = (await figures(call, customer_id, first=2, after=after))["receipts"]
    assert [e["node"]["number"] for e in rest["edges"]] == ["S-1", "S-0"]
    assert not rest["pageInfo"]["hasNextPage"]

    window = {
        "from": (NOW - timedelta(days=4)).isoformat(),
        "to": (NOW - timedelta(days=2)).isoformat(),
    }
    sales = (await figures(call, customer_id, type="SALE", **window))["receipts"]
    assert [e["node"]["number"] for e in sales["edges"]] == ["S-1"]
    assert sales["totalCount"] == 1

    nobody = await figures(call, "00000000-0000-0000-0000-000000000000")
    assert nobody["purchaseStats"]["averageCheck"] == "0.00"
    assert nobody["receipts"]["totalCount"] == 0


async def test_a_receipt_for_an_unknown_phone_waits_and_is_linked_on_registration(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop, number = tenant(), phone()
    secret = await api_key(as_tenant, shop)
    sale = await post(client, secret, receipt(shop, "S-1", {"phone": number}))
    refund = await post(client, secret, a_return(shop, "X-1", "S-1", {"phone": number}, "100.00"))
    assert (sale.status_code, refund.status_code) == (202, 202)
    assert sale.json()["status"] == refund.json()["status"] == "WAITING_FOR_CUSTOMER"
    sale_id, refund_id = sale.json()["id"], refund.json()["id"]
    # Sent again while it waits: the same receipt, still waiting.
    again = await post(client, secret, receipt(shop, "S-1", {"phone": number}))
    assert (again.status_code, again.json()["id"], again.json()["created"]) == (
        202,
        sale_id,
        False,
    )
    assert await events_of(db, shop, sale_id) == []
    (waiting,) = await stored(db, shop, "S-1")
    assert (waiting.customer_id, waiting.waiting_phone) == (None, number)

    customer_id = await register_customer(kafka, db, shop, number)

    (sale_event,) = await events_of(db, shop, sale_id)
    (refund_event,) = await events_of(db, shop, refund_id)
    assert sale_event["customerId"] == refund_event["customerId"] == customer_id
    assert sale_event["purchaseStats"]["version"] == 1
    assert refund_event["purchaseStats"]["version"] == 2
    assert refund_event["purchaseStats"]["revenue"] == "200.00"
    found = await figures(as_tenant(shop, "VIEWER"), customer_id)
    assert found["receipts"]["totalCount"] == 2
    # The same registration delivered again links nothing twice.
    await register_customer(kafka, db, shop, number)
    assert len(await events_of(db, shop, sale_id)) == 1


async def test_erasure_detaches_and_anonymises_and_tenant_figures_stay(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop, number = tenant(), phone()
    customer_id = await register_customer(kafka, db, shop, number)
    secret = await api_key(as_tenant, shop)
    assert (await post(client, secret, receipt(shop, "S-1", {"phone": number}))).status_code == 201

    await delete_customer(kafka, db, shop, customer_id)

    (row,) = await stored(db, shop, "S-1")
    assert (row.customer_id, row.waiting_phone, row.total) == (None, None, 300)
    found = await figures(as_tenant(shop, "VIEWER"), customer_id)
    assert found["purchaseStats"]["purchases"] == 0
    assert found["receipts"]["totalCount"] == 0
    (total,) = await rows(db, shop, "SELECT sum(total) AS revenue FROM receipts")
    assert total.revenue == 300
    # The erased customer's id names nobody any more.
    again = await post(client, secret, receipt(shop, "S-2", {"id": customer_id}))
    assert again.json()["problems"][0]["path"] == "customer.id"


async def test_concurrent_resends_and_returns_never_double_or_over_return(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop, number = tenant(), phone()
    await register_customer(kafka, db, shop, number)
    secret = await api_key(as_tenant, shop)
    customer = {"phone": number}
    sale = receipt(shop, "S-1", customer)

    sent = await asyncio.gather(*(post(client, secret, sale) for _ in range(8)))
    assert sorted(response.status_code for response in sent) == [200] * 7 + [201]
    assert len({response.json()["id"] for response in sent}) == 1
    assert len(await events_of(db, shop, sent[0].json()["id"])) == 1

    returns = [a_return(shop, f"X-{n}", "S-1", customer, "100.00") for n in range(5)]
    answers = await asyncio.gather(*(post(client, secret, body) for body in returns))
    assert sorted(response.status_code for response in answers) == [201] * 3 + [422] * 2
    (stored_sale,) = await stored(db, shop, "S-1")
    assert stored_sale.returned_total == 300
    stats = (await figures(as_tenant(shop, "VIEWER"), str(stored_sale.customer_id)))[
        "purchaseStats"
    ]
    assert (stats["purchases"], stats["returns"], stats["revenue"]) == (1, 3, "0.00")
