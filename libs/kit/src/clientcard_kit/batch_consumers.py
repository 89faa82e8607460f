"""An idempotent consumer that hands each tenant's part of a batch to one handler call.

`EventConsumer` applies a batch in one transaction but calls its handler once per message,
each under a savepoint: a few queries per message, which caps a busy topic at a few
hundred messages a second. Where one call can do the work of many (one query for all the
messages' look-ups, one insert for all their rows), `BatchEventConsumer` keeps everything
else as it is and changes only that:

- every message is still recorded in the inbox, in the same transaction as its effects, so
  a message seen before (same event id, in an earlier batch or twice in this one) is
  skipped, and offsets are committed only after the commit;
- the batch handler answers for each message, in order, None (applied) or the reason it is
  refused; refused messages leave the inbox again and go to the dead-letter topic with the
  reason, as messages the decoder refuses do;
- when the batch handler fails in any other way, the batch is rolled back and applied again
  one message at a time by `EventConsumer`'s own path (the per-message handlers), which
  finds the failing message, retries it and dead-letters it if it keeps failing.

A service declares one as a `BatchSubscription`, a `Subscription` with a batch handler
per event type beside the per-message ones; the runtime starts, stops and restarts it as
it does every consumer:

    LEDGER = BatchSubscription(name="ledger", topics=(...), handlers={TYPE: apply_one},
                               batch_handlers={TYPE: apply_many})
"""

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.db.database import Database, set_tenant
from clientcard_kit.events.cloudevents import InvalidMessage
from clientcard_kit.events.consumer import (
    DEAD_LETTERED,
    DUPLICATE,
    PROCESSED,
    SKIPPED,
    ConsumerConfig,
    EventConsumer,
)
from clientcard_kit.events.inbound import Decoder, Handler, InboundMessage, Record, describe
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.tables import InboxEntry
from clientcard_kit.observability import tracing
from clientcard_kit.runtime import ServiceRuntime, Subscription

log = logging.getLogger(__name__)

BatchHandler = Callable[[AsyncSession, str, Sequence[InboundMessage]], Awaitable[list[str | None]]]
"""Applies one tenant's messages of one type, in order, inside the consumer's tenant-scoped
transaction; returns for each message None when applied, or the reason it is refused (a
refused message must have left no effect)."""

Outcomes = tuple[list[str], list[tuple[Record, str]]]

# One statement over arrays whatever the batch size: prepared once, no per-row parameters.
_RECORD_IN_INBOX = text(
    """
    INSERT INTO inbox (consumer, event_id, event_type)
    SELECT :consumer, event_id, event_type
    FROM unnest(CAST(:ids AS text[]), CAST(:types AS text[])) AS new (event_id, event_type)
    ON CONFLICT DO NOTHING
    RETURNING event_id
    """
)


@dataclass(frozen=True, slots=True)
class _Taken:
    record: Record
    message: InboundMessage


class BatchEventConsumer(EventConsumer):
    def __init__(
        self,
        config: ConsumerConfig,
        *,
        db: Database,
        publisher: KafkaPublisher,
        decoder: Decoder,
        handlers: Mapping[str, Handler],
        batch_handlers: Mapping[str, BatchHandler],
    ) -> None:
        missing = set(batch_handlers) - set(handlers)
        if missing:
            # The one-by-one path is the fallback, so every type needs both handlers.
            raise ValueError(f"no per-message handler for {', '.join(sorted(missing))}")
        super().__init__(config, db=db, publisher=publisher, decoder=decoder, handlers=handlers)
        self._batch_handlers = dict(batch_handlers)

    async def _apply_in_transaction(self, records: list[Record]) -> Outcomes:
        try:
            return await self._apply_batch(records)
        except Exception as exc:
            log.warning(
                "consumer %s: batch of %d failed (%r); applying it one message at a time",
                self.config.name,
                len(records),
                exc,
            )
            return await super()._apply_in_transaction(records)

    async def _apply_batch(self, records: list[Record]) -> Outcomes:
        outcomes: list[str] = []
        dead: list[tuple[Record, str]] = []
        by_tenant: dict[str, list[_Taken]] = {}
        for record in records:
            taken, reason = self._decode(record)
            if reason is not None:
                dead.append((record, reason))
                outcomes.append(DEAD_LETTERED)
            elif taken is None:
                outcomes.append(SKIPPED)
            else:
                by_tenant.setdefault(taken.message.tenant_id, []).append(taken)
        async with self._db.transaction() as session:
            for tenant, messages in by_tenant.items():
                await set_tenant(session, tenant)
                fresh = await self._first_seen(session, messages)
                outcomes.extend(DUPLICATE for _ in range(len(messages) - len(fresh)))
                refused = await self._handle(session, tenant, fresh)
                dead.extend(refused)
                outcomes.extend(DEAD_LETTERED for _ in refused)
                outcomes.extend(PROCESSED for _ in range(len(fresh) - len(refused)))
            # As in EventConsumer: dead letters leave before the commit, never not at all.
            if dead:
                await self._publisher.send_many([self._dead_letter(r, why) for r, why in dead])
        return outcomes, dead

    def _decode(self, record: Record) -> tuple[_Taken | None, str | None]:
        reason = self._failures.poison.get((record.topic, record.partition, record.offset))
        if reason is not None:
            return None, reason
        try:
            message = self._decoder(record)
        except InvalidMessage as exc:
            return None, str(exc)
        except ValidationError as exc:
            return None, describe(exc)
        if message is None or message.event_type not in self._batch_handlers:
            return None, None
        return _Taken(record, message), None

    async def _first_seen(self, session: AsyncSession, taken: list[_Taken]) -> list[_Taken]:
        """Record the messages in the inbox; those recorded before (or twice here) drop out."""
        unique: dict[str, _Taken] = {}
        for item in taken:
            unique.setdefault(item.message.event_id, item)
        inserted = await session.scalars(
            _RECORD_IN_INBOX,
            {
                "consumer": self.config.name,
                "ids": list(unique),
                "types": [item.message.event_type for item in unique.values()],
            },
        )
        new = set(inserted.all())
        return [item for event_id, item in unique.items() if event_id in new]

    async def _handle(
        self, session: AsyncSession, tenant: str, fresh: list[_Taken]
    ) -> list[tuple[Record, str]]:
        refused: list[tuple[Record, str]] = []
        for event_type in dict.fromkeys(item.message.event_type for item in fresh):
            of_type = [item for item in fresh if item.message.event_type == event_type]
            handler = self._batch_handlers[event_type]
            messages = [item.message for item in of_type]
            with tracing.handling_batch(
                self.config.name, [message.traceparent for message in messages]
            ):
                answers = await handler(session, tenant, messages)
            if len(answers) != len(of_type):
                raise RuntimeError(f"{event_type}: one answer per message expected")
            refused.extend(
                (item.record, reason)
                for item, reason in zip(of_type, answers, strict=True)
                if reason is not None
            )
        if refused:
            # A refused message was not processed: a corrected resend must be taken.
            await session.execute(
                delete(InboxEntry).where(
                    InboxEntry.consumer == self.config.name,
                    InboxEntry.event_id.in_(_event_ids(fresh, refused)),
                )
            )
        return refused


def _event_ids(fresh: list[_Taken], refused: list[tuple[Record, str]]) -> list[str]:
    records = {id(record) for record, _ in refused}
    return [item.message.event_id for item in fresh if id(item.record) in records]


def one_at_a_time(handler: Handler) -> BatchHandler:
    """A batch handler for events that come rarely: each message through `handler`."""

    async def handle(
        session: AsyncSession, tenant: str, messages: Sequence[InboundMessage]
    ) -> list[str | None]:
        for message in messages:
            await handler(session, message)
        return [None] * len(messages)

    return handle


@dataclass(frozen=True, slots=True)
class BatchSubscription(Subscription):
    """A subscription read by a `BatchEventConsumer`: each type's `batch_handlers` entry
    applies a tenant's part of a batch, its `handlers` entry one message (the fallback)."""

    batch_handlers: Mapping[str, BatchHandler] = field(kw_only=True)

    def consumer(self, runtime: ServiceRuntime) -> BatchEventConsumer:
        return BatchEventConsumer(
            runtime.consumer_config(self),
            db=runtime.db,
            publisher=runtime.publisher,
            decoder=self.message_decoder(),
            handlers=self.handlers,
            batch_handlers=self.batch_handlers,
        )
