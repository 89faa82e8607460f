"""Replaying a dead-letter topic after the cause is fixed, against the real Kafka and
PostgreSQL: the consumer dead-letters a message its handler refuses, the handler is
corrected, and the replay brings the message back to be processed once."""

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.db import Database
from clientcard_kit.dead_letters import list_dead_letters, main, replay_dead_letters
from clientcard_kit.events.inbound import InboundMessage
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.outbox import OutboxRelay
from clientcard_kit.unit_of_work import UnitOfWork

from .pipeline import TENANT, consume_until, event_type_on, make_consumer
from .visits import VisitRecorded

pytestmark = pytest.mark.integration


async def record_any_visit(session: AsyncSession, message: InboundMessage) -> None:
    """The corrected handler: it accepts the visits the first one refused."""
    visit = message.payload
    assert isinstance(visit, VisitRecorded)
    await session.execute(
        sa.text("INSERT INTO visits (id, tenant_id, note) VALUES (:id, :tenant, :note)"),
        {"id": uuid.uuid4().hex, "tenant": message.tenant_id, "note": visit.visit_id},
    )


async def applied(db: Database) -> list[str]:
    async with db.transaction(TENANT) as session:
        query = sa.text("SELECT note FROM visits ORDER BY note")
        return list((await session.scalars(query)).all())


async def publish(db: Database, publisher: KafkaPublisher, topic: str) -> None:
    event = event_type_on(topic)
    async with UnitOfWork.for_tenant(db, tenant=TENANT, source="kittests") as uow:
        uow.publish(event(tenant_id=TENANT, customer_id="c-1", visit_id="v1", note="refused"))
        uow.publish(event(tenant_id=TENANT, customer_id="c-1", visit_id="v2"))
        await uow.commit()
    assert await OutboxRelay(db, publisher, service="kittests").relay_once() == 2


async def test_a_replayed_dead_letter_is_processed_once_the_handler_is_fixed(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    await publish(db, publisher, topics["events"])
    group = f"kittests-{uuid.uuid4().hex[:8]}"
    refusing = make_consumer(db, publisher, kafka_server, topics, group=group)

    async def only_v2_applied() -> bool:
        return await applied(db) == ["v2"]

    await consume_until(refusing, only_v2_applied)

    bootstrap = kafka_server.bootstrap_servers
    listed = await list_dead_letters(bootstrap, topics["dead_letters"])
    assert [(ltr.source_topic, ltr.consumer) for ltr in listed.taken] == [
        (topics["events"], "kittests/visits")
    ]
    assert "refused" in listed.taken[0].reason
    assert not any(name.startswith("dlq_") for name, _ in listed.taken[0].headers)

    # Listing moved nothing: the replay still finds the letter, and sends it back.
    replayed = await replay_dead_letters(bootstrap, topics["dead_letters"])
    assert [ltr.offset for ltr in replayed.taken] == [listed.taken[0].offset]
    assert not replayed.left

    fixed = make_consumer(
        db, publisher, kafka_server, topics, handler=record_any_visit, group=group
    )

    async def both_applied() -> bool:
        return await applied(db) == ["v1", "v2"]

    await consume_until(fixed, both_applied)

    # A second replay starts after the first: nothing is sent twice.
    again = await replay_dead_letters(bootstrap, topics["dead_letters"])
    assert again.taken == []
    assert await applied(db) == ["v1", "v2"]


async def test_a_consumer_filter_leaves_the_other_consumers_letters(
    publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    letter = [("ce_id", b"e-1"), ("dlq_source_topic", topics["events"].encode())]
    await publisher.send_many(
        [
            (topics["dead_letters"], b"k1", b"{}", [*letter, ("dlq_consumer", b"bonuses/a")]),
            (topics["dead_letters"], b"k2", b"{}", [*letter, ("dlq_consumer", b"bonuses/b")]),
        ]
    )
    outcome = await list_dead_letters(
        kafka_server.bootstrap_servers, topics["dead_letters"], consumer="bonuses/b"
    )
    assert [ltr.key for ltr in outcome.taken] == [b"k2"]
    assert [ltr.key for ltr in outcome.left] == [b"k1"]


def test_the_command_line_names_an_unknown_topic(kafka_server: Any) -> None:
    with pytest.raises(LookupError, match="no topic"):
        main(
            [
                "list",
                "--topic",
                f"kittests.absent.{uuid.uuid4().hex[:8]}",
                "--bootstrap-servers",
                kafka_server.bootstrap_servers,
            ]
        )
