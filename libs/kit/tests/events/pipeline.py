"""The outbox → Kafka → consumer pipeline as the event tests drive it.

Effects are counted in `visits`: the handler inserts a row with a fresh id for every event it
applies, so a second application of the same event shows as a second row.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.db import Database
from clientcard_kit.events.cloudevents import InvalidMessage
from clientcard_kit.events.consumer import ConsumerConfig, EventConsumer
from clientcard_kit.events.inbound import Handler, InboundMessage, cloudevent_decoder
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.testing import eventually
from clientcard_kit.unit_of_work import UnitOfWork

from .visits import VisitRecorded

TENANT = "salon-a"


def event_type_on(topic: str) -> type[VisitRecorded]:
    """The test event, published on this test's own topic."""
    return type("VisitRecordedHere", (VisitRecorded,), {"TOPIC": topic})


async def record_visit(session: AsyncSession, message: InboundMessage) -> None:
    visit = message.payload
    assert isinstance(visit, VisitRecorded)
    if visit.note == "refused":
        raise InvalidMessage("visits with the note 'refused' are not accepted")
    await session.execute(
        sa.text("INSERT INTO visits (id, tenant_id, note) VALUES (:id, :tenant, :note)"),
        {"id": uuid.uuid4().hex, "tenant": message.tenant_id, "note": visit.visit_id},
    )


def make_consumer(
    db: Database,
    publisher: KafkaPublisher,
    kafka_server: Any,
    topics: dict[str, str],
    *,
    handler: Handler = record_visit,
    group: str | None = None,
) -> EventConsumer:
    config = ConsumerConfig(
        name="visits",
        service="kittests",
        topics=[topics["events"]],
        group_id=group or f"kittests-{uuid.uuid4().hex[:8]}",
        dead_letter_topic=topics["dead_letters"],
        bootstrap_servers=kafka_server.bootstrap_servers,
        max_attempts=3,
    )
    return EventConsumer(
        config,
        db=db,
        publisher=publisher,
        decoder=cloudevent_decoder({VisitRecorded.TYPE: VisitRecorded}),
        handlers={VisitRecorded.TYPE: handler},
    )


async def visits(db: Database, tenant: str = TENANT) -> list[str]:
    """The visit ids applied, once per application."""
    async with db.transaction(tenant) as session:
        query = sa.text("SELECT note FROM visits ORDER BY note")
        return list((await session.scalars(query)).all())


async def publish_visits(db: Database, event: type[VisitRecorded], *visit_ids: str) -> None:
    async with UnitOfWork.for_tenant(db, tenant=TENANT, source="kittests") as uow:
        for visit_id in visit_ids:
            uow.publish(event(tenant_id=TENANT, customer_id="c-1", visit_id=visit_id))
        await uow.commit()


async def consume_until(consumer: EventConsumer, check: Callable[[], Awaitable[bool]]) -> None:
    await consumer.start()
    task = asyncio.create_task(consumer.run())
    try:
        await eventually(check)
    finally:
        consumer.stop()
        await task
        await consumer.close()


async def raw_messages(kafka_server: Any, topic: str, count: int) -> list[Any]:
    reader = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka_server.bootstrap_servers, auto_offset_reset="earliest"
    )
    await reader.start()
    try:
        found: list[Any] = []
        deadline = asyncio.get_running_loop().time() + 20
        while len(found) < count and asyncio.get_running_loop().time() < deadline:
            batches = await reader.getmany(timeout_ms=500)
            for records in batches.values():
                found.extend(records)
        return found
    finally:
        await reader.stop()


async def inbox_count(db: Database, expected: int) -> bool:
    async with db.transaction() as session:
        count = await session.scalar(sa.text("SELECT count(*) FROM inbox"))
    return bool(count == expected)


async def has_visit(db: Database, visit_id: str) -> bool:
    return visit_id in await visits(db)
