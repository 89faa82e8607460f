"""The batch consumer against the real PostgreSQL and Kafka: one handler call per batch,
the inbox per message, dead letters for refused messages, and the one-by-one fallback."""

import asyncio
import uuid
from collections.abc import Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.batch_consumers import BatchEventConsumer, BatchHandler, BatchSubscription
from clientcard_kit.db import Database
from clientcard_kit.events.consumer import ConsumerConfig
from clientcard_kit.events.inbound import InboundMessage, cloudevent_decoder
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.outbox import OutboxRelay
from clientcard_kit.runtime import ServiceRuntime
from clientcard_kit.settings import ServiceSettings
from clientcard_kit.testing import eventually

from .pipeline import (
    TENANT,
    consume_until,
    event_type_on,
    publish_visits,
    raw_messages,
    record_visit,
    visits,
)
from .visits import VisitRecorded

pytestmark = pytest.mark.integration


class Batches:
    """A batch handler that applies visits in one insert and remembers its batch sizes."""

    def __init__(self, *, fail: bool = False) -> None:
        self.sizes: list[int] = []
        self._fail = fail

    async def __call__(
        self, session: AsyncSession, tenant: str, messages: Sequence[InboundMessage]
    ) -> list[str | None]:
        self.sizes.append(len(messages))
        if self._fail:
            raise RuntimeError("the batch handler broke")
        answers: list[str | None] = []
        rows = []
        for message in messages:
            visit = message.payload
            assert isinstance(visit, VisitRecorded)
            if visit.note == "refused":
                answers.append("visits with the note 'refused' are not accepted")
            else:
                answers.append(None)
                rows.append({"id": uuid.uuid4().hex, "tenant": tenant, "note": visit.visit_id})
        if rows:
            await session.execute(
                sa.text("INSERT INTO visits (id, tenant_id, note) VALUES (:id, :tenant, :note)"),
                rows,
            )
        return answers


def batch_consumer(
    db: Database,
    publisher: KafkaPublisher,
    kafka_server: Any,
    topics: dict[str, str],
    handler: BatchHandler,
) -> BatchEventConsumer:
    config = ConsumerConfig(
        name="visits",
        service="kittests",
        topics=[topics["events"]],
        group_id=f"kittests-{uuid.uuid4().hex[:8]}",
        dead_letter_topic=topics["dead_letters"],
        bootstrap_servers=kafka_server.bootstrap_servers,
        max_attempts=3,
    )
    return BatchEventConsumer(
        config,
        db=db,
        publisher=publisher,
        decoder=cloudevent_decoder({VisitRecorded.TYPE: VisitRecorded}),
        handlers={VisitRecorded.TYPE: record_visit},
        batch_handlers={VisitRecorded.TYPE: handler},
    )


async def publish_with_a_duplicate_and_a_refusal(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topic: str
) -> None:
    event = event_type_on(topic)
    await publish_visits(db, event, "v1", "v2", "v3")
    async with db.transaction(TENANT) as session:
        await session.execute(
            sa.text(
                "UPDATE outbox SET data = jsonb_set(data, '{note}', '\"refused\"') "
                "WHERE data->>'visitId' = 'v2'"
            )
        )
    assert await OutboxRelay(db, publisher, service="kittests").relay_once() == 3
    [first, *_] = await raw_messages(kafka_server, topic, 3)
    await publisher.send(topic, key=first.key, value=first.value, headers=list(first.headers))


async def test_a_batch_is_applied_in_one_call_with_dedup_and_dead_letters(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    await publish_with_a_duplicate_and_a_refusal(db, publisher, kafka_server, topics["events"])
    handler = Batches()
    consumer = batch_consumer(db, publisher, kafka_server, topics, handler)

    async def applied() -> bool:
        return await visits(db) == ["v1", "v3"]

    await consume_until(consumer, applied)
    assert sum(handler.sizes) == 3  # the duplicate of v1 never reached the handler
    [letter] = await raw_messages(kafka_server, topics["dead_letters"], 1)
    assert b"not accepted" in dict(letter.headers)["dlq_reason"]
    async with db.transaction() as session:
        kept = await session.scalar(sa.text("SELECT count(*) FROM inbox"))
    assert kept == 2  # the refused message left the inbox: a corrected resend is taken


async def test_a_failing_batch_is_applied_again_one_message_at_a_time(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    await publish_with_a_duplicate_and_a_refusal(db, publisher, kafka_server, topics["events"])
    handler = Batches(fail=True)
    consumer = batch_consumer(db, publisher, kafka_server, topics, handler)

    async def applied() -> bool:
        return await visits(db) == ["v1", "v3"]

    await consume_until(consumer, applied)
    assert handler.sizes
    [letter] = await raw_messages(kafka_server, topics["dead_letters"], 1)
    assert b"not accepted" in dict(letter.headers)["dlq_reason"]


def test_every_batch_handler_needs_a_per_message_handler() -> None:
    config = ConsumerConfig("v", "s", ["t"], "g", "d", "127.0.0.1:1")
    with pytest.raises(ValueError, match="no per-message handler"):
        BatchEventConsumer(
            config,
            db=Database("postgresql+psycopg://x@127.0.0.1:1/x"),
            publisher=KafkaPublisher("127.0.0.1:1", client_id="x"),
            decoder=cloudevent_decoder({}),
            handlers={},
            batch_handlers={VisitRecorded.TYPE: Batches()},
        )


async def test_the_runtime_runs_a_batch_subscription_with_its_settings_and_stops_it(
    db: Database, kit_database_url: str, kafka_server: Any, topics: dict[str, str]
) -> None:
    settings = ServiceSettings(
        service_name="kittests",
        database_url=kit_database_url,
        kafka_bootstrap_servers=kafka_server.bootstrap_servers,
        kafka_consumer_group=f"kittests-{uuid.uuid4().hex[:8]}",
        outbox_relay_enabled=False,
    )
    runtime = ServiceRuntime.create(settings)
    await publish_visits(db, event_type_on(topics["events"]), "v1", "v2")
    handler = Batches()
    subscription = BatchSubscription(
        name="visits",
        topics=[topics["events"]],
        handlers={VisitRecorded.TYPE: record_visit},
        decoder=cloudevent_decoder({VisitRecorded.TYPE: VisitRecorded}),
        dead_letter_topic=topics["dead_letters"],
        max_batch=50,
        batch_handlers={VisitRecorded.TYPE: handler},
    )
    await runtime.start([subscription])
    try:
        assert await OutboxRelay(db, runtime.publisher, service="kittests").relay_once() == 2
        await eventually(lambda: _visits_are(db, ["v1", "v2"]))
    finally:
        await asyncio.wait_for(runtime.stop(), timeout=30)
    [consumer] = runtime.consumers
    assert isinstance(consumer, BatchEventConsumer)
    assert consumer.config.group_id == f"{settings.consumer_group}.visits"
    assert consumer.config.max_batch == 50
    assert handler.sizes


async def _visits_are(db: Database, expected: list[str]) -> bool:
    return await visits(db) == expected
