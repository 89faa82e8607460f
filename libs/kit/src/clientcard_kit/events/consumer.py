"""The idempotent consumer.

Each batch of a partition is applied in one transaction; each message in it under a
savepoint, after recording its event id in the inbox. A message seen before (same event id)
is skipped, so redelivery has no second effect. The offset is committed only after the
transaction commits, so a crash in between re-reads messages whose effects the inbox already
holds. A message that can never be processed (not a CloudEvent, not matching its schema, or
rejected by its handler as invalid) goes to the dead-letter topic with the reason and the
consumer carries on; any other failure rolls the batch back and retries it after a pause,
and a message that keeps failing for a reason other than the database or Kafka being away
is dead-lettered after `max_attempts`.
"""

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.db.database import Database, set_tenant
from clientcard_kit.errors import DomainError
from clientcard_kit.events.cloudevents import Headers, InvalidMessage
from clientcard_kit.events.inbound import Decoder, Handler, Record, describe
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.tables import InboxEntry
from clientcard_kit.observability import metrics, tracing
from clientcard_kit.observability.logging import event_context

log = logging.getLogger(__name__)

PROCESSED, DUPLICATE, SKIPPED, DEAD_LETTERED = "processed", "duplicate", "skipped", "dead_lettered"


@dataclass(frozen=True, slots=True)
class ConsumerConfig:
    name: str
    service: str
    topics: Sequence[str]
    group_id: str
    dead_letter_topic: str
    bootstrap_servers: str
    max_batch: int = 500
    max_attempts: int = 5
    poll_timeout_ms: int = 200


@dataclass
class _Failures:
    """Attempts per message (topic, partition, offset) and the ones given up on."""

    attempts: dict[tuple[str, int, int], int] = field(default_factory=dict)
    poison: dict[tuple[str, int, int], str] = field(default_factory=dict)


class _BatchFailed(Exception):
    def __init__(self, record: Record, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.record = record
        self.cause = cause


class _FinishInFlightBatch(ConsumerRebalanceListener):  # type: ignore[misc]
    """Revocation waits for the batch being applied, so its offsets are committed first."""

    def __init__(self, lock: asyncio.Lock) -> None:
        self._lock = lock

    async def on_partitions_revoked(self, revoked: object) -> None:
        async with self._lock:
            pass

    async def on_partitions_assigned(self, assigned: object) -> None:
        return None


class EventConsumer:
    def __init__(
        self,
        config: ConsumerConfig,
        *,
        db: Database,
        publisher: KafkaPublisher,
        decoder: Decoder,
        handlers: Mapping[str, Handler],
    ) -> None:
        self.config = config
        self._db = db
        self._publisher = publisher
        self._decoder = decoder
        self._handlers = dict(handlers)
        self._lock = asyncio.Lock()
        self._stopping = asyncio.Event()
        self._failures = _Failures()
        self._kafka: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        self._kafka = AIOKafkaConsumer(
            bootstrap_servers=self.config.bootstrap_servers,
            group_id=self.config.group_id,
            client_id=f"{self.config.service}-{self.config.name}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.config.max_batch,
        )
        self._kafka.subscribe(list(self.config.topics), listener=_FinishInFlightBatch(self._lock))
        await self._kafka.start()

    def stop(self) -> None:
        """Ask `run` to finish after the batch in hand; await its task, then `close`."""
        self._stopping.set()

    async def close(self) -> None:
        if self._kafka is not None:
            await self._kafka.stop()
            self._kafka = None

    async def run(self) -> None:
        kafka = self._require_kafka()
        while not self._stopping.is_set():
            batches = await kafka.getmany(
                timeout_ms=self.config.poll_timeout_ms, max_records=self.config.max_batch
            )
            pause = await self._apply_batches(batches)
            if pause:
                await asyncio.sleep(pause)

    async def _apply_batches(self, batches: Mapping[TopicPartition, list[Record]]) -> float:
        """Apply each partition's batch; returns how long to pause before retrying any."""
        kafka = self._require_kafka()
        pause = 0.0
        async with self._lock:
            for partition, records in batches.items():
                if not records or partition not in kafka.assignment():
                    continue
                try:
                    await self._apply_partition(partition, records)
                except _BatchFailed as failure:
                    kafka.seek(partition, records[0].offset)
                    pause = max(pause, self._note_failure(failure))
        return pause

    async def _apply_partition(self, partition: TopicPartition, records: list[Record]) -> None:
        started = time.perf_counter()
        outcomes, dead = await self._apply_in_transaction(records)
        try:
            await self._require_kafka().commit({partition: records[-1].offset + 1})
        except CommitFailedError:
            # The partition moved to another member; the inbox makes its re-reads harmless.
            log.warning("offset commit for %s failed after a rebalance", partition)
        for outcome in outcomes:
            metrics.EVENTS_CONSUMED.labels(self.config.service, self.config.name, outcome).inc()
        # The partition's end as the last fetch saw it: no request to the broker.
        end, name = self._require_kafka().highwater(partition), self.config.name
        metrics.measure_lag(self.config.service, name, partition, end, records[-1].offset + 1)
        metrics.CONSUMER_BATCH_SECONDS.labels(self.config.service, self.config.name).observe(
            time.perf_counter() - started
        )
        for record, _ in dead:
            self._forget(record)

    async def _apply_in_transaction(
        self, records: list[Record]
    ) -> tuple[list[str], list[tuple[Record, str]]]:
        outcomes: list[str] = []
        dead: list[tuple[Record, str]] = []
        async with self._db.transaction() as session:
            for record in records:
                reason = self._failures.poison.get(_position(record))
                if reason is None:
                    try:
                        outcomes.append(await self._apply_record(session, record))
                        continue
                    except InvalidMessage as exc:
                        reason = str(exc)
                    except ValidationError as exc:
                        reason = describe(exc)
                    except Exception as exc:
                        raise _BatchFailed(record, exc) from exc
                dead.append((record, reason))
                outcomes.append(DEAD_LETTERED)
            # Dead letters go out before the commit: if the commit fails the batch is retried
            # and they may be sent twice, but never not at all.
            if dead:
                await self._publisher.send_many([self._dead_letter(r, why) for r, why in dead])
        return outcomes, dead

    async def _apply_record(self, session: AsyncSession, record: Record) -> str:
        message = self._decoder(record)
        if message is None or message.event_type not in self._handlers:
            return SKIPPED
        with (
            event_context(message.event_id),
            tracing.handling(self.config.name, message.event_type, message.traceparent),
        ):
            async with session.begin_nested():
                await set_tenant(session, message.tenant_id)
                first_time = await session.scalar(
                    insert(InboxEntry)
                    .values(
                        consumer=self.config.name,
                        event_id=message.event_id,
                        event_type=message.event_type,
                    )
                    .on_conflict_do_nothing()
                    .returning(InboxEntry.event_id)
                )
                if first_time is None:
                    return DUPLICATE
                await self._handlers[message.event_type](session, message)
        return PROCESSED

    def _note_failure(self, failure: _BatchFailed) -> float:
        position = _position(failure.record)
        attempts = self._failures.attempts.get(position, 0) + 1
        self._failures.attempts[position] = attempts
        metrics.CONSUMER_RETRIES.labels(self.config.service, self.config.name).inc()
        transient = _is_transient(failure.cause)
        log.warning(
            "consumer %s failed on %s (attempt %d, %s): %r",
            self.config.name,
            position,
            attempts,
            "transient" if transient else "handler error",
            failure.cause,
            exc_info=failure.cause,
        )
        if _is_permanent(failure.cause):
            # Retrying cannot help, and every retry holds the partition (every tenant on
            # it): the message goes to the dead letters as the batch is read again at once.
            self._failures.poison[position] = (
                f"cannot succeed: {type(failure.cause).__name__}: {failure.cause}"
            )
            return 0.0
        if not transient and attempts >= self.config.max_attempts:
            self._failures.poison[position] = (
                f"handler failed {attempts} times: {type(failure.cause).__name__}: {failure.cause}"
            )
            return 0.0
        return float(min(0.2 * 2 ** (attempts - 1), 5.0))

    def _forget(self, record: Record) -> None:
        position = _position(record)
        self._failures.attempts.pop(position, None)
        self._failures.poison.pop(position, None)

    def _dead_letter(self, record: Record, reason: str) -> tuple[str, bytes | None, bytes, Headers]:
        log.error(
            "dead-lettering %s:%d@%d to %s: %s",
            record.topic,
            record.partition,
            record.offset,
            self.config.dead_letter_topic,
            reason,
        )
        headers: Headers = [
            *(list(record.headers or ())),
            ("dlq_reason", reason.encode()),
            ("dlq_source_topic", record.topic.encode()),
            ("dlq_source_partition", str(record.partition).encode()),
            ("dlq_source_offset", str(record.offset).encode()),
            ("dlq_consumer", f"{self.config.service}/{self.config.name}".encode()),
            ("dlq_failed_at", datetime.now(UTC).isoformat().encode()),
        ]
        return self.config.dead_letter_topic, record.key, record.value or b"", headers

    def _require_kafka(self) -> AIOKafkaConsumer:
        if self._kafka is None:
            raise RuntimeError("the consumer is not started")
        return self._kafka


def _position(record: Record) -> tuple[str, int, int]:
    return record.topic, record.partition, record.offset


def _is_permanent(error: BaseException) -> bool:
    """Failures of the message itself: the same message fails the same way every time.

    A value the database refuses (a number out of range, text it cannot store) and a rule
    of the domain the message breaks. A conflict (IntegrityError) is not among them: two
    deliveries racing is a reason to try again.
    """
    return isinstance(error, DataError | DomainError)


def _is_transient(error: BaseException) -> bool:
    """Failures of the servers rather than of the message: retried without limit."""
    if isinstance(error, OperationalError | InterfaceError | KafkaError | OSError | TimeoutError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated
