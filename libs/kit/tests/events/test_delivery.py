"""Outbox → Kafka → idempotent consumer, against the real PostgreSQL and Kafka.

Effects are counted in `visits`: the handler inserts a row with a fresh id for every event it
applies, so a second application of the same event shows as a second row.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.db import Database
from clientcard_kit.events import cloudevents
from clientcard_kit.events.cloudevents import InvalidMessage
from clientcard_kit.events.consumer import ConsumerConfig, EventConsumer
from clientcard_kit.events.inbound import Handler, InboundMessage, cloudevent_decoder
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.outbox import OutboxRelay
from clientcard_kit.observability import metrics
from clientcard_kit.testing import eventually
from clientcard_kit.unit_of_work import UnitOfWork

from .visits import VisitRecorded

pytestmark = pytest.mark.integration

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


@pytest.fixture
async def publisher(kafka_server: Any) -> Any:
    kafka = KafkaPublisher(kafka_server.bootstrap_servers, client_id="kittests")
    await kafka.start()
    yield kafka
    await kafka.stop()


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


async def test_an_event_delivered_twice_has_its_effect_once(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    await publish_visits(db, event_type_on(topics["events"]), "v1")
    relay = OutboxRelay(db, publisher, service="kittests")
    assert await relay.relay_once() == 1
    # Deliver the very message a second time, as a producer retry or a replay would.
    [message] = await raw_messages(kafka_server, topics["events"], 1)
    await publisher.send(
        topics["events"], key=message.key, value=message.value, headers=list(message.headers)
    )

    consumer = make_consumer(db, publisher, kafka_server, topics)
    await consume_until(consumer, lambda: _inbox_count(db, 1))
    assert await visits(db) == ["v1"]
    assert len(await raw_messages(kafka_server, topics["events"], 2)) == 2


async def test_a_relay_that_dies_after_publishing_publishes_again_and_nothing_doubles(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    await publish_visits(db, event_type_on(topics["events"]), "v1", "v2")

    class DiesAfterPublishing(KafkaPublisher):
        """Publishes, then loses its database connection before marking rows published."""

        async def send_many(self, messages: Any) -> None:
            await publisher.send_many(messages)
            async with db.engine.connect() as admin:
                await admin.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "AND query ILIKE '%outbox%'"
                    )
                )

    crashing = OutboxRelay(
        db, DiesAfterPublishing(kafka_server.bootstrap_servers, client_id="x"), service="t"
    )
    with pytest.raises(Exception):  # noqa: B017, PT011 - the connection is gone, whatever the error
        await crashing.relay_once()
    restarted = OutboxRelay(db, publisher, service="kittests")
    assert await restarted.pending() == 2
    assert await restarted.relay_once() == 2
    assert await restarted.pending() == 0
    assert len(await raw_messages(kafka_server, topics["events"], 4)) == 4

    await consume_until(
        make_consumer(db, publisher, kafka_server, topics), lambda: _inbox_count(db, 2)
    )
    await asyncio.sleep(0.5)
    assert await visits(db) == ["v1", "v2"]


async def test_a_relay_that_cannot_reach_kafka_keeps_the_events_until_it_can(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    await publish_visits(db, event_type_on(topics["events"]), "v1")

    class KafkaAway(KafkaPublisher):
        async def send_many(self, messages: Any) -> None:
            raise ConnectionError("broker unreachable")

    with pytest.raises(ConnectionError):
        await OutboxRelay(db, KafkaAway("127.0.0.1:1", client_id="x"), service="t").relay_once()
    relay = OutboxRelay(db, publisher, service="kittests")
    assert await relay.relay_once() == 1
    [message] = await raw_messages(kafka_server, topics["events"], 1)
    event = cloudevents.decode(list(message.headers), message.value)
    assert event.type == VisitRecorded.TYPE
    assert event.tenant_id == TENANT
    assert event.data["visitId"] == "v1"
    assert message.key == b"c-1"


async def test_a_consumer_killed_before_committing_its_offset_does_not_repeat_effects(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    await publish_visits(db, event_type_on(topics["events"]), "v1", "v2", "v3")
    await OutboxRelay(db, publisher, service="kittests").relay_once()
    group = f"kittests-{uuid.uuid4().hex[:8]}"

    class KilledBeforeCommit(EventConsumer):
        async def _apply_partition(self, partition: Any, records: list[Any]) -> None:
            await self._apply_in_transaction(records)  # effects committed in PostgreSQL
            raise asyncio.CancelledError  # the process dies before the offset commit

    first = make_consumer(db, publisher, kafka_server, topics, group=group)
    killed = KilledBeforeCommit(
        first.config, db=db, publisher=publisher, decoder=first._decoder, handlers=first._handlers
    )
    await killed.start()
    with pytest.raises(asyncio.CancelledError):
        await killed.run()
    await killed.close()
    assert await visits(db) == ["v1", "v2", "v3"]

    again = make_consumer(db, publisher, kafka_server, topics, group=group)
    duplicates_before = _consumed("duplicate")
    await consume_until(again, lambda: _consumed_at_least("duplicate", duplicates_before + 3))
    assert await visits(db) == ["v1", "v2", "v3"]


async def test_a_malformed_message_goes_to_the_dead_letter_topic_and_the_next_is_processed(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    event = event_type_on(topics["events"])
    raw = AIOKafkaProducer(bootstrap_servers=kafka_server.bootstrap_servers)
    await raw.start()
    try:
        await raw.send_and_wait(topics["events"], b"{not json", key=b"c-1")
    finally:
        await raw.stop()
    await publish_visits(db, event, "v-refused-later")  # a schema-valid event
    async with UnitOfWork.for_tenant(db, tenant=TENANT, source="kittests") as uow:
        uow.publish(event(tenant_id=TENANT, customer_id="c-1", visit_id="v-x", note="refused"))
        await uow.commit()
    await publish_visits(db, event, "v-good")
    await OutboxRelay(db, publisher, service="kittests").relay_once()

    await consume_until(
        make_consumer(db, publisher, kafka_server, topics),
        lambda: _has_visit(db, "v-good"),
    )
    assert await visits(db) == ["v-good", "v-refused-later"]
    dead = await raw_messages(kafka_server, topics["dead_letters"], 2)
    reasons = [dict(message.headers)["dlq_reason"].decode() for message in dead]
    assert len(dead) == 2
    assert "not a CloudEvent" in reasons[0]
    assert dead[0].value == b"{not json"
    assert "refused" in reasons[1]
    assert dict(dead[1].headers)["dlq_source_topic"].decode() == topics["events"]


async def test_a_failing_handler_is_retried_and_its_partial_effects_rolled_back(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    await publish_visits(db, event_type_on(topics["events"]), "v1")
    await OutboxRelay(db, publisher, service="kittests").relay_once()
    attempts: list[int] = []

    async def flaky(session: AsyncSession, message: InboundMessage) -> None:
        await record_visit(session, message)
        attempts.append(1)
        if len(attempts) < 3:
            raise RuntimeError("a dependency hiccup")

    await consume_until(
        make_consumer(db, publisher, kafka_server, topics, handler=flaky),
        lambda: _inbox_count(db, 1),
    )
    assert len(attempts) == 3
    assert await visits(db) == ["v1"]


async def test_a_message_whose_handler_always_fails_is_dead_lettered_after_the_attempts(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    event = event_type_on(topics["events"])
    await publish_visits(db, event, "v-poison", "v-after")
    await OutboxRelay(db, publisher, service="kittests").relay_once()

    async def fails_on_poison(session: AsyncSession, message: InboundMessage) -> None:
        assert isinstance(message.payload, VisitRecorded)
        if message.payload.visit_id == "v-poison":
            raise KeyError("a bug in the handler")
        await record_visit(session, message)

    await consume_until(
        make_consumer(db, publisher, kafka_server, topics, handler=fails_on_poison),
        lambda: _has_visit(db, "v-after"),
    )
    [dead] = await raw_messages(kafka_server, topics["dead_letters"], 1)
    assert "handler failed 3 times: KeyError" in dict(dead.headers)["dlq_reason"].decode()


async def _inbox_count(db: Database, expected: int) -> bool:
    async with db.transaction() as session:
        count = await session.scalar(sa.text("SELECT count(*) FROM inbox"))
    return bool(count == expected)


async def _has_visit(db: Database, visit_id: str) -> bool:
    return visit_id in await visits(db)


def _consumed(outcome: str) -> float:
    from prometheus_client import REGISTRY

    value = REGISTRY.get_sample_value(
        "clientcard_events_consumed_total",
        {"service": "kittests", "consumer": "visits", "outcome": outcome},
    )
    return value or 0.0


async def _consumed_at_least(outcome: str, expected: float) -> bool:
    return _consumed(outcome) >= expected


async def test_housekeeping_forgets_expired_events_and_reports_the_backlog(
    db: Database, publisher: Any, topics: dict[str, str]
) -> None:
    event = event_type_on(topics["events"])
    await publish_visits(db, event, "old-1", "old-2", "recent")
    relay = OutboxRelay(db, publisher, service="housekeeping")
    assert await relay.relay_once() == 3
    await publish_visits(db, event, "waiting")
    async with db.engine.begin() as connection:
        await connection.execute(
            sa.text(
                "UPDATE outbox SET published_at = now() - interval '2 days' "
                "WHERE data->>'visitId' IN ('old-1', 'old-2')"
            )
        )

    await relay.housekeeping()

    async with db.engine.connect() as connection:
        left = await connection.scalars(sa.text("SELECT data->>'visitId' FROM outbox ORDER BY seq"))
        assert list(left) == ["recent", "waiting"]
    pending = metrics.OUTBOX_PENDING.labels("housekeeping")._value.get()
    assert pending == 1


async def test_a_message_that_cannot_succeed_is_dead_lettered_at_once_and_the_next_goes_on(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    event = event_type_on(topics["events"])
    await publish_visits(db, event, "v-overflow", "v-canary")
    await OutboxRelay(db, publisher, service="kittests").relay_once()
    attempts: list[str] = []

    async def overflows(session: AsyncSession, message: InboundMessage) -> None:
        assert isinstance(message.payload, VisitRecorded)
        attempts.append(message.payload.visit_id)
        if message.payload.visit_id == "v-overflow":
            # What an amount beyond numeric(14, 2) does: a DataError, every time.
            await session.execute(sa.text("SELECT CAST(1e15 AS numeric(14, 2))"))
        await record_visit(session, message)

    await consume_until(
        make_consumer(db, publisher, kafka_server, topics, handler=overflows),
        lambda: _has_visit(db, "v-canary"),
    )
    # Tried once, never again: no backoff holds the partition (max_attempts is 3 here).
    assert attempts.count("v-overflow") == 1
    [dead] = await raw_messages(kafka_server, topics["dead_letters"], 1)
    assert dict(dead.headers)["dlq_reason"].decode().startswith("cannot succeed: DataError")
    assert await visits(db) == ["v-canary"]
