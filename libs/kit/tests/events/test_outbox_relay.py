"""The outbox relay: what it publishes reaches Kafka once a publish has worked, whatever
failed on the way, and what it has published is forgotten after a while."""

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_kit.db import Database
from clientcard_kit.events import cloudevents
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.outbox import OutboxRelay
from clientcard_kit.observability import metrics

from .pipeline import (
    TENANT,
    consume_until,
    event_type_on,
    inbox_count,
    make_consumer,
    publish_visits,
    raw_messages,
    visits,
)
from .visits import VisitRecorded

pytestmark = pytest.mark.integration


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
        make_consumer(db, publisher, kafka_server, topics), lambda: inbox_count(db, 2)
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


async def test_the_age_of_the_oldest_unpublished_event_is_measured_until_it_leaves(
    db: Database, publisher: KafkaPublisher, topics: dict[str, str]
) -> None:
    relay = OutboxRelay(db, publisher, service="kittests-age")
    assert await relay.oldest_pending_age() == 0
    await publish_visits(db, event_type_on(topics["events"]), "v1")
    async with db.transaction() as session:
        # As if the relay had been away for a minute since the row was written.
        await session.execute(sa.text("UPDATE outbox SET created_at = now() - interval '60 s'"))
    await relay.housekeeping()
    age = metrics.OUTBOX_OLDEST_PENDING.labels("kittests-age")._value.get()
    assert 60 <= age < 120
    assert await relay.relay_once() == 1
    await relay.housekeeping()
    assert metrics.OUTBOX_OLDEST_PENDING.labels("kittests-age")._value.get() == 0


async def test_a_consumer_reports_what_is_left_of_each_partition_after_a_batch(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    await publish_visits(db, event_type_on(topics["events"]), "v1", "v2", "v3")
    assert await OutboxRelay(db, publisher, service="kittests").relay_once() == 3
    lag = metrics.CONSUMER_LAG.labels("kittests", "visits", topics["events"], "0")
    lag.set(-1)  # what no measurement leaves behind
    await consume_until(
        make_consumer(db, publisher, kafka_server, topics), lambda: inbox_count(db, 3)
    )
    assert lag._value.get() == 0
