"""What the messaging tests share: GraphQL documents, events in and out of Kafka."""

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer

from clientcard_contracts import topics
from clientcard_contracts.events import customers as customer_events
from clientcard_contracts.events.base import Event
from clientcard_kit.db import Database
from clientcard_kit.events import cloudevents
from clientcard_kit.testing import eventually, publish_events
from clientcard_kit.testing import processed as wait_processed
from clientcard_messaging.settings import MessagingSettings

MESSENGERS = """query($id: ID!) { _entities(representations: [{__typename: "Customer", id: $id}]) {
  ... on Customer { messengers {
    channel isDefault status subscribedAt lastContactAt messagesDelivered
  } } } }"""
CONVERSATION = """query($id: ID!, $first: Int, $after: String) {
  _entities(representations: [{__typename: "Customer", id: $id}]) { ... on Customer {
    conversation(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id direction channel kind text status failureReason broadcast { id } } }
    } } } }"""
LINK = """mutation($c: ID!, $ch: Channel!, $a: String!) {
  linkMessenger(customerId: $c, channel: $ch, address: $a) { channel isDefault status } }"""
SET_DEFAULT = """mutation($c: ID!, $ch: Channel!) {
  setDefaultMessenger(customerId: $c, channel: $ch) { channel isDefault status } }"""
UNSUBSCRIBE = """mutation($c: ID!, $ch: Channel!) {
  unsubscribeMessenger(customerId: $c, channel: $ch) { channel isDefault status } }"""
SEND = """mutation($c: ID!, $t: String!, $ch: Channel) {
  sendMessage(customerId: $c, text: $t, channel: $ch) { id status channel kind text } }"""
NOW = datetime.now(UTC)


async def moved_to_sms(settings: MessagingSettings, tenant: str, customer_id: Any) -> None:
    """Make the customer's subscription an SMS one, as one left from when the merchant had
    an SMS provider (linking SMS now would be refused)."""
    db = Database(settings.database_url)
    try:
        async with db.transaction(tenant) as session:
            await session.execute(
                sa.text(
                    "UPDATE subscriptions SET channel = 'SMS', address = :a WHERE customer_id = :c"
                ),
                {"c": customer_id, "a": f"+7916{uuid.uuid4().int % 10**7:07d}"},
            )
    finally:
        await db.dispose()


def error_code(result: dict[str, Any]) -> str:
    code: str = result["errors"][0]["extensions"]["code"]
    return code


async def messengers(call: Any, customer_id: str) -> list[dict[str, Any]]:
    data = await call.data(MESSENGERS, id=customer_id)
    found: list[dict[str, Any]] = data["_entities"][0]["messengers"]
    return found


async def conversation(call: Any, customer_id: str, first: int = 50) -> list[dict[str, Any]]:
    data = await call.data(CONVERSATION, id=customer_id, first=first)
    edges = data["_entities"][0]["conversation"]["edges"]
    return [edge["node"] for edge in edges]


async def publish(settings: MessagingSettings, events: list[Event]) -> list[str]:
    """Publish the events as their producers would (CloudEvents, binary mode)."""
    return await publish_events(settings.kafka_bootstrap_servers, events)


async def processed(settings: MessagingSettings, event_ids: list[str]) -> None:
    await wait_processed(settings.database_url, event_ids)


def registered(tenant: str, customer_id: str, phone: str) -> Event:
    return customer_events.CustomerRegistered(
        tenant_id=tenant,
        customer_id=uuid.UUID(customer_id),
        occurred_at=NOW,
        version=1,
        phone=phone,
        gender="UNKNOWN",
        registration=customer_events.Registration(registered_at=NOW, source="MANUAL"),
    )


def in_segments(tenant: str, customer_id: str, version: int, *segments: str) -> Event:
    return customer_events.CustomerSegmentsChanged(
        tenant_id=tenant,
        customer_id=uuid.UUID(customer_id),
        occurred_at=NOW,
        version=version,
        segments=tuple(
            customer_events.SegmentRef(id=uuid.UUID(segment), name=f"segment {segment[:4]}")
            for segment in segments
        ),
    )


def deleted(tenant: str, customer_id: str) -> Event:
    return customer_events.CustomerDeleted(
        tenant_id=tenant, customer_id=uuid.UUID(customer_id), occurred_at=NOW
    )


class MessagingEvents:
    """Reads what the service published on `messaging.v1`, from the topic's beginning."""

    def __init__(self, settings: MessagingSettings) -> None:
        self._settings = settings
        self.seen: list[tuple[str, dict[str, Any]]] = []

    async def of(self, customer_id: str, wanted: int) -> list[tuple[str, dict[str, Any]]]:
        """Wait until the customer has at least `wanted` events; returns (type, data) pairs."""
        consumer = AIOKafkaConsumer(
            topics.MESSAGING,
            bootstrap_servers=self._settings.kafka_bootstrap_servers,
            group_id=f"tests-{uuid.uuid4()}",
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        found: list[tuple[str, dict[str, Any]]] = []
        try:

            async def enough() -> bool:
                batches = await consumer.getmany(timeout_ms=200)
                for records in batches.values():
                    for record in records:
                        event = cloudevents.decode(record.headers or (), record.value)
                        if str(event.data.get("customerId")) == customer_id:
                            found.append((event.type, dict(event.data)))
                return len(found) >= wanted

            await eventually(enough, what=f"{wanted} messaging events of {customer_id}")
        finally:
            await consumer.stop()
        return found
