"""A merge of two customers: the duplicate's receipts and figures become the survivor's,
once however often the merge arrives, and the answer carries the survivor's figures."""

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from clientcard_contracts.events.customers import CustomerMerged
from clientcard_kit.db import Database
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.testing import eventually, processed, publish_events

from .conftest import phone, receipt, register_customer, rows, tenant
from .test_ingestion import api_key, post
from .test_returns_and_figures import figures

pytestmark = pytest.mark.integration


async def _answers(db: Database, shop: str) -> list[dict[str, Any]]:
    async with db.transaction() as session:
        found = await session.execute(
            sa.text(
                "SELECT data FROM outbox WHERE tenant_id = :t "
                "AND event_type = 'receipts.customer.merge.applied.v1' ORDER BY seq"
            ),
            {"t": shop},
        )
        return [row.data for row in found]


async def test_the_duplicates_receipts_and_figures_move_to_the_survivor_once(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop, other = tenant(), tenant()
    survivor_phone, duplicate_phone = phone(), phone()
    survivor = await register_customer(kafka, db, shop, survivor_phone)
    duplicate = await register_customer(kafka, db, shop, duplicate_phone)
    stranger = await register_customer(kafka, db, other, phone())
    secret = await api_key(as_tenant, shop)
    for number, named in (("S-1", survivor_phone), ("D-1", duplicate_phone), ("D-2", duplicate)):
        key = "id" if named == duplicate else "phone"
        sent = await post(client, secret, receipt(shop, number, {key: named}, total="300.00"))
        assert sent.status_code == 201, sent.text
    stranger_secret = await api_key(as_tenant, other)
    await post(client, stranger_secret, receipt(other, "O-1", {"id": stranger}))

    merged = CustomerMerged(
        tenant_id=shop,
        customer_id=uuid.UUID(duplicate),
        occurred_at=datetime.now(UTC),
        survivor_id=uuid.UUID(survivor),
    )
    # The same merge under another merchant's name moves nothing of this shop's.
    foreign = merged.model_copy(update={"tenant_id": other})
    await processed(db.url, await publish_events(kafka.bootstrap_servers, [foreign]))
    assert (await figures(as_tenant(shop), survivor))["purchaseStats"]["purchases"] == 1
    assert (await figures(as_tenant(shop), duplicate))["receipts"]["totalCount"] == 2
    ids = await publish_events(kafka.bootstrap_servers, [merged])
    await publish_events(kafka.bootstrap_servers, [merged], [uuid.UUID(ids[0])])
    await publish_events(kafka.bootstrap_servers, [merged])
    await processed(db.url, ids)

    call = as_tenant(shop)
    card = await figures(call, survivor, first=10)
    assert card["purchaseStats"]["purchases"] == 3
    assert card["purchaseStats"]["revenue"] == "900.00"
    assert sorted(e["node"]["number"] for e in card["receipts"]["edges"]) == ["D-1", "D-2", "S-1"]
    assert {e["node"]["customer"]["id"] for e in card["receipts"]["edges"]} == {survivor}
    assert (await figures(call, duplicate))["receipts"]["totalCount"] == 0
    stranger_card = await figures(as_tenant(other), stranger)
    assert stranger_card["purchaseStats"]["purchases"] == 1

    async def answered() -> bool:
        return len(await _answers(db, shop)) >= 2

    await eventually(answered, what="both deliveries of the merge to be answered")
    first, second = await _answers(db, shop)
    assert first["customerId"] == survivor
    assert first["duplicateId"] == duplicate
    assert first["purchaseStats"]["purchases"] == 3
    assert first["purchaseStats"]["version"] > 1
    # A second merge of the same cards (another message) moves nothing more.
    assert second["purchaseStats"] == first["purchaseStats"]
    known = "SELECT id FROM known_customers WHERE phone = :p"
    assert await rows(db, shop, known, p=duplicate_phone) == []


async def test_a_till_naming_a_merged_duplicates_id_reaches_the_survivor(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop = tenant()
    survivor, duplicate, third = [await register_customer(kafka, db, shop, phone()) for _ in "abc"]
    secret = await api_key(as_tenant, shop)
    merged = CustomerMerged(
        tenant_id=shop,
        customer_id=uuid.UUID(duplicate),
        occurred_at=datetime.now(UTC),
        survivor_id=uuid.UUID(survivor),
    )
    await processed(db.url, await publish_events(kafka.bootstrap_servers, [merged]))

    # The till still keeps the duplicate's id: the receipt is the survivor's, not refused.
    sent = await post(client, secret, receipt(shop, "D-1", {"id": duplicate}, total="300.00"))
    assert (sent.status_code, sent.json()["status"]) == (201, "REGISTERED"), sent.text
    call = as_tenant(shop)
    assert (await figures(call, survivor))["purchaseStats"]["purchases"] == 1
    assert (await figures(call, duplicate))["receipts"]["totalCount"] == 0

    # The survivor merged on in turn: the duplicate's id follows to the last card.
    onward = merged.model_copy(
        update={"customer_id": uuid.UUID(survivor), "survivor_id": uuid.UUID(third)}
    )
    await processed(db.url, await publish_events(kafka.bootstrap_servers, [onward]))
    sent = await post(client, secret, receipt(shop, "D-2", {"id": duplicate}, total="300.00"))
    assert sent.status_code == 201, sent.text
    card = await figures(call, third, first=10)
    assert sorted(e["node"]["number"] for e in card["receipts"]["edges"]) == ["D-1", "D-2"]
    assert card["purchaseStats"]["revenue"] == "600.00"


async def test_a_merge_this_service_has_not_heard_of_yet_is_followed_all_the_same(
    as_tenant: Any, client: httpx.AsyncClient, customers_service: Any
) -> None:
    shop = tenant()
    survivor, duplicate = [await customers_service.register(shop) for _ in "ab"]
    # Merged in the customers service; its event has not reached this one.
    await customers_service.merge(shop, survivor, duplicate)
    secret = await api_key(as_tenant, shop)
    sent = await post(client, secret, receipt(shop, "D-1", {"id": str(duplicate)}))
    assert (sent.status_code, sent.json()["status"]) == (201, "REGISTERED"), sent.text
    card = await figures(as_tenant(shop), str(survivor))
    assert card["purchaseStats"]["purchases"] == 1
