"""What a running service holds: its settings, database, producer, relay and consumers.

`ServiceRuntime` starts and stops them in the order that loses nothing on a rolling update:
consumers finish and commit the batch in hand, the relay publishes what is left in the
outbox, and only then the producer and the database pool close.

A runtime is typed by its service's settings, `ServiceRuntime[MessagingSettings]`, so a
service's code reads its own settings as they are; the kit's code takes any runtime (a bare
`ServiceRuntime` is one of the kit's `ServiceSettings`).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Generic

from typing_extensions import TypeVar

from clientcard_contracts.topics import dead_letter_topic
from clientcard_kit.auth.internal import InternalTokens
from clientcard_kit.db.database import Database
from clientcard_kit.events.consumer import ConsumerConfig, EventConsumer
from clientcard_kit.events.inbound import Decoder, Handler, catalog_decoder
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.outbox import OutboxRelay
from clientcard_kit.internal.bonuses import TillBonuses
from clientcard_kit.internal.client import ServiceClient
from clientcard_kit.internal.customers import CustomerDirectory
from clientcard_kit.settings import ServiceSettings

log = logging.getLogger(__name__)

STARTUP_ATTEMPTS = 30
STOP_TIMEOUT_SECONDS = 20.0


# Covariant: a runtime of a service's own settings is a runtime of `ServiceSettings`, so
# whatever takes any runtime (the kit's jobs, the request services) takes every service's.
SettingsT = TypeVar("SettingsT", bound=ServiceSettings, default=ServiceSettings, covariant=True)
# Whatever settings `ServiceRuntime.create` is given, the runtime is typed by.
OwnSettingsT = TypeVar("OwnSettingsT", bound=ServiceSettings)


@dataclass(frozen=True, slots=True)
class Subscription:
    """One consumer a service declares: the topics it reads and a handler per event type.

    Its consumer calls the handler once per message; `BatchSubscription` (in
    `clientcard_kit.batch_consumers`) is the kind that hands a handler a batch.
    """

    name: str
    topics: Sequence[str]
    handlers: dict[str, Handler]
    decoder: Decoder | None = None
    dead_letter_topic: str | None = None
    # Records of one poll across the topics' partitions; None: `ConsumerConfig`'s.
    max_batch: int | None = None

    def message_decoder(self) -> Decoder:
        """The decoder given, or the event catalog's for the handled types."""
        return self.decoder or catalog_decoder(self.handlers)

    def consumer(self, runtime: "ServiceRuntime") -> EventConsumer:
        """The consumer that reads this subscription in `runtime`."""
        return EventConsumer(
            runtime.consumer_config(self),
            db=runtime.db,
            publisher=runtime.publisher,
            decoder=self.message_decoder(),
            handlers=self.handlers,
        )


@dataclass
class ServiceRuntime(Generic[SettingsT]):
    settings: SettingsT
    db: Database
    publisher: KafkaPublisher
    relay: OutboxRelay
    internal_tokens: InternalTokens
    consumers: list[EventConsumer] = field(default_factory=list)
    # Clients of other services, made when first asked for, closed at the stop.
    _clients: dict[str, ServiceClient] = field(default_factory=dict)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _loops: list[asyncio.Task[None]] = field(default_factory=list)
    _jobs: list[asyncio.Task[None]] = field(default_factory=list)

    @staticmethod
    def create(settings: OwnSettingsT) -> "ServiceRuntime[OwnSettingsT]":
        db = Database(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            read_pool_size=settings.database_read_pool_size,
        )
        publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id=settings.client_id)
        relay = OutboxRelay(
            db,
            publisher,
            service=settings.service_name,
            batch_size=settings.outbox_batch_size,
            poll_interval=settings.outbox_poll_interval_seconds,
            idle_poll_interval=settings.outbox_idle_poll_seconds,
        )
        tokens = InternalTokens(settings.internal_secret.get_secret_value(), settings.service_name)
        return ServiceRuntime(
            settings=settings, db=db, publisher=publisher, relay=relay, internal_tokens=tokens
        )

    def service_client(self, base_url: str) -> ServiceClient:
        """The client of the service at `base_url`, shared by every call to it."""
        client = self._clients.get(base_url)
        if client is None:
            client = ServiceClient(
                base_url, self.internal_tokens, timeout=self.settings.internal_timeout_seconds
            )
            self._clients[base_url] = client
        return client

    def use_client(self, base_url: str, client: ServiceClient) -> None:
        """Call `base_url` through this client (tests: a service app in the same process)."""
        self._clients[base_url] = client

    @property
    def customers(self) -> CustomerDirectory:
        return CustomerDirectory(self.service_client(self.settings.customers_url))

    @property
    def till_bonuses(self) -> TillBonuses:
        return TillBonuses(self.service_client(self.settings.bonuses_url))

    def consumer_config(self, subscription: Subscription) -> ConsumerConfig:
        """The subscription's consumer in this service: its group, dead letters and brokers."""
        settings = self.settings
        config = ConsumerConfig(
            name=subscription.name,
            service=settings.service_name,
            topics=subscription.topics,
            group_id=f"{settings.consumer_group}.{subscription.name}",
            dead_letter_topic=subscription.dead_letter_topic
            or dead_letter_topic(settings.service_name),
            bootstrap_servers=settings.kafka_bootstrap_servers,
        )
        if subscription.max_batch is not None:
            config = replace(config, max_batch=subscription.max_batch)
        return config

    async def start(
        self,
        subscriptions: Sequence[Subscription] = (),
        jobs: "Sequence[BackgroundJob[SettingsT]]" = (),
    ) -> None:
        """Start the producer, the relay, a consumer per subscription (each of its own kind:
        one message or one batch at a time) and the jobs."""
        await _with_retries("Kafka producer", self.publisher.start)
        if self.settings.outbox_relay_enabled:
            self._loops.append(self._spawn("outbox relay", self.relay.run))
        if self.settings.consumers_enabled:
            for subscription in subscriptions:
                consumer = subscription.consumer(self)
                await _with_retries(f"consumer {subscription.name}", consumer.start)
                self.consumers.append(consumer)
                self._loops.append(self._spawn(f"consumer {subscription.name}", consumer.run))
        for job in jobs:
            self._jobs.append(self._spawn(getattr(job, "__name__", "job"), partial(job, self)))

    async def stop(self) -> None:
        self.stopping.set()
        for job in self._jobs:
            job.cancel()
        for consumer in self.consumers:
            consumer.stop()
        self.relay.stop()
        # Consumers commit the batch in hand and the relay flushes the outbox; a loop that
        # cannot finish in time is cancelled (its work is redone after the restart).
        if self._loops:
            _, late = await asyncio.wait(self._loops, timeout=STOP_TIMEOUT_SECONDS)
            for task in late:
                task.cancel()
        await asyncio.gather(*self._loops, *self._jobs, return_exceptions=True)
        for consumer in self.consumers:
            await consumer.close()
        for client in self._clients.values():
            await client.close()
        await self.publisher.stop()
        await self.db.dispose()

    def _spawn(self, name: str, run: Callable[[], Awaitable[None]]) -> asyncio.Task[None]:
        return asyncio.create_task(self._supervise(name, run), name=name)

    async def _supervise(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        """Keep a background loop alive: a crash is logged and the loop restarted."""
        failures = 0
        while not self.stopping.is_set():
            try:
                await run()
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                failures += 1
                log.exception("%s crashed (%d); restarting", name, failures)
                await asyncio.sleep(min(0.5 * 2**failures, 15.0))


BackgroundJob = Callable[[ServiceRuntime[SettingsT]], Awaitable[None]]
"""Work a service runs beside its requests and consumers until it stops (the timers)."""


async def _with_retries(what: str, start: Callable[[], Awaitable[None]]) -> None:
    for attempt in range(1, STARTUP_ATTEMPTS + 1):
        try:
            await start()
            return
        except Exception as exc:
            if attempt == STARTUP_ATTEMPTS:
                raise
            log.warning("%s could not start (%s); retrying", what, exc)
            await asyncio.sleep(min(0.5 * attempt, 5.0))
