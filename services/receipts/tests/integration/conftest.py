"""A running receipts service on the real PostgreSQL and Kafka, called over ASGI."""

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, TopicPartition

from clientcard_contracts import topics
from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_contracts.events.customers import CustomerDeleted, CustomerRegistered, Registration
from clientcard_contracts.topics import TOPICS
from clientcard_kit.db import Database
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.testing import (
    eventually,
    processed,
    publish_events,
    service_fixtures,
    service_settings,
)
from clientcard_receipts.service import SERVICE
from clientcard_receipts.settings import ReceiptsSettings

NOW = datetime.now(UTC).replace(microsecond=0)
PARTITIONS = {spec.name: spec.partitions for spec in TOPICS}


@pytest.fixture(scope="session")
async def receipts_settings(postgres_server: Any, kafka_server: Any) -> ReceiptsSettings:
    return await service_settings(
        ReceiptsSettings, SERVICE.migrations, postgres_server, kafka_server
    )


app, client, as_tenant = service_fixtures(SERVICE, "receipts_settings", confirms_customers=True)


@pytest.fixture(scope="session")
async def db(receipts_settings: ReceiptsSettings) -> AsyncIterator[Database]:
    database = Database(receipts_settings.database_url)
    yield database
    await database.dispose()


@pytest.fixture(scope="session")
async def kafka(receipts_settings: ReceiptsSettings) -> AsyncIterator[KafkaPublisher]:
    publisher = KafkaPublisher(receipts_settings.kafka_bootstrap_servers, client_id="tests")
    await publisher.start()
    yield publisher
    await publisher.stop()


def tenant() -> str:
    return f"shop-{uuid.uuid4().hex[:8]}"


def phone() -> str:
    return f"+7912{uuid.uuid4().int % 10_000_000:07d}"


def receipt(
    tenant_id: str, number: str, customer: dict[str, str], **changes: Any
) -> dict[str, Any]:
    """A valid POS receipt document: one line of 2 × 150.00."""
    document: dict[str, Any] = {
        "tenantId": tenant_id,
        "posId": "pos-1",
        "outletId": "shop-1",
        "number": number,
        "type": "SALE",
        "purchasedAt": (NOW - timedelta(hours=1)).isoformat(),
        "customer": customer,
        "items": [
            {"sku": "T-1", "name": "Чай", "quantity": "2", "price": "150.00", "amount": "300.00"}
        ],
        "total": "300.00",
        "bonusesSpent": "50.00",
        "paid": "250.00",
    }
    document.update(changes)
    return document


def a_return(
    tenant_id: str, number: str, original: str, customer: dict[str, str], amount: str
) -> dict[str, Any]:
    return receipt(
        tenant_id,
        number,
        customer,
        type="RETURN",
        originalNumber=original,
        items=[{"name": "Чай", "quantity": "1", "price": amount, "amount": amount}],
        total=amount,
        bonusesSpent="0",
        paid=amount,
    )


async def publish_pos(kafka: KafkaPublisher, document: dict[str, Any] | bytes) -> None:
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    await kafka.send(topics.POS_RECEIPTS, key=b"pos-1", value=body, headers=[])


async def register_customer(
    kafka: KafkaPublisher,
    db: Database,
    tenant_id: str,
    number: str,
    customer_id: uuid.UUID | None = None,
) -> str:
    """Announce a customer on customers.v1 as the customers service does; wait for it."""
    customer_id = customer_id or uuid.uuid4()
    event = CustomerRegistered(
        tenant_id=tenant_id,
        customer_id=customer_id,
        occurred_at=datetime.now(UTC),
        version=1,
        phone=number,
        gender=Gender.UNKNOWN,
        registration=Registration(
            registered_at=datetime.now(UTC), source=RegistrationSource.MANUAL
        ),
    )
    await processed(db.url, await publish_events(kafka.bootstrap_servers, [event]))
    return str(customer_id)


async def delete_customer(
    kafka: KafkaPublisher, db: Database, tenant_id: str, customer_id: str
) -> None:
    event = CustomerDeleted(
        tenant_id=tenant_id, customer_id=uuid.UUID(customer_id), occurred_at=datetime.now(UTC)
    )
    await processed(db.url, await publish_events(kafka.bootstrap_servers, [event]))


async def rows(db: Database, tenant_id: str, query: str, **params: object) -> list[Any]:
    """Rows of a query run as the tenant (row-level security applies)."""
    async with db.transaction(tenant_id) as session:
        return list((await session.execute(sa.text(query), params)).all())


async def stored(db: Database, tenant_id: str, number: str) -> list[Any]:
    return await rows(db, tenant_id, "SELECT * FROM receipts WHERE number = :number", number=number)


async def events_of(db: Database, tenant_id: str, receipt_id: str) -> list[dict[str, Any]]:
    """The receipt.registered events written for a receipt, oldest first."""
    async with db.transaction() as session:
        found = await session.execute(
            sa.text(
                "SELECT data FROM outbox WHERE tenant_id = :tenant "
                "AND data->>'receiptId' = :id ORDER BY seq"
            ),
            {"tenant": tenant_id, "id": receipt_id},
        )
        return [row.data for row in found]


async def wait_stored(db: Database, tenant_id: str, number: str) -> Any:
    async def there() -> bool:
        return bool(await stored(db, tenant_id, number))

    await eventually(there, what=f"receipt {number} to be stored")
    return (await stored(db, tenant_id, number))[0]


async def read_topic(bootstrap: str, topic: str, wanted: Any) -> list[Any]:
    """Every record of a topic (from the start) that `wanted(record)` accepts."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(PARTITIONS[topic])]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found: list[Any] = []
        while [p for p in partitions if await consumer.position(p) < ends[p]]:
            batches = await consumer.getmany(timeout_ms=500)
            found.extend(r for records in batches.values() for r in records if wanted(r))
        return found
    finally:
        await consumer.stop()
