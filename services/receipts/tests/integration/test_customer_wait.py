"""A receipt for a client registered a second ago, for an id that is no one's, and for an
id nobody can confirm: linked at once, refused, or kept until the registration comes."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from clientcard_contracts import topics
from clientcard_kit.db import Database
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.internal import ServiceClient
from clientcard_receipts.commands.waiting import GIVEN_UP, give_up_on_late_customers
from clientcard_receipts.settings import ReceiptsSettings

from .conftest import (
    delete_customer,
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
from .test_ingestion import api_key, post

pytestmark = pytest.mark.integration

TILLS = 50


@pytest.fixture
async def customers_unreachable(app: Any, customers_service: Any) -> AsyncIterator[None]:
    """The customers service down: nothing listens where receipts asks."""
    runtime = app.state.runtime
    nobody = ServiceClient("http://127.0.0.1:9", runtime.internal_tokens, timeout=0.5)
    runtime.use_client(runtime.settings.customers_url, nobody)
    try:
        yield
    finally:
        await nobody.close()
        customers_service.serve(runtime)


async def test_a_client_registered_a_moment_ago_pays_at_once_over_http_and_kafka(
    as_tenant: Any,
    client: httpx.AsyncClient,
    kafka: KafkaPublisher,
    db: Database,
    customers_service: Any,
) -> None:
    shop = tenant()
    secret = await api_key(as_tenant, shop)
    # The registrations never reach receipts as events here: only the question does.
    over_http = [await customers_service.register(shop) for _ in range(TILLS)]
    answers = await asyncio.gather(
        *(
            post(client, secret, receipt(shop, f"H-{i}", {"id": str(customer)}))
            for i, customer in enumerate(over_http)
        )
    )
    assert {(a.status_code, a.json()["status"]) for a in answers} == {(201, "REGISTERED")}

    over_kafka = [await customers_service.register(shop) for _ in range(TILLS)]
    for i, customer in enumerate(over_kafka):
        await publish_pos(kafka, receipt(shop, f"K-{i}", {"id": str(customer)}))
    await wait_stored(db, shop, f"K-{TILLS - 1}")

    linked = await rows(
        db, shop, "SELECT number, customer_id FROM receipts WHERE customer_id IS NOT NULL"
    )
    expected = {f"H-{i}": c for i, c in enumerate(over_http)}
    expected |= {f"K-{i}": c for i, c in enumerate(over_kafka)}
    assert dict(linked) == expected  # none lost, none waiting, none doubled
    published = await rows(db, shop, "SELECT count(*) FROM outbox WHERE tenant_id = :t", t=shop)
    assert published[0][0] == 2 * TILLS


async def test_an_id_that_is_no_customer_is_refused_on_every_path(
    as_tenant: Any,
    client: httpx.AsyncClient,
    kafka: KafkaPublisher,
    db: Database,
    receipts_settings: ReceiptsSettings,
) -> None:
    shop, phantom = tenant(), str(uuid.uuid4())
    secret = await api_key(as_tenant, shop)
    refused = await post(client, secret, receipt(shop, "P-1", {"id": phantom}))
    assert refused.status_code == 422
    assert refused.json()["problems"] == [
        {"path": "customer.id", "message": f"no customer {phantom}"}
    ]
    await publish_pos(kafka, receipt(shop, "P-2", {"id": phantom}))

    async def dead_lettered() -> list[Any]:
        return await read_topic(
            receipts_settings.kafka_bootstrap_servers,
            topics.POS_RECEIPTS_DLQ,
            lambda r: (
                json.loads(r.value).get("number") == "P-2"
                and json.loads(r.value).get("tenantId") == shop
            ),
        )

    for _ in range(100):
        if await dead_lettered():
            break
        await asyncio.sleep(0.1)
    # At least once: a batch the broker hands out again (a rebalance) is refused again.
    letters = await dead_lettered()
    assert letters
    for letter in letters:
        assert f"no customer {phantom}" in dict(letter.headers)["dlq_reason"].decode()
    assert await rows(db, shop, "SELECT id FROM receipts") == []


async def test_unconfirmed_ids_wait_and_are_linked_when_the_registration_arrives(
    as_tenant: Any,
    client: httpx.AsyncClient,
    kafka: KafkaPublisher,
    db: Database,
    customers_unreachable: None,
) -> None:
    shop, customer = tenant(), uuid.uuid4()
    secret = await api_key(as_tenant, shop)
    document = receipt(shop, "W-1", {"id": str(customer)})
    first = await post(client, secret, document)
    assert (first.status_code, first.json()["status"]) == (202, "WAITING_FOR_CUSTOMER")
    again = await post(client, secret, document)
    assert (again.status_code, again.json()["id"], again.json()["created"]) == (
        202,
        first.json()["id"],
        False,
    )
    assert await events_of(db, shop, first.json()["id"]) == []
    (waiting,) = await stored(db, shop, "W-1")
    assert (waiting.customer_id, waiting.waiting_customer_id) == (None, customer)

    await register_customer(kafka, db, shop, "+79161234567", customer_id=customer)

    (event,) = await events_of(db, shop, first.json()["id"])
    assert event["customerId"] == str(customer)
    (linked,) = await stored(db, shop, "W-1")
    assert (linked.customer_id, linked.waiting_customer_id) == (customer, None)


async def test_a_receipt_nobody_confirms_in_time_goes_to_the_dead_letters(
    as_tenant: Any,
    app: Any,
    client: httpx.AsyncClient,
    db: Database,
    receipts_settings: ReceiptsSettings,
    customers_unreachable: None,
) -> None:
    shop, customer = tenant(), uuid.uuid4()
    secret = await api_key(as_tenant, shop)
    document = receipt(shop, "L-1", {"id": str(customer)}, bonusReservationId=str(uuid.uuid4()))
    assert (await post(client, secret, document)).status_code == 202
    runtime = app.state.runtime
    before = GIVEN_UP._value.get()

    # Not yet: it has waited less than the waiting time.
    assert await give_up_on_late_customers(runtime, datetime.now(UTC)) == 0
    later = datetime.now(UTC) + timedelta(seconds=receipts_settings.customer_wait_seconds + 1)
    given_up = await asyncio.gather(
        give_up_on_late_customers(runtime, later), give_up_on_late_customers(runtime, later)
    )
    # Two replicas at once send it once.
    assert sorted(given_up) == [0, 1]
    assert GIVEN_UP._value.get() - before == 1
    assert await stored(db, shop, "L-1") == []

    (letter,) = await read_topic(
        receipts_settings.kafka_bootstrap_servers,
        topics.POS_RECEIPTS_DLQ,
        lambda r: json.loads(r.value).get("tenantId") == shop,
    )
    # The POS document as it was sent, and why it is there.
    assert json.loads(letter.value) == document
    reason = dict(letter.headers)["dlq_reason"].decode()
    assert f"no customer {customer} registered within the waiting time" in reason


async def test_the_erasure_wins_over_a_receipt_waiting_for_its_customer(
    app: Any,
    as_tenant: Any,
    client: httpx.AsyncClient,
    kafka: KafkaPublisher,
    db: Database,
    customers_service: Any,
    customers_unreachable: None,
) -> None:
    shop, customer = tenant(), uuid.uuid4()
    secret = await api_key(as_tenant, shop)
    waiting = await post(client, secret, receipt(shop, "E-1", {"id": str(customer)}))
    assert waiting.status_code == 202
    await register_customer(kafka, db, shop, "+79161230000", customer_id=customer)
    await delete_customer(kafka, db, shop, str(customer))
    # Linked when the registration came, then no one's once the erasure did.
    (kept,) = await stored(db, shop, "E-1")
    assert (kept.customer_id, kept.waiting_customer_id) == (None, None)

    # A receipt that comes after the erasure is refused: no such customer any more.
    customers_service.serve(app.state.runtime)  # the customers service is back
    late = await post(client, secret, receipt(shop, "E-2", {"id": str(customer)}))
    assert late.status_code == 422
    assert late.json()["problems"][0]["message"] == f"no customer {customer}"


async def test_a_registration_older_than_what_the_customers_service_said_links_no_old_phone(
    as_tenant: Any,
    client: httpx.AsyncClient,
    kafka: KafkaPublisher,
    db: Database,
    customers_service: Any,
) -> None:
    shop, first_phone, new_phone = tenant(), phone(), phone()
    secret = await api_key(as_tenant, shop)
    customer = await customers_service.register(shop, first_phone)
    await customers_service.change_phone(shop, customer, new_phone)
    # The till finds the customer by the new phone: the customers service said so (its
    # version 2), before this service read any of the customer's events.
    paid = await post(client, secret, receipt(shop, "NEW-1", {"phone": new_phone}))
    assert (paid.status_code, paid.json()["status"]) == (201, "REGISTERED")
    stray = await post(client, secret, receipt(shop, "OLD-1", {"phone": first_phone}))
    assert (stray.status_code, stray.json()["status"]) == (202, "WAITING_FOR_CUSTOMER")
    # Now the registration (version 1, the first phone) arrives: older than what is known.
    await register_customer(kafka, db, shop, first_phone, customer)
    linked = await rows(
        db, shop, "SELECT number FROM receipts WHERE customer_id = :c ORDER BY number", c=customer
    )
    assert [number for (number,) in linked] == ["NEW-1"]
