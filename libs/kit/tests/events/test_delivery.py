"""A message that fails on its way in: retried while it may yet succeed, else sent to the
dead-letter topic, and the messages after it are processed all the same."""

from typing import Any

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.db import Database
from clientcard_kit.events.inbound import InboundMessage
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.outbox import OutboxRelay
from clientcard_kit.unit_of_work import UnitOfWork

from .pipeline import (
    TENANT,
    consume_until,
    event_type_on,
    has_visit,
    inbox_count,
    make_consumer,
    publish_visits,
    raw_messages,
    record_visit,
    visits,
)
from .visits import VisitRecorded

pytestmark = pytest.mark.integration


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
        lambda: has_visit(db, "v-good"),
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
        lambda: inbox_count(db, 1),
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
        lambda: has_visit(db, "v-after"),
    )
    [dead] = await raw_messages(kafka_server, topics["dead_letters"], 1)
    assert "handler failed 3 times: KeyError" in dict(dead.headers)["dlq_reason"].decode()


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
        lambda: has_visit(db, "v-canary"),
    )
    # Tried once, never again: no backoff holds the partition (max_attempts is 3 here).
    assert attempts.count("v-overflow") == 1
    [dead] = await raw_messages(kafka_server, topics["dead_letters"], 1)
    assert dict(dead.headers)["dlq_reason"].decode().startswith("cannot succeed: DataError")
    assert await visits(db) == ["v-canary"]
