"""The Kafka producer every service shares for its outbox relay and dead letters."""

import asyncio
from collections.abc import Sequence

from aiokafka import AIOKafkaProducer

from clientcard_kit.events.cloudevents import Headers


class KafkaPublisher:
    """An idempotent producer: a retried send never writes a message twice to a partition."""

    def __init__(self, bootstrap_servers: str, *, client_id: str) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._client_id = client_id
        self._started: AIOKafkaProducer | None = None

    @property
    def bootstrap_servers(self) -> str:
        return self._bootstrap_servers

    async def start(self) -> None:
        # aiokafka binds a producer to the running event loop, so it is made here, not in
        # __init__, which runs when the app is assembled, before uvicorn's loop exists.
        producer = AIOKafkaProducer(
            bootstrap_servers=self._bootstrap_servers,
            client_id=self._client_id,
            enable_idempotence=True,  # implies acks=all
            linger_ms=5,
            request_timeout_ms=15000,
        )
        await producer.start()
        self._started = producer

    async def stop(self) -> None:
        if self._started is not None:
            await self._started.stop()
            self._started = None

    @property
    def _producer(self) -> AIOKafkaProducer:
        if self._started is None:
            raise RuntimeError("the Kafka producer is not started")
        return self._started

    async def send_many(self, messages: Sequence[tuple[str, bytes | None, bytes, Headers]]) -> None:
        """Send (topic, key, value, headers) tuples and wait until every one is acknowledged.

        All sends are queued first so the producer batches them; a failure of any raises.
        """
        pending = [
            await self._producer.send(topic, value=value, key=key, headers=headers)
            for topic, key, value, headers in messages
        ]
        await asyncio.gather(*pending)

    async def send(self, topic: str, *, key: bytes | None, value: bytes, headers: Headers) -> None:
        await self.send_many([(topic, key, value, headers)])

    async def check(self) -> None:
        """Ask the cluster for metadata; raises when no broker answers."""
        await self._producer.client.fetch_all_metadata()
