"""One receipt whichever way it comes, however often: Kafka, HTTP and the mutation."""

import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from clientcard_contracts import topics
from clientcard_kit.app import create_service_app
from clientcard_kit.db import Database
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.testing import eventually, serving, started
from clientcard_receipts.service import SERVICE
from clientcard_receipts.settings import ReceiptsSettings

from .conftest import (
    NOW,
    a_return,
    events_of,
    phone,
    publish_pos,
    read_topic,
    receipt,
    register_customer,
    rows,
    stored,
    tenant,
    wait_stored,
)

pytestmark = pytest.mark.integration

CREATE_KEY = """mutation($outlet: String!, $pos: String!) {
  createPosApiKey(outletId: $outlet, posId: $pos) { secret apiKey { id outletId posId revokedAt } }
}"""
REGISTER = """mutation($input: ReceiptInput!) {
  registerReceipt(input: $input) { id number type total paid items { quantity amount } }
}"""


async def api_key(as_tenant: Any, tenant_id: str, pos: str = "pos-1") -> str:
    created = await as_tenant(tenant_id, "OWNER")(CREATE_KEY, outlet="shop-1", pos=pos)
    secret: str = created["data"]["createPosApiKey"]["secret"]
    return secret


async def post(client: httpx.AsyncClient, secret: str, body: Any) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await client.post(
        "/pos/v1/receipts",
        content=content,
        headers={"authorization": f"Bearer {secret}", "content-type": "application/json"},
    )


def manual(document: dict[str, Any]) -> dict[str, Any]:
    """The mutation's input for a POS document: the same fields without the tenant."""
    return {name: value for name, value in document.items() if name != "tenantId"}


async def test_one_receipt_and_one_event_over_kafka_http_and_graphql_and_resends(
    as_tenant: Any,
    client: httpx.AsyncClient,
    kafka: KafkaPublisher,
    db: Database,
    receipts_settings: ReceiptsSettings,
) -> None:
    shop, number = tenant(), phone()
    customer_id = await register_customer(kafka, db, shop, number)
    document = receipt(shop, "R-1", {"phone": number})
    secret = await api_key(as_tenant, shop)

    first = await post(client, secret, document)
    assert first.status_code == 201, first.text
    receipt_id = first.json()["id"]
    for _ in range(3):
        await publish_pos(kafka, document)
    again = await post(client, secret, {**document, "tenantId": shop})
    assert (again.status_code, again.json()) == (
        200,
        {"id": receipt_id, "created": False, "status": "REGISTERED"},
    )
    by_hand = await as_tenant(shop)(REGISTER, input=manual(document))
    assert by_hand["data"]["registerReceipt"]["id"] == receipt_id
    # Messages of one key stay in order: once the next one is stored, the resends were read.
    await publish_pos(kafka, receipt(shop, "R-2", {"phone": number}))
    await wait_stored(db, shop, "R-2")

    assert len(await stored(db, shop, "R-1")) == 1
    events = await events_of(db, shop, receipt_id)
    assert len(events) == 1
    event = events[0]
    assert (event["customerId"], event["type"], event["total"]) == (customer_id, "SALE", "300.00")
    assert (event["paid"], event["bonusesSpent"]) == ("250.00", "50.00")
    assert event["items"] == [
        {"sku": "T-1", "name": "Чай", "quantity": "2.000", "price": "150.00", "amount": "300.00"}
    ]
    assert event["purchaseStats"]["version"] == 1

    async def published_once() -> bool:
        found = await read_topic(
            receipts_settings.kafka_bootstrap_servers,
            topics.RECEIPTS,
            lambda record: dict(record.headers).get("ce_subject") == receipt_id.encode(),
        )
        return len(found) == 1

    await eventually(published_once, what="receipt.registered on receipts.v1")


async def test_a_resend_after_a_restart_answers_with_the_stored_receipt(
    as_tenant: Any, client: httpx.AsyncClient, receipts_settings: ReceiptsSettings, db: Database
) -> None:
    shop, number = tenant(), phone()
    document = receipt(shop, "R-1", {"phone": number})
    secret = await api_key(as_tenant, shop)
    receipt_id = (await post(client, secret, document)).json()["id"]

    restarted_settings = receipts_settings.model_copy(
        update={"consumers_enabled": False, "outbox_relay_enabled": False}
    )
    restarted = create_service_app(SERVICE, restarted_settings)
    async with started(restarted), serving(restarted, "receipts") as other:
        again = await post(other, secret, document)
    # Its phone is nobody's yet: stored, waiting, and so again after the restart.
    assert (again.status_code, again.json()["id"]) == (202, receipt_id)
    assert len(await stored(db, shop, "R-1")) == 1


def _problems(response: httpx.Response) -> set[str]:
    assert response.status_code == 422, response.text
    return {problem["path"] for problem in response.json()["problems"]}


async def test_http_refuses_every_kind_of_bad_receipt_and_lists_every_problem(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop, number = tenant(), phone()
    secret = await api_key(as_tenant, shop)
    good = receipt(shop, "R-1", {"phone": number})
    line = good["items"][0]
    future = (NOW + timedelta(days=1)).isoformat()
    cases: list[tuple[Any, set[str]]] = [
        (b"{not json", {""}),
        (b"[]", {""}),
        ({**good, "total": 300}, {"total"}),
        ({**good, "paid": "250.001"}, {"paid"}),
        ({**good, "color": "red"}, {"color"}),
        ({k: v for k, v in good.items() if k != "number"}, {"number"}),
        ({**good, "customer": {}}, {"customer"}),
        ({**good, "items": []}, {"items"}),
        ({**good, "items": [{**line, "quantity": "1.0001"}]}, {"items[0].quantity"}),
        ({**good, "total": "301.00", "paid": "1.00"}, {"total", "paid"}),
        ({**good, "purchasedAt": future}, {"purchasedAt"}),
        ({**good, "customer": {"phone": "12"}}, {"customer.phone"}),
        ({**good, "customer": {"id": str(uuid.uuid4())}}, {"customer.id"}),
        ({**good, "type": "RETURN"}, {"originalNumber"}),
        ({**good, "originalNumber": "R-0"}, {"originalNumber"}),
        (a_return(shop, "X-1", "NO-SUCH", {"phone": number}, "10.00"), {"originalNumber"}),
        ({**good, "tenantId": tenant()}, {"tenantId"}),
        ({**good, "posId": "pos-2"}, {"posId"}),
        ({**good, "outletId": "shop-2"}, {"outletId"}),
    ]
    for body, paths in cases:
        assert paths <= _problems(await post(client, secret, body)), body
    assert await rows(db, shop, "SELECT id FROM receipts") == []

    assert (await post(client, "ccpos.nothing.here", good)).status_code == 401
    unauthenticated = await client.post("/pos/v1/receipts", json=good)
    assert unauthenticated.status_code == 401
    # Well formed, for a phone nobody has registered yet: kept, waiting for that customer.
    assert (await post(client, secret, good)).status_code == 202


async def test_the_mutation_keeps_the_same_rules(
    as_tenant: Any, kafka: KafkaPublisher, db: Database
) -> None:
    shop, number = tenant(), phone()
    call = as_tenant(shop)
    good = manual(receipt(shop, "R-1", {"phone": number}))
    line = good["items"][0]
    future = (NOW + timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({**good, "total": "301.00", "paid": "1.00"}, {"input.total", "input.paid"}),
        ({**good, "purchasedAt": future}, {"input.purchasedAt"}),
        ({**good, "type": "RETURN", "originalNumber": "NO-SUCH"}, {"input.originalNumber"}),
        ({**good, "customer": {"phone": "12"}}, {"input.customer.phone"}),
        ({**good, "customer": {}}, {"input.customer"}),
        ({**good, "items": [{**line, "amount": "-300.00"}]}, {"input.items[0].amount"}),
    ]
    for given, paths in cases:
        result = await call(REGISTER, input=given)
        error = result["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", result
        assert paths <= {p["field"] for p in error["extensions"]["problems"]}, result
    # Three fraction digits are more than the contract's Decimal scalar takes.
    weighed = {**good, "items": [{**line, "quantity": "1.255"}]}
    refused = await call(REGISTER, input=weighed)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    viewer = await as_tenant(shop, "VIEWER")(REGISTER, input=good)
    assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await rows(db, shop, "SELECT id FROM receipts") == []

    created = (await call(REGISTER, input=good))["data"]["registerReceipt"]
    assert (created["type"], created["total"], created["paid"]) == ("SALE", "300.00", "250.00")
    assert created["items"] == [{"quantity": "2.00", "amount": "300.00"}]


async def test_a_bad_kafka_message_goes_to_the_dead_letters_and_the_next_is_stored(
    kafka: KafkaPublisher, db: Database, receipts_settings: ReceiptsSettings
) -> None:
    shop, number = tenant(), phone()
    inconsistent = json.dumps(receipt(shop, "BAD-1", {"phone": number}, total="1.00")).encode()
    garbage = f"not a receipt {uuid.uuid4()}".encode()
    await publish_pos(kafka, inconsistent)
    await publish_pos(kafka, garbage)
    await publish_pos(kafka, receipt(shop, "GOOD-1", {"phone": number}))
    weighed_line = {"name": "Сыр", "quantity": "0.345", "price": "1000.00", "amount": "345.00"}
    weighed = receipt(
        shop, "GOOD-2", {"phone": number}, items=[weighed_line], total="345.00", paid="295.00"
    )
    await publish_pos(kafka, weighed)

    await wait_stored(db, shop, "GOOD-1")
    assert (await wait_stored(db, shop, "GOOD-2")).items[0]["quantity"] == "0.345"
    assert await stored(db, shop, "BAD-1") == []
    dead = await read_topic(
        receipts_settings.kafka_bootstrap_servers,
        topics.POS_RECEIPTS_DLQ,
        lambda record: record.value in (inconsistent, garbage),
    )
    reasons = {record.value: dict(record.headers)["dlq_reason"].decode() for record in dead}
    assert set(reasons) == {inconsistent, garbage}
    assert "total 1.00 is not the sum of item amounts 300.00" in reasons[inconsistent]
    assert "not JSON" in reasons[garbage]


async def test_one_kafka_batch_keeps_the_rules_of_one_receipt_at_a_time(
    kafka: KafkaPublisher, db: Database, receipts_settings: ReceiptsSettings
) -> None:
    shop, number = tenant(), phone()
    customer_id = await register_customer(kafka, db, shop, number)
    customer = {"phone": number}
    over = a_return(shop, "X-3", "S-1", customer, "0.01")
    # Sent back to back, so the consumer reads them in one batch.
    for document in (
        receipt(shop, "S-1", customer),
        a_return(shop, "X-1", "S-1", customer, "100.00"),
        receipt(shop, "S-1", customer),
        a_return(shop, "X-2", "S-1", customer, "200.00"),
        over,
        receipt(shop, "S-2", customer),
    ):
        await publish_pos(kafka, document)
    await wait_stored(db, shop, "S-2")

    numbers = await rows(db, shop, "SELECT number FROM receipts ORDER BY number")
    assert [row.number for row in numbers] == ["S-1", "S-2", "X-1", "X-2"]
    (sale,) = await stored(db, shop, "S-1")
    assert sale.returned_total == 300
    versions = []
    for name in ("S-1", "X-1", "X-2", "S-2"):
        (row,) = await stored(db, shop, name)
        (event,) = await events_of(db, shop, str(row.id))
        assert event["customerId"] == customer_id
        versions.append(event["purchaseStats"]["version"])
    assert versions == [1, 2, 3, 4]
    body = json.dumps(over).encode()
    dead = await read_topic(
        receipts_settings.kafka_bootstrap_servers,
        topics.POS_RECEIPTS_DLQ,
        lambda record: record.value == body,
    )
    assert "only 0.00 of sale S-1" in dict(dead[0].headers)["dlq_reason"].decode()
