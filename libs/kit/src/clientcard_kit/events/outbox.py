"""The transactional outbox: events are rows written with the change, relayed afterwards.

The relay publishes unpublished rows in order and marks them published in the same
transaction that read them. A crash after publishing and before that commit publishes the
rows again on restart: the same event ids, which idempotent consumers discard. A crash
before publishing loses nothing, since the rows are still there. Only one relay of a
service publishes at a time (a transaction-scoped advisory lock), which keeps the order of
rows and lets every replica run a relay without coordination.
"""

import asyncio
import contextlib
import json
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Text, cast, delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.events.base import Event
from clientcard_kit.db.batches import batch_ids, one_of_batch
from clientcard_kit.db.database import Database
from clientcard_kit.events import cloudevents
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.tables import OutboxMessage
from clientcard_kit.observability import metrics, tracing
from clientcard_kit.observability.tracing import TRACEPARENT

log = logging.getLogger(__name__)

# How often the relay measures its backlog and forgets events published long ago.
HOUSEKEEPING_SECONDS = 30.0
PURGE_BATCH = 1000

# Any constant works as long as each service's database has one relay lock.
_RELAY_LOCK = 0x0C1E_0B0C
_TRY_RELAY_LOCK = text("SELECT pg_try_advisory_xact_lock(:key)")


# The rows travel as one JSON document: one parameter however many rows, and the events'
# JSON goes in as it is, without escaping it into an array literal.
_INSERT = text(
    """
    INSERT INTO outbox (event_id, topic, key, event_type, source, subject, tenant_id,
      occurred_at, data, traceparent)
    SELECT event_id, topic, key, event_type, source, subject, tenant_id, occurred_at, data,
      traceparent
    FROM ROWS FROM (jsonb_to_recordset(CAST(:rows AS jsonb)) AS (
      event_id uuid, topic text, key text, event_type text, source text, subject text,
      tenant_id text, occurred_at timestamptz, data jsonb, traceparent text)
    ) WITH ORDINALITY AS new (event_id, topic, key, event_type, source, subject, tenant_id,
      occurred_at, data, traceparent, position)
    ORDER BY position
    """
)


class OutboxWriter:
    """Collects a unit of work's events and writes them in one INSERT when it commits.

    One ORM object per event cost far more to flush than the change a batch of hundreds
    of receipts announces; one statement for all of them costs about as much as one row.
    """

    def __init__(self, session: AsyncSession, *, source: str) -> None:
        self._session = session
        self._source = source
        self._pending: list[str] = []

    def add(self, event: Event) -> uuid.UUID:
        event_id = uuid.uuid4()
        envelope = json.dumps(
            {
                "event_id": str(event_id),
                "topic": event.TOPIC,
                "key": event.key(),
                "event_type": event.TYPE,
                "source": self._source,
                "subject": event.subject(),
                "tenant_id": event.tenant_id,
                "occurred_at": datetime.now(UTC).isoformat(),
                "traceparent": tracing.current_traceparent(),
            }
        )
        self._pending.append(f'{envelope[:-1]}, "data": {event.model_dump_json(by_alias=True)}}}')
        return event_id

    async def write(self) -> int:
        """Insert the collected rows, in the order they were added; returns how many."""
        pending, self._pending = self._pending, []
        if pending:
            await self._session.execute(_INSERT, {"rows": f"[{','.join(pending)}]"})
        return len(pending)

    def discard(self) -> None:
        """Forget the collected rows: the change they announce is not happening."""
        self._pending = []


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        publisher: KafkaPublisher,
        *,
        service: str,
        batch_size: int = 500,
        poll_interval: float = 0.05,
        idle_poll_interval: float = 0.5,
        retention: timedelta = timedelta(days=1),
    ) -> None:
        self._db = db
        self._publisher = publisher
        self._service = service
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        # Each empty poll doubles the pause up to this: an idle service's relay no longer
        # costs a transaction every 50 ms, and the first event after a quiet spell waits
        # at most this long. While events flow, the pause stays `poll_interval`.
        self._idle_poll_interval = max(idle_poll_interval, poll_interval)
        self._retention = retention
        self._stopping = asyncio.Event()

    async def relay_once(self) -> int:
        """Publish one batch of unpublished events; returns how many were published."""
        async with self._db.transaction() as session:
            if not await session.scalar(_TRY_RELAY_LOCK, {"key": _RELAY_LOCK}):
                return 0
            rows = (await session.execute(_UNPUBLISHED.limit(self._batch_size))).all()
            if not rows:
                return 0
            await self._publisher.send_many([_kafka_message(row) for row in rows])
            await session.execute(_MARK_PUBLISHED, batch_ids(row.seq for row in rows))
        metrics.OUTBOX_PUBLISHED.labels(self._service).inc(len(rows))
        return len(rows)

    async def pending(self) -> int:
        async with self._db.transaction() as session:
            count = await session.scalar(
                select(func.count()).where(OutboxMessage.published_at.is_(None))
            )
        return int(count or 0)

    async def purge_published(self) -> int:
        """Forget events published longer ago than the retention period.

        Rows are published in `seq` order, so the expired ones are the oldest: each round
        looks at the oldest rows only (by the primary key) and never scans the table.
        """
        cutoff = datetime.now(UTC) - self._retention
        purged = 0
        while True:
            async with self._db.transaction() as session:
                oldest = (
                    select(OutboxMessage.seq, OutboxMessage.published_at)
                    .order_by(OutboxMessage.seq)
                    .limit(PURGE_BATCH)
                    .cte("oldest")
                )
                result = await session.execute(
                    delete(OutboxMessage).where(
                        OutboxMessage.seq.in_(
                            select(oldest.c.seq).where(oldest.c.published_at < cutoff)
                        )
                    )
                )
            deleted = int(getattr(result, "rowcount", 0) or 0)
            purged += deleted
            if deleted < PURGE_BATCH:
                return purged

    async def oldest_pending_age(self) -> float:
        """Seconds since the oldest unpublished event was written; 0 when none waits."""
        async with self._db.transaction() as session:
            age = await session.scalar(_OLDEST_PENDING_AGE)
        return float(age or 0)

    async def housekeeping(self) -> None:
        """Measure the backlog for the metrics and forget what expired."""
        metrics.OUTBOX_PENDING.labels(self._service).set(await self.pending())
        metrics.OUTBOX_OLDEST_PENDING.labels(self._service).set(await self.oldest_pending_age())
        await self.purge_published()

    async def run(self) -> None:
        """Relay until stopped, then publish what is left so a shutdown strands nothing.

        Errors (Kafka or the database away) are logged and retried with a growing pause.
        """
        failures = 0
        pause = self._poll_interval
        loop = asyncio.get_running_loop()
        next_housekeeping = loop.time()
        while not self._stopping.is_set():
            try:
                if loop.time() >= next_housekeeping:
                    next_housekeeping = loop.time() + HOUSEKEEPING_SECONDS
                    await self.housekeeping()
                published = await self.relay_once()
                failures = 0
            except Exception:
                failures += 1
                metrics.OUTBOX_FAILURES.labels(self._service).inc()
                log.exception("outbox relay failed (attempt %d); retrying", failures)
                await self._sleep(min(0.1 * 2**failures, 10.0))
                continue
            pause = self.next_pause(pause, published)
            if published < self._batch_size:
                await self._sleep(pause)
        await self._flush()

    def next_pause(self, pause: float, published: int) -> float:
        """The pause after a poll that published `published` events (the last was `pause`)."""
        if published:
            return self._poll_interval
        return min(pause * 2, self._idle_poll_interval)

    def stop(self) -> None:
        """Ask `run` to finish; await its task to know the final flush is done."""
        self._stopping.set()

    async def _flush(self) -> None:
        try:
            while await self.relay_once():
                pass
        except Exception:
            log.exception("final outbox flush failed; the rows stay for the next start")

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)


# The relay's hot path reads plain rows, with the body as the stored JSON text: no ORM
# objects, and the data is never parsed into Python only to be serialised again.
_UNPUBLISHED = (
    select(
        OutboxMessage.seq,
        OutboxMessage.event_id,
        OutboxMessage.topic,
        OutboxMessage.key,
        OutboxMessage.event_type,
        OutboxMessage.source,
        OutboxMessage.subject,
        OutboxMessage.tenant_id,
        OutboxMessage.occurred_at,
        OutboxMessage.traceparent,
        cast(OutboxMessage.data, Text).label("body"),
    )
    .where(OutboxMessage.published_at.is_(None))
    .order_by(OutboxMessage.seq)
)


# The batch as one array parameter, not an IN list of up to 500: the same text for any
# batch, so it is prepared once, and one parameter to bind instead of hundreds.
_MARK_PUBLISHED = (
    update(OutboxMessage).where(one_of_batch(OutboxMessage.seq)).values(published_at=func.now())
)


# The first unpublished row by the partial index on seq, not a scan of every pending row.
_OLDEST_PENDING_AGE = text(
    """
    SELECT extract(epoch FROM now() - created_at) FROM outbox
    WHERE published_at IS NULL ORDER BY seq LIMIT 1
    """
)


def _kafka_message(row: Any) -> tuple[str, bytes, bytes, cloudevents.Headers]:
    headers = cloudevents.headers_of(
        cloudevents.CloudEvent(
            id=str(row.event_id),
            source=row.source,
            type=row.event_type,
            tenant_id=row.tenant_id,
            time=row.occurred_at,
            data={},  # the body is the stored JSON text, sent as it is
            subject=row.subject,
            extensions={TRACEPARENT: row.traceparent} if row.traceparent else {},
        )
    )
    return row.topic, row.key.encode(), row.body.encode(), headers
