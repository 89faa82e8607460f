"""An event has its effect once, however often it arrives: delivered twice, or again
after a consumer died between its effects and its offset commit."""

import asyncio
import uuid
from typing import Any

import pytest

from clientcard_kit.db import Database
from clientcard_kit.events.consumer import EventConsumer
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.outbox import OutboxRelay

from .pipeline import (
    consume_until,
    event_type_on,
    inbox_count,
    make_consumer,
    publish_visits,
    raw_messages,
    visits,
)

pytestmark = pytest.mark.integration


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
    await consume_until(consumer, lambda: inbox_count(db, 1))
    assert await visits(db) == ["v1"]
    assert len(await raw_messages(kafka_server, topics["events"], 2)) == 2


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
    duplicates_before = consumed("duplicate")
    await consume_until(again, lambda: consumed_at_least("duplicate", duplicates_before + 3))
    assert await visits(db) == ["v1", "v2", "v3"]


def consumed(outcome: str) -> float:
    """Messages of the visits consumer counted with this outcome, from its metric."""
    from prometheus_client import REGISTRY

    value = REGISTRY.get_sample_value(
        "clientcard_events_consumed_total",
        {"service": "kittests", "consumer": "visits", "outcome": outcome},
    )
    return value or 0.0


async def consumed_at_least(outcome: str, expected: float) -> bool:
    return consumed(outcome) >= expected
